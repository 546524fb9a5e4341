import { UserError } from '../core/errors.js';
import type { Plan } from '../plan/types.js';

/** A saved plan cut down to the customers `--customer` / `--shard` selected, and what was left out. */
export interface SelectedPlan {
  readonly plan: Plan;
  /** Customers of the file not applied in this run (outside the selection); empty without a selection. */
  readonly leftOut: readonly string[];
}

/**
 * Checks a saved plan against the desired state it was made from and keeps the selected customers. A customer
 * the plan names that is not in desired state is refused before any request (the file cannot be what pcsync
 * planned); so is a `--customer` the plan does not contain. The plan keeps its actions hash: the run applies
 * a part of what was approved, and its journal stays keyed by the whole plan.
 */
export function selectPlanCustomers(plan: Plan, shownAs: string, desiredIds: readonly string[], selectedIds: readonly string[], named: readonly string[] | undefined, filtered: boolean): SelectedPlan {
  const desired = new Set(desiredIds.map((id) => id.toLowerCase()));
  const foreign = plan.customers.filter((c) => !desired.has(c.customerId.toLowerCase()));
  if (foreign.length > 0) {
    throw new UserError('plan.unknown-customer', `${shownAs}: names customer(s) ${foreign.map((c) => c.customerId).join(', ')} that are not in the desired state; nothing was sent. Run plan again.`);
  }
  if (!filtered) return { plan, leftOut: [] };
  const inPlan = new Set(plan.customers.map((c) => c.customerId.toLowerCase()));
  // `--customer` values are already resolved to ids (id, domain or file name): check the resolved ones.
  const missing = named && named.length > 0 ? selectedIds.filter((id) => !inPlan.has(id.toLowerCase())) : [];
  if (missing.length > 0) {
    throw new UserError('plan.customer-not-in-plan', `--customer ${missing.join(', ')}: not in ${shownAs}, so there is nothing approved to apply for it; nothing was sent.`);
  }
  const keep = new Set(selectedIds.map((id) => id.toLowerCase()));
  return {
    plan: { ...plan, customers: plan.customers.filter((c) => keep.has(c.customerId.toLowerCase())) },
    leftOut: plan.customers.filter((c) => !keep.has(c.customerId.toLowerCase())).map((c) => c.customerId),
  };
}
