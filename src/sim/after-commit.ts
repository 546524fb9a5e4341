import { UserError } from '../core/errors.js';
import type { Middleware, SimContext } from './context.js';
import { usageOf } from './accounting.js';
import { mulberry32 } from './random.js';
import type { CommitFaults, DropAfterCommitRule, SeatsTakenRule, WriteRoute } from './options.js';
import type { SimState } from './state.js';

export type { CommitFaults, DropAfterCommitRule, SeatsTakenRule, WriteRoute } from './options.js';

const ROUTES: Record<string, WriteRoute> = {
  'POST /v1/customers/:customerId/orders': 'order.create',
  'POST /v1/customers/:customerId/carts': 'cart.create',
  'POST /v1/customers/:customerId/carts/:cartId/checkout': 'cart.checkout',
  'POST /v1/customers/:customerId/users/:userId/licenseupdates': 'licenses.update',
  'PATCH /v1/customers/:customerId/subscriptions/:subscriptionId': 'subscription.patch',
};

/** Checks the fault options before the simulator listens. */
export function checkCommitFaults(f: CommitFaults | undefined): CommitFaults {
  for (const r of dropRules(f)) {
    const bad =
      !Object.values(ROUTES).includes(r.route) ||
      (r.times !== undefined && !(Number.isInteger(r.times) && r.times >= 1)) ||
      (r.probability !== undefined && !(r.probability >= 0 && r.probability <= 1)) ||
      (r.delayMs !== undefined && !(r.delayMs >= 0)) ||
      (r.status !== undefined && ![500, 502, 503, 504].includes(r.status));
    if (bad) throw new UserError('sim.options', `Simulator dropAfterCommit rule ${JSON.stringify(r)}: route must be one of ${Object.values(ROUTES).join(', ')}, times ≥ 1, probability 0..1, delayMs ≥ 0, status 500/502/503/504.`);
  }
  const s = f?.seatsTaken;
  if (s && !(Number.isInteger(s.after) && s.after >= 0 && Array.isArray(s.users))) {
    throw new UserError('sim.options', 'Simulator seatsTaken needs customerId, skuId, after ≥ 0 and a users list.');
  }
  return f ?? {};
}

function dropRules(f: CommitFaults | undefined): DropAfterCommitRule[] {
  const d = f?.dropAfterCommit;
  return d === undefined ? [] : Array.isArray(d) ? d : [d];
}

/** Per simulator instance: how often each rule fired, its PRNG, and licence changes seen per customer. */
interface Counters {
  dropped: Map<DropAfterCommitRule, number>;
  random: Map<DropAfterCommitRule, () => number>;
  changes: Map<string, number>;
}
const counters = new WeakMap<SimState, Counters>();

function countersOf(state: SimState): Counters {
  let c = counters.get(state);
  if (!c) counters.set(state, (c = { dropped: new Map(), random: new Map(), changes: new Map() }));
  return c;
}

/**
 * Faults after commit (SPEC.md "Faults after commit"): runs the request through, then, when it succeeded,
 * may let "someone else" take free seats, and may destroy the socket instead of replying.
 */
export const afterCommitFaults: Middleware = async (ctx, next) => {
  const early = ctx.state.options.faults?.seatsTaken;
  if (early?.after === 0 && pathCustomer(ctx.path) === early.customerId.toLowerCase() && provisioned(ctx, early)) takeSeats(ctx, early);
  await next();
  const faults = ctx.state.options.faults;
  const route = ctx.route ? ROUTES[`${ctx.route.method} ${ctx.route.pattern}`] : undefined;
  if (!faults || !route || ctx.reply.status >= 400) return;
  const customerId = ctx.params.customerId?.toLowerCase();
  if (route === 'licenses.update' && faults.seatsTaken && faults.seatsTaken.after > 0 && customerId === faults.seatsTaken.customerId.toLowerCase()) takeSeats(ctx, faults.seatsTaken);
  const c = countersOf(ctx.state);
  const rule = dropRules(faults).find((r) => r.route === route && (!r.customerId || r.customerId.toLowerCase() === customerId) && (c.dropped.get(r) ?? 0) < (r.times ?? Infinity));
  if (!rule) return;
  let random = c.random.get(rule);
  if (!random) c.random.set(rule, (random = mulberry32(rule.seed ?? 1)));
  if (random() >= (rule.probability ?? 1)) return;
  c.dropped.set(rule, (c.dropped.get(rule) ?? 0) + 1);
  if (rule.status !== undefined) {
    if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
    const { Location: _location, ...headers } = ctx.reply.headers;
    ctx.reply = { status: rule.status, body: { code: 800003, description: 'The service encountered an error.', data: [], source: 'PartnerFD' }, headers };
    return;
  }
  ctx.detached = true;
  if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
  ctx.req.socket.destroy();
};

function pathCustomer(path: string): string | undefined {
  const m = /^\/v1\/customers\/([^/?]+)/i.exec(path);
  return m ? decodeURIComponent(m[1]!).toLowerCase() : undefined;
}

/** True once, when an ordered subscription of the rule's SKU has become visible. */
function provisioned(ctx: SimContext, rule: SeatsTakenRule): boolean {
  const c = countersOf(ctx.state);
  const key = `provisioned|${rule.customerId.toLowerCase()}`;
  if (c.changes.has(key)) return false;
  const customer = ctx.state.customer(rule.customerId);
  const sku = rule.skuId.toLowerCase();
  const ready = customer?.subscriptions.some((s) => s.orderId !== null && ctx.state.isVisible(s) && ctx.state.skuOf(s).toLowerCase() === sku) ?? false;
  if (ready) c.changes.set(key, 1);
  return ready;
}

function takeSeats(ctx: SimContext, rule: SeatsTakenRule): void {
  const c = countersOf(ctx.state);
  const key = rule.customerId.toLowerCase();
  const seen = rule.after === 0 ? 0 : (c.changes.get(key) ?? 0) + 1;
  if (rule.after !== 0) c.changes.set(key, seen);
  const customer = ctx.state.customer(rule.customerId);
  if (seen !== rule.after || !customer) return;
  const sku = ctx.state.sku(rule.skuId)?.skuId ?? rule.skuId;
  for (const upn of rule.users) {
    const user = customer.users.find((u) => u.upn.toLowerCase() === upn.toLowerCase());
    const usage = usageOf(ctx.state, customer, sku);
    if (!user || user.licenses.some((l) => l.toLowerCase() === sku.toLowerCase()) || usage.consumedUnits >= usage.activeUnits) continue;
    const before = [...user.licenses];
    user.licenses.push(sku);
    ctx.audit.record({ type: 'licenses-changed', customerId: customer.id, userId: user.id, upn: user.upn, before, after: [...user.licenses] });
  }
}
