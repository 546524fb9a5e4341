import { stableStringify } from '../core/hash.js';
import type { Plan } from '../plan/types.js';

/** The plan itself: keys sorted at every level, two-space indent, newline at the end. Apply reads this back. */
export function renderJson(plan: Plan): string {
  return `${JSON.stringify(JSON.parse(stableStringify(plan)), null, 2)}\n`;
}
