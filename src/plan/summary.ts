import { isRetirement, type Action, type Plan } from './types.js';

/** Totals the renderers show in their headline. */
export interface PlanSummary {
  /** Customers in the plan. */
  readonly customers: number;
  /** Customers with at least one action. */
  readonly changed: number;
  /** Customers with at least one blocker (nothing is written for them). */
  readonly blocked: number;
  readonly purchases: number;
  /** Seats added by all purchases (new quantity, or the increase). */
  readonly seatsBought: number;
  /** Users whose licences change (one reassign action each). */
  readonly usersMoved: number;
  /** Subscriptions retired: suspended (legacy), cancelled or set to end at term end (new commerce). */
  readonly retirements: number;
  readonly blockers: number;
  readonly warnings: number;
}

/** 3 if any customer is blocked, else 2 if anything would change, else 0. */
export function planExitCode(plan: Plan): 0 | 2 | 3 {
  if (plan.customers.some((c) => c.blockers.length > 0)) return 3;
  return plan.customers.some((c) => c.actions.length > 0) ? 2 : 0;
}

export function summarize(plan: Plan): PlanSummary {
  const actions = plan.customers.flatMap((c) => c.actions);
  const count = (kind: Action['kind']) => actions.filter((a) => a.kind === kind).length;
  return {
    customers: plan.customers.length,
    changed: plan.customers.filter((c) => c.actions.length > 0).length,
    blocked: plan.customers.filter((c) => c.blockers.length > 0).length,
    purchases: count('purchase'),
    seatsBought: actions.reduce((n, a) => n + seatsBought(a), 0),
    usersMoved: count('reassign'),
    retirements: actions.filter(isRetirement).length,
    blockers: plan.customers.reduce((n, c) => n + c.blockers.length, 0),
    warnings: plan.customers.reduce((n, c) => n + c.warnings.length, 0),
  };
}

/** Seats an action buys: the whole order for a new subscription, the difference for an increase. */
export function seatsBought(a: Action): number {
  if (a.kind !== 'purchase') return 0;
  return a.mode === 'new' ? a.quantity : a.quantity - a.observed.quantity;
}
