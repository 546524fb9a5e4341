import { problem } from './problems.js';
import { seatsBought } from './summary.js';
import type { CustomerPlan } from './types.js';

/**
 * policy.maxSeatsPerRun over the whole plan: customers in id order spend the budget; the first one that
 * would go past it, and every later one that buys seats, is blocked. Blocked customers spend nothing.
 */
export function applySpendCap(customers: readonly CustomerPlan[], cap: number | undefined): CustomerPlan[] {
  if (cap === undefined) return [...customers];
  let spent = 0;
  let over = false;
  return customers.map((c) => {
    const seats = c.actions.reduce((n, a) => n + seatsBought(a), 0);
    if (c.blockers.length > 0 || seats === 0) return c;
    if (!over && spent + seats <= cap) {
      spent += seats;
      return c;
    }
    over = true;
    const blocker = problem('spend-cap', `${c.displayName} (${c.customerId}) would buy ${seats} seat(s), past policy.maxSeatsPerRun (${cap}); ${spent} are planned for customers before it`, {
      hint: 'raise policy.maxSeatsPerRun, or plan this customer in a later run (--customer)',
    });
    return { ...c, blockers: [...c.blockers, blocker] };
  });
}
