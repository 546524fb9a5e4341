import { prettyStableJson } from '../core/hash.js';
import { customerPatch } from './state-view.js';
import type { Plan } from '../plan/types.js';

/**
 * The plan itself, plus for each customer `patch`: a JSON Patch from its live state to its desired state
 * (what tools can consume without knowing pcsync's action kinds). Keys sorted at every level, two-space
 * indent, newline at the end. This is also the body of a saved plan file, which apply reads back.
 */
export function renderJson(plan: Plan): string {
  return prettyStableJson({ ...plan, customers: plan.customers.map((c) => ({ ...c, patch: customerPatch(c) })) });
}
