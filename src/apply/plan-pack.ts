import type { Action, CustomerPlan, Plan } from '../plan/types.js';

/**
 * The compact form of actions in a saved plan file (`packing: "delta-v1"`). A fleet's actions repeat themselves
 * — every licence move of a customer names the same customer, SKUs, names, handles and reason — so each action is
 * stored as only the fields that differ from the previous action of the same kind in that customer, and its
 * `id` and `customerId` without the customer id they start with. `unpackPlan(packPlan(p))` gives `p` back
 * exactly; the reader checks that by recomputing the plan's actions hash. Pure.
 */
export const PACKING = 'delta-v1';

type Json = Record<string, unknown>;

/** Key of a packed action listing the fields the previous action of its kind had and this one has not. */
const UNSET = '-';

/** The plan with its actions packed (and nothing else changed). */
export function packPlan(plan: Plan): Json {
  // a malformed plan (only from a test or a hand-made file) is left for the reader to refuse by name
  if (!Array.isArray(plan.customers)) return { ...plan, packing: PACKING };
  return { ...plan, packing: PACKING, customers: plan.customers.map((c) => (Array.isArray(c?.actions) ? packCustomer(c) : c)) };
}

/** The plan with its actions unpacked; a plan without `packing` is returned as it is. */
export function unpackPlan(data: Json): Json {
  if (data.packing !== PACKING || !Array.isArray(data.customers)) return data;
  const { packing: _packing, ...rest } = data;
  return { ...rest, customers: (data.customers as Json[]).map((c) => (Array.isArray(c?.actions) ? unpackCustomer(c) : c)) };
}

export function packCustomer(c: CustomerPlan): Json {
  const previous = new Map<string, Json>();
  const actions = c.actions.map((a) => {
    const full = withoutCustomer(a as unknown as Json, c.customerId);
    const before = previous.get(a.kind);
    previous.set(a.kind, full);
    if (!before) return full;
    const delta: Json = { kind: a.kind };
    for (const [k, v] of Object.entries(full)) if (!same(v, before[k])) delta[k] = v;
    const gone = Object.keys(before).filter((k) => !(k in full));
    if (gone.length > 0) delta[UNSET] = gone;
    return delta;
  });
  return { ...c, actions };
}

export function unpackCustomer(c: Json): Json {
  const customerId = String(c.customerId);
  const previous = new Map<string, Json>();
  const actions = (c.actions as Json[]).map((delta) => {
    const kind = String(delta.kind);
    const full: Json = { ...(previous.get(kind) ?? {}) };
    for (const [k, v] of Object.entries(delta)) if (k !== UNSET) own(full, k, v);
    const gone = delta[UNSET];
    if (Array.isArray(gone)) for (const k of gone) delete full[String(k)];
    previous.set(kind, full);
    return withCustomer(full, customerId);
  });
  return { ...c, actions };
}

/** `customerId` dropped when it is the customer's; ids and dependencies relative to it. */
function withoutCustomer(a: Json, customerId: string): Json {
  const prefix = `${customerId}/`;
  const rel = (id: unknown) => (typeof id === 'string' && id.startsWith(prefix) ? `./${id.slice(prefix.length)}` : id);
  const { customerId: own, ...rest } = a;
  const out: Json = { ...rest, id: rel(a.id) };
  if (own !== customerId) out.customerId = own;
  if (Array.isArray(a.dependsOn)) out.dependsOn = a.dependsOn.map(rel);
  return out;
}

function withCustomer(a: Json, customerId: string): Json {
  const abs = (id: unknown) => (typeof id === 'string' && id.startsWith('./') ? `${customerId}/${id.slice(2)}` : id);
  const out: Json = { ...a, id: abs(a.id), customerId: a.customerId ?? customerId };
  if (Array.isArray(a.dependsOn)) out.dependsOn = a.dependsOn.map(abs);
  return out as unknown as Action & Json;
}

/**
 * Sets `o[k] = v` as an own property whatever `k` is: a packed action is untrusted text, and a plain assignment of
 * the key `__proto__` would set the action's prototype instead — fields the hash never sees but the executor reads.
 */
function own(o: Json, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function same(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));
}
