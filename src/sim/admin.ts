import { reply, type Middleware } from './context.js';
import { Code, SimFault } from './faults.js';

export function isAdminPath(path: string): boolean {
  return path === '/_sim' || path.startsWith('/_sim/');
}

/**
 * Test and demo hooks outside /v1, no auth: GET /_sim/audit, GET /_sim/state, POST /_sim/reset
 * (restores the scenario seed, empties the audit log and the order replay store).
 */
export const adminRoutes: Middleware = async (ctx, next) => {
  if (!isAdminPath(ctx.path)) return next();
  const name = ctx.path.slice('/_sim/'.length).replace(/\/$/, '');
  const want = { audit: 'GET', state: 'GET', reset: 'POST' }[name];
  if (want === undefined) throw new SimFault(404, Code.notFound, `The requested resource ${ctx.path} was not found.`);
  if (want !== ctx.method) throw new SimFault(405, Code.invalidInput, `Method ${ctx.method} is not allowed on ${ctx.path}.`, [], { Allow: want });
  if (name === 'audit') return reply(ctx, 200, ctx.audit.entries);
  if (name === 'state') return reply(ctx, 200, ctx.state.snapshot());
  ctx.state.reset();
  ctx.audit.clear();
  reply(ctx, 200, { reset: true, scenario: ctx.state.scenario.name });
};
