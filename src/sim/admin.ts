import { reply, type Middleware } from './context.js';
import { billingAudit } from './billing.js';
import { Code, SimFault } from './faults.js';
import { isoSeconds } from './model.js';
import { renewDue } from './renewals.js';

export function isAdminPath(path: string): boolean {
  return path === '/_sim' || path.startsWith('/_sim/');
}

/**
 * Test and demo hooks outside /v1, no auth: GET /_sim/audit, GET /_sim/state, POST /_sim/reset
 * (restores the scenario seed, empties the audit log and the order replay store), GET /_sim/billing (the billing
 * audit, billing.ts), POST /_sim/clock?advanceMs=n or ?to=<ISO> (moves the simulator's clock forward; renewals due
 * by then happen at once).
 */
export const adminRoutes: Middleware = async (ctx, next) => {
  if (!isAdminPath(ctx.path)) return next();
  const name = ctx.path.slice('/_sim/'.length).replace(/\/$/, '');
  const want = { audit: 'GET', state: 'GET', reset: 'POST', billing: 'GET', clock: 'POST' }[name];
  if (want === undefined) throw new SimFault(404, Code.notFound, `The requested resource ${ctx.path} was not found.`);
  if (want !== ctx.method) throw new SimFault(405, Code.invalidInput, `Method ${ctx.method} is not allowed on ${ctx.path}.`, [], { Allow: want });
  if (name === 'audit') return reply(ctx, 200, ctx.audit.entries);
  if (name === 'state') return reply(ctx, 200, ctx.state.snapshot());
  if (name === 'billing') return reply(ctx, 200, billingAudit(ctx.state));
  if (name === 'clock') {
    const to = ctx.query.get('to');
    const advance = to !== null ? Date.parse(to) - ctx.state.now() : Number(ctx.query.get('advanceMs'));
    if (!Number.isFinite(advance) || advance < 0) throw new SimFault(400, Code.invalidInput, 'POST /_sim/clock needs ?advanceMs=<ms ≥ 0> or ?to=<an ISO date not in the past>.');
    ctx.state.options.clockSkewMs = (ctx.state.options.clockSkewMs ?? 0) + advance;
    renewDue(ctx.state, ctx.audit);
    return reply(ctx, 200, { now: isoSeconds(ctx.state.now()) });
  }
  ctx.state.reset();
  ctx.audit.clear();
  reply(ctx, 200, { reset: true, scenario: ctx.state.scenario.name });
};
