import type { SimContext } from './context.js';
import { requireCustomer } from './customers.js';
import { Code, SimFault } from './faults.js';
import { sameId, type SimCustomer, type SimSubscription, type SimUser } from './model.js';

/**
 * Finding what a route's path names, or answering as Partner Center does when it is not there: one lookup for
 * the subscription and licence routes (customer first: 403 / 20002, then the subscription or user: 404).
 */

/** A subscription a client may see: unknown → 404 / 20003; ordered but still provisioning → 404 / 20000. */
export function requireSubscription(ctx: SimContext, c: SimCustomer, id: string): SimSubscription {
  const sub = c.subscriptions.find((s) => sameId(s.id, id));
  if (!sub) throw new SimFault(404, Code.subscriptionNotFound, `Subscription with ID ${id} not found.`, [id]);
  if (!ctx.state.isVisible(sub)) {
    throw new SimFault(404, Code.orderNotFound, `Subscription with ID ${id} is still being provisioned.`, [id]);
  }
  return sub;
}

/** A user of the customer, or 404 / 60002. */
export function requireUser(ctx: SimContext, c: SimCustomer, id: string): SimUser {
  const u = ctx.state.user(c, id);
  if (!u || u.deleted) throw new SimFault(404, Code.userNotFound, `User object id ${id} was not found in customer ${c.id}.`, [id]);
  return u;
}

/** The customer and subscription `/customers/:customerId/subscriptions/:subscriptionId…` names. */
export function pathSubscription(ctx: SimContext, p: Record<string, string>): { c: SimCustomer; sub: SimSubscription } {
  const c = requireCustomer(ctx, p.customerId!);
  return { c, sub: requireSubscription(ctx, c, p.subscriptionId!) };
}

/** The customer and user `/customers/:customerId/users/:userId…` names. */
export function pathUser(ctx: SimContext, p: Record<string, string>): { c: SimCustomer; u: SimUser } {
  const c = requireCustomer(ctx, p.customerId!);
  return { c, u: requireUser(ctx, c, p.userId!) };
}
