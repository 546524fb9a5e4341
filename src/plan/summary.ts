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
  // counted a customer at a time: a held plan unpacks its actions at each read (held-plan.ts), so the whole
  // fleet's actions are never in memory at once
  let changed = 0;
  let purchases = 0;
  let seats = 0;
  let usersMoved = 0;
  let retirements = 0;
  for (const c of plan.customers) {
    const actions = c.actions;
    if (actions.length > 0) changed += 1;
    for (const a of actions) {
      if (a.kind === 'purchase') purchases += 1;
      if (a.kind === 'reassign') usersMoved += 1;
      if (isRetirement(a)) retirements += 1;
      seats += seatsBought(a);
    }
  }
  return {
    customers: plan.customers.length,
    changed,
    blocked: plan.customers.filter((c) => c.blockers.length > 0).length,
    purchases,
    seatsBought: seats,
    usersMoved,
    retirements,
    blockers: plan.customers.reduce((n, c) => n + c.blockers.length, 0),
    warnings: plan.customers.reduce((n, c) => n + c.warnings.length, 0),
  };
}

/** Seats an action buys: the whole order for a new subscription, the difference for an increase. */
export function seatsBought(a: Action): number {
  if (a.kind !== 'purchase') return 0;
  return a.mode === 'new' ? a.quantity : a.quantity - a.observed.quantity;
}
