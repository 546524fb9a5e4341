import { compareText } from '../catalog/names.js';
import { actionsHashOf } from './actions-hash.js';
import { finalizeCustomer, planCustomer } from './customer.js';
import { applySpendCap } from './spend-cap.js';
import { applySpendAmountCap } from './spend-money-cap.js';
import { planCost, type PriceBook } from './cost.js';
import { PLAN_FORMAT_VERSION, type CustomerPlan, type Plan } from './types.js';
import type { Catalog } from '../catalog/types.js';
import type { DesiredState } from '../desired/types.js';
import type { LiveState } from '../live/types.js';

/** What the planner takes from outside besides the states: it has no clock of its own. */
export interface PlanContext {
  /** ISO time the plan is made. */
  now: string;
  pcsyncVersion: string;
  /** Prices read for this run (price sheet or price-list file); absent = no cost preview. */
  prices?: PriceBook;
}

/**
 * `(desired, live, catalogue) → Plan`, pure: desired customers drive the plan (live ones matched by id);
 * each customer is planned on its own, then the run-wide seat and spend caps apply, then blocked customers lose
 * their actions. The same input always gives byte-identical JSON.
 */
export function buildPlan(desired: DesiredState, live: LiveState, catalog: Catalog, ctx: PlanContext): Plan {
  const liveById = new Map(live.customers.map((c) => [c.id.toLowerCase(), c]));
  const catalogue = { offers: live.offers, ...(live.catalogueProblem !== undefined && { problem: live.catalogueProblem }) };
  const drafts = desired.customers.map((c) => planCustomer({ desired: c, live: liveById.get(c.id.toLowerCase()), catalog, catalogue, partner: desired.partner, now: ctx.now }));
  return finishPlan(desired, drafts, ctx);
}

/**
 * The run-wide part of planning, pure: `drafts` are the customers' own plans (`planCustomer`, one per desired
 * customer, any order); they are sorted by customer id, the seat and spend caps apply over all of them, blocked
 * customers lose their actions, and the actions hash and cost are computed. `buildPlan` is this after planning
 * each customer; plan and apply call it on drafts made while reading, one customer at a time.
 */
export function finishPlan(desired: DesiredState, drafts: readonly CustomerPlan[], ctx: PlanContext): Plan {
  const sorted = [...drafts].sort((a, b) => compareText(a.customerId, b.customerId));
  const seatCapped = applySpendCap(sorted, desired.partner.policy.maxSeatsPerRun);
  const customers = applySpendAmountCap(seatCapped, desired.partner.policy.maxSpendPerRun, ctx.prices, ctx.now).map(finalizeCustomer);
  const cost = ctx.prices ? planCost(customers, ctx.prices, ctx.now) : undefined;
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    pcsyncVersion: ctx.pcsyncVersion,
    createdAt: ctx.now,
    desiredHash: desired.contentHash,
    actionsHash: actionsHashOf(customers, cost),
    customers,
    ...(cost ? { cost } : {}),
  };
}
