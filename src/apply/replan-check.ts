import { hashOf } from '../core/hash.js';
import type { Action, CustomerPlan } from '../plan/types.js';

/** Fields that only explain an action to a human; the live offer names may word them differently. */
const DISPLAY_ONLY = ['reasonText', 'offerName', 'assignName', 'removeNames'] as const;

/**
 * True when a re-plan from the live state the plan was made from (same fingerprint) gives the saved customer's
 * actions: their hash, recomputed over everything an action sends or decides on, must agree, and so must
 * whether the customer is blocked. Apply runs what pcsync plans, never only what a plan file says.
 */
export function samePlan(saved: CustomerPlan, fresh: CustomerPlan): boolean {
  return fresh.blockers.length === saved.blockers.length && hashOf(fresh.actions.map(executable)) === hashOf(saved.actions.map(executable));
}

/** An action without its display-only fields. */
function executable(a: Action): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const k of DISPLAY_ONLY) delete out[k];
  return out;
}
