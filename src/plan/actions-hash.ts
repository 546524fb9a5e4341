import { hashOfItems } from '../core/hash.js';
import type { PlanCost } from './cost.js';
import type { Action } from './types.js';

/**
 * The actions hash of a plan: sha256 over every customer's id and actions (ids, kinds, parameters), in plan
 * order, and — when the plan has prices — each purchase's unit price and currency, exactly what the reviewer sees
 * in the comment (`unit price / month`; null when the price is unknown). What reviewers approve, so an approval
 * covers the money: the same actions at another price hash differently. Apply recomputes it from the actions and
 * prices it is about to run and never trusts a plan file's own `actionsHash` field. Fed one customer at a time (a
 * fleet's whole text is never built).
 */
export function actionsHashOf(customers: readonly { readonly customerId: string; readonly actions: readonly Action[] }[], cost?: PlanCost): string {
  return hashOfItems(eachCustomer(customers, cost));
}

function* eachCustomer(customers: readonly { readonly customerId: string; readonly actions: readonly Action[] }[], cost: PlanCost | undefined) {
  const byAction = new Map((cost?.purchases ?? []).map((p) => [p.actionId, p]));
  const renewalBy = new Map((cost?.renewals ?? []).map((p) => [p.actionId, p]));
  for (const c of customers) {
    const purchases = cost ? c.actions.filter((a) => a.kind === 'purchase') : [];
    const renewals = cost ? c.actions.filter((a) => a.kind === 'schedule-renewal') : [];
    if (purchases.length === 0 && renewals.length === 0) {
      yield { customerId: c.customerId, actions: c.actions };
      continue;
    }
    const prices = purchases.map((a) => {
      const p = byAction.get(a.id);
      // The exact price of the row as well: the unit price is rounded to cents, a rise below a cent is not.
      return { actionId: a.id, currency: p?.currency ?? null, unitPrice: p?.unitPrice ?? null, ...(p?.periodPrice !== undefined ? { periodPrice: p.periodPrice } : {}) };
    });
    // A change at renewal is approved with its yearly money effect, as a purchase is with its price.
    const renewalPrices = renewals.map((a) => {
      const r = renewalBy.get(a.id);
      return { actionId: a.id, currency: r?.currency ?? null, now: r?.unitPriceNow ?? null, next: r?.unitPriceNext ?? null };
    });
    yield { customerId: c.customerId, actions: c.actions, prices, ...(renewalPrices.length > 0 && { renewalPrices }) };
  }
}
