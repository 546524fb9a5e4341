import { hashOf } from '../core/hash.js';
import { excerpt } from '../core/inert.js';
import type { Action, CustomerPlan } from '../plan/types.js';

/** Fields that only explain an action to a human; the live offer names may word them differently. */
const DISPLAY_ONLY = ['reasonText', 'offerName', 'assignName', 'removeNames'] as const;

/**
 * True when the re-plan of a customer from today's live state (at the plan's time) gives the saved customer's
 * actions — their hash, over everything an action sends or decides on, must agree — and blocks it no more than the
 * saved plan did. Apply runs what pcsync plans, never only what a plan file says.
 */
export function samePlan(saved: CustomerPlan, fresh: CustomerPlan): boolean {
  return fresh.blockers.length === saved.blockers.length && hashOf(fresh.actions.map(executable)) === hashOf(saved.actions.map(executable));
}

/**
 * True when the re-plan differs from the saved plan only because Microsoft Graph did not answer the GDAP pre-check
 * now (a purchase's "not verified" words, warning `gdap-read-failed`): a read that failed, not a changed plan.
 */
export function onlyGraphUnanswered(saved: CustomerPlan, fresh: CustomerPlan): boolean {
  if (!fresh.warnings.some((w) => w.code === 'gdap-read-failed') || fresh.blockers.length !== saved.blockers.length) return false;
  const bare = (a: Action) => {
    const { notVerified: _n, ...rest } = executable(a) as { notVerified?: unknown };
    return rest;
  };
  return hashOf(fresh.actions.map(bare)) === hashOf(saved.actions.map(bare));
}

/** How many differences `planDifference` names before it counts the rest. */
const NAMED = 3;

/**
 * What differs between a saved customer plan and its re-plan, in one sentence: the first new blocker; else up to
 * three differences — observed facts of actions first (the cause: a licence someone removed), then actions planned
 * then and not now, other fields (the effect: fewer seats to buy), actions planned now and not then — each with
 * both values (plan → now), and how many more there are. Values are cut short and inert.
 */
export function planDifference(saved: CustomerPlan, fresh: CustomerPlan): string {
  if (fresh.blockers.length > 0) {
    const more = fresh.blockers.length > 1 ? ` (and ${fresh.blockers.length - 1} more)` : '';
    return `live state now blocks this customer: ${fresh.blockers[0]!.message}${more}`;
  }
  const freshById = new Map(fresh.actions.map((a) => [a.id, a]));
  const savedIds = new Set(saved.actions.map((a) => a.id));
  const observed: string[] = [];
  const gone: string[] = [];
  const other: string[] = [];
  for (const a of saved.actions) {
    const now = freshById.get(a.id);
    if (!now) {
      gone.push(`${short(a)} is no longer needed`);
      continue;
    }
    const [then, next] = [executable(a), executable(now)];
    const fact = firstDifferentField({ observed: then.observed }, { observed: next.observed });
    if (fact) observed.push(changed(a, fact));
    else {
      const field = firstDifferentField(then, next);
      if (field) other.push(changed(a, field));
    }
  }
  const added = fresh.actions.filter((a) => !savedIds.has(a.id)).map((a) => `${short(a)} is needed now, and not in the plan`);
  const all = [...observed, ...gone, ...other, ...added];
  if (all.length === 0) return saved.blockers.length !== fresh.blockers.length ? 'the plan blocked this customer, live state no longer does' : 'the actions are the same';
  const more = all.length > NAMED ? ` (and ${all.length - NAMED} more difference(s))` : '';
  return `${all.slice(0, NAMED).join('; ')}${more}`;
}

/** The first field in which two plain values differ, as `path is X in the plan, Y now`; undefined when equal. */
export function fieldDifference(then: unknown, now: unknown): string | undefined {
  const d = firstDifferentField(then, now);
  return d && `${d.path} is ${shown(d.then)} in the plan, ${shown(d.now)} now`;
}

function changed(a: Action, d: FieldDifference): string {
  return `${short(a)}: ${d.path} is ${shown(d.then)} in the plan, ${shown(d.now)} now`;
}

/** An action's id without its customer id: `purchase/sales-pro`, `reassign/ana@contoso.com`. */
function short(a: Action): string {
  const prefix = `${a.customerId}/`;
  return a.id.startsWith(prefix) ? a.id.slice(prefix.length) : a.id;
}

/** An action without its display-only fields, its GUIDs in one case (Partner Center answers either). */
function executable(a: Action): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const k of DISPLAY_ONLY) delete out[k];
  return caselessIds(out) as Record<string, unknown>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A plain value with every GUID string lower-cased (a subscription id in upper case now, lower case then, is the same id). */
export function caselessIds(v: unknown): unknown {
  if (typeof v === 'string') return GUID.test(v) ? v.toLowerCase() : v;
  if (Array.isArray(v)) return v.map(caselessIds);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, caselessIds(x)]));
  return v;
}

interface FieldDifference {
  readonly path: string;
  readonly then: unknown;
  readonly now: unknown;
}

/** The first (sorted) path at which two plain values differ, or undefined when they are equal. */
function firstDifferentField(then: unknown, now: unknown, path = ''): FieldDifference | undefined {
  if (isRecord(then) && isRecord(now)) {
    for (const key of [...new Set([...Object.keys(then), ...Object.keys(now)])].sort()) {
      const d = firstDifferentField(then[key], now[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return undefined;
  }
  return hashOf(then ?? null) === hashOf(now ?? null) ? undefined : { path: path || '(value)', then, now };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value for the sentence: strings quoted and cut short, lists as `[a, b]`, nothing as `(none)`. */
function shown(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? excerpt(x, 60).slice(1, -1) : shown(x))).join(', ')}]`;
  return typeof v === 'string' ? excerpt(v, 80) : excerpt(JSON.stringify(v), 80).slice(1, -1);
}
