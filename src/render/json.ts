import { prettyStableJson } from '../core/hash.js';
import { customerPatch } from './state-view.js';
import type { Plan } from '../plan/types.js';

/**
 * The plan itself, plus for each customer `patch`: a JSON Patch from its live state to its desired state
 * (what tools can consume without knowing pcsync's action kinds). Keys sorted at every level, two-space
 * indent, newline at the end. This is also the body of a saved plan file, which apply reads back.
 */
export function renderJson(plan: Plan): string {
  return [...jsonChunks(plan)].join('');
}

/**
 * `renderJson` a customer at a time: each customer's text is made and handed on alone, spliced into the plan's
 * own text, byte for byte what prettyStableJson of the whole would give (the whole fleet as one sorted copy,
 * parsed back and indented, took ~4× its text in memory; the whole text at once ~60 KB per customer).
 */
export function* jsonChunks(plan: Plan): Generator<string> {
  const outer = prettyStableJson({ ...plan, customers: [] });
  const empty = '\n  "customers": [],\n';
  const at = outer.indexOf(empty);
  if (plan.customers.length === 0 || at < 0) {
    yield prettyStableJson({ ...plan, customers: plan.customers.map((c) => ({ ...c, patch: customerPatch(c) })) });
    return;
  }
  yield `${outer.slice(0, at)}\n  "customers": [\n`;
  const last = plan.customers.length - 1;
  for (const [i, c] of plan.customers.entries()) {
    const text = prettyStableJson({ ...c, patch: customerPatch(c) }).trimEnd();
    yield `    ${text.replaceAll('\n', '\n    ')}${i < last ? ',' : ''}\n`; // whole lines: the output boundary filters per line
  }
  yield `  ],\n${outer.slice(at + empty.length)}`;
}
