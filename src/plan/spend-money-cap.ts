import { money, purchaseCost, type PriceBook } from './cost.js';
import { problem } from './problems.js';
import type { CustomerPlan, PurchaseAction } from './types.js';

/** `policy.maxSpendPerRun`: the most one run may commit to, in one currency. */
export interface SpendCap {
  readonly amount: number;
  /** ISO-4217, upper-case. */
  readonly currency: string;
}

/**
 * policy.maxSpendPerRun over the whole plan, like the seat cap: customers in id order spend the budget
 * (committed cost: unit price × seats × term months); the first one that would go past it, and every later
 * one that buys anything, is blocked. A purchase whose price is unknown, or in another currency, cannot be
 * checked against the cap, so it blocks its customer too (unknown is never 0). Blocked customers spend nothing.
 */
export function applySpendAmountCap(customers: readonly CustomerPlan[], cap: SpendCap | undefined, book: PriceBook | undefined, at: string): CustomerPlan[] {
  if (cap === undefined) return [...customers];
  let spent = 0;
  let over = false;
  const limit = `policy.maxSpendPerRun (${cap.currency} ${cap.amount.toFixed(2)})`;
  return customers.map((c) => {
    const purchases = c.actions.filter((a): a is PurchaseAction => a.kind === 'purchase');
    if (c.blockers.length > 0 || purchases.length === 0) return c;
    const costs = book ? purchases.map((a) => purchaseCost(a, book, at)) : [];
    const unpricedCosts = costs.filter((p) => p.committed === undefined || p.currency !== cap.currency);
    if (!book || unpricedCosts.length > 0) {
      // the price's own reason (not in the list, not effective now, a legacy offer the new-commerce sheet lacks)
      const why = book ? unpricedCosts.map((p) => p.unknown ?? `"${p.offerName}" is priced in ${p.currency}, not ${cap.currency}`).join('; ') : 'no price source is configured (prices: in pcsync.yaml)';
      const blocker = problem('spend-unknown', `${c.displayName} (${c.customerId}): cannot check ${limit}: ${why}`, {
        hint: 'add the missing prices to the price list, or remove policy.maxSpendPerRun',
      });
      return { ...c, blockers: [...c.blockers, blocker] };
    }
    const cost = money(costs.reduce((n, p) => n + p.committed!, 0));
    if (!over && money(spent + cost) <= cap.amount) {
      spent = money(spent + cost);
      return c;
    }
    over = true;
    const blocker = problem('spend-over-cap', `${c.displayName} (${c.customerId}) would commit ${cap.currency} ${cost.toFixed(2)}, past ${limit}; ${cap.currency} ${spent.toFixed(2)} is planned for customers before it`, {
      hint: 'raise policy.maxSpendPerRun, or plan this customer in a later run (--customer)',
    });
    return { ...c, blockers: [...c.blockers, blocker] };
  });
}
