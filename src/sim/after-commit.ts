import { UserError } from '../core/errors.js';
import type { Middleware, SimContext } from './context.js';
import { usageOf } from './accounting.js';
import { mulberry32 } from './random.js';
import type { SimState } from './state.js';

/** Write routes a fault can name, by the client's operation names. */
export type WriteRoute = 'order.create' | 'cart.create' | 'cart.checkout' | 'licenses.update' | 'subscription.patch';

const ROUTES: Record<string, WriteRoute> = {
  'POST /v1/customers/:customerId/orders': 'order.create',
  'POST /v1/customers/:customerId/carts': 'cart.create',
  'POST /v1/customers/:customerId/carts/:cartId/checkout': 'cart.checkout',
  'POST /v1/customers/:customerId/users/:userId/licenseupdates': 'licenses.update',
  'PATCH /v1/customers/:customerId/subscriptions/:subscriptionId': 'subscription.patch',
};

/** The write is applied, then the connection is destroyed without a reply: the client cannot tell what happened. */
export interface DropAfterCommitRule {
  route: WriteRoute;
  /** Drop at most this many matching writes (default: no limit). */
  times?: number;
  /** Drop each matching write with this probability (default 1), drawn from a PRNG seeded with `seed` (default 1). */
  probability?: number;
  seed?: number;
  /** Only writes naming this customer. */
  customerId?: string;
  /** Hold the connection open this long before dropping it, like a reply that never comes before a timeout (default 0). */
  delayMs?: number;
}

/** Someone else assigns seats: right after the `after`-th licence change at the customer, `users` get `skuId` while seats are free. */
export interface SeatsTakenRule {
  customerId: string;
  skuId: string;
  after: number;
  /** User principal names, in order. */
  users: string[];
}

/** Faults that act once a write has been applied. */
export interface CommitFaults {
  dropAfterCommit?: DropAfterCommitRule | DropAfterCommitRule[];
  seatsTaken?: SeatsTakenRule;
}

/** Checks the fault options before the simulator listens. */
export function checkCommitFaults(f: CommitFaults | undefined): CommitFaults {
  for (const r of dropRules(f)) {
    const bad =
      !Object.values(ROUTES).includes(r.route) ||
      (r.times !== undefined && !(Number.isInteger(r.times) && r.times >= 1)) ||
      (r.probability !== undefined && !(r.probability >= 0 && r.probability <= 1)) ||
      (r.delayMs !== undefined && !(r.delayMs >= 0));
    if (bad) throw new UserError('sim.options', `Simulator dropAfterCommit rule ${JSON.stringify(r)}: route must be one of ${Object.values(ROUTES).join(', ')}, times ≥ 1, probability 0..1, delayMs ≥ 0.`);
  }
  const s = f?.seatsTaken;
  if (s && !(Number.isInteger(s.after) && s.after >= 1 && Array.isArray(s.users))) {
    throw new UserError('sim.options', 'Simulator seatsTaken needs customerId, skuId, after ≥ 1 and a users list.');
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
  await next();
  const faults = ctx.state.options.faults;
  const route = ctx.route ? ROUTES[`${ctx.route.method} ${ctx.route.pattern}`] : undefined;
  if (!faults || !route || ctx.reply.status >= 400) return;
  const customerId = ctx.params.customerId?.toLowerCase();
  if (route === 'licenses.update' && faults.seatsTaken && customerId === faults.seatsTaken.customerId.toLowerCase()) takeSeats(ctx, faults.seatsTaken);
  const c = countersOf(ctx.state);
  const rule = dropRules(faults).find((r) => r.route === route && (!r.customerId || r.customerId.toLowerCase() === customerId) && (c.dropped.get(r) ?? 0) < (r.times ?? Infinity));
  if (!rule) return;
  let random = c.random.get(rule);
  if (!random) c.random.set(rule, (random = mulberry32(rule.seed ?? 1)));
  if (random() >= (rule.probability ?? 1)) return;
  c.dropped.set(rule, (c.dropped.get(rule) ?? 0) + 1);
  ctx.detached = true;
  if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
  ctx.req.socket.destroy();
};

function takeSeats(ctx: SimContext, rule: SeatsTakenRule): void {
  const c = countersOf(ctx.state);
  const key = rule.customerId.toLowerCase();
  const seen = (c.changes.get(key) ?? 0) + 1;
  c.changes.set(key, seen);
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
