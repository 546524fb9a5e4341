import { prettyStableJson } from '../core/hash.js';
import { customerPatch } from './state-view.js';
import type { Plan } from '../plan/types.js';

/**
 * The plan itself, plus for each customer `patch`: a JSON Patch from its live state to its desired state
 * (what tools can consume without knowing pcsync's action kinds). Keys sorted at every level, two-space
 * indent, newline at the end. This is also the body of a saved plan file, which apply reads back.
 */
export function renderJson(plan: Plan): string {
  // Built one customer at a time and spliced into the plan's own text, byte for byte what prettyStableJson of the
  // whole would give: the whole fleet as one sorted copy, parsed back and indented, took ~4× its text in memory.
  const outer = prettyStableJson({ ...plan, customers: [] });
  const empty = '\n  "customers": [],\n';
  const at = outer.indexOf(empty);
  if (plan.customers.length === 0 || at < 0) return prettyStableJson({ ...plan, customers: plan.customers.map((c) => ({ ...c, patch: customerPatch(c) })) });
  const parts = [outer.slice(0, at), '\n  "customers": [\n'];
  plan.customers.forEach((c, i) => {
    const text = prettyStableJson({ ...c, patch: customerPatch(c) }).trimEnd();
    parts.push(`${i > 0 ? ',\n' : ''}    ${text.replaceAll('\n', '\n    ')}`);
  });
  parts.push('\n  ],\n', outer.slice(at + empty.length));
  return parts.join('');
}
