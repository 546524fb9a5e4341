import { customerSkuUsage, type SkuUsage } from './accounting.js';
import type { SimCustomer } from './model.js';
import type { SimState } from './state.js';

/**
 * Replies where the real Partner Center leaves pcsync short of facts (see SPEC.md, "Read gaps"). All off by
 * default; each reproduces a documented or reported behaviour so tests can show pcsync treats the gap as unknown.
 */
export interface ReadGaps {
  /** SKU ids GET subscribedskus leaves out of its reply (a partial reply; the SKU is still granted and held). */
  omitSkus?: string[];
  /** GET /v1/offers for a country other than the served one: `empty` (default, an empty list) or `refuse` (403 2030). */
  otherCountry?: 'empty' | 'refuse';
  /** GET /v1/offers/{id} of a retired offer: `serve` (default) or `refuse` (403 2091). */
  retiredOfferById?: 'serve' | 'refuse';
  /** GET …/subscriptions/{sid}/provisioningstatus: `serve` (default) or `refuse` (403 900150). */
  provisioningStatus?: 'serve' | 'refuse';
  /** A licence change shows in consumedUnits only from the (n+1)-th GET subscribedskus of that customer after it. */
  consumedLagReads?: number;
  /** UPNs of users deleted in the customer's directory who still hold their licences (counted, never listed). */
  deletedUsers?: string[];
}

/** One licence change not yet visible in consumedUnits. */
export interface LaggedChange {
  readonly before: readonly string[];
  readonly after: readonly string[];
  reads: number;
}

/** Records a licence change of one user, for `consumedLagReads`. */
export function noteLicenceChange(state: SimState, c: SimCustomer, before: readonly string[], after: readonly string[]): void {
  const reads = state.options.readGaps?.consumedLagReads ?? 0;
  if (reads <= 0) return;
  const key = c.id.toLowerCase();
  state.lagged.set(key, [...(state.lagged.get(key) ?? []), { before: [...before], after: [...after], reads }]);
}

/** The SKU usage GET subscribedskus reports: without omitted SKUs, with consumed units lagging. Counts one read. */
export function reportedUsage(state: SimState, c: SimCustomer): SkuUsage[] {
  const gaps = state.options.readGaps;
  const omit = new Set((gaps?.omitSkus ?? []).map((s) => s.toLowerCase()));
  const key = c.id.toLowerCase();
  const pending = state.lagged.get(key) ?? [];
  const lag = new Map<string, number>();
  const has = (list: readonly string[], id: string) => list.some((l) => l.toLowerCase() === id);
  for (const change of pending) {
    for (const id of new Set([...change.before, ...change.after].map((s) => s.toLowerCase()))) {
      const delta = (has(change.before, id) ? 1 : 0) - (has(change.after, id) ? 1 : 0);
      lag.set(id, (lag.get(id) ?? 0) + delta);
    }
    change.reads -= 1;
  }
  state.lagged.set(key, pending.filter((p) => p.reads > 0));
  return customerSkuUsage(state, c)
    .filter((u) => !omit.has(u.skuId.toLowerCase()))
    .map((u) => ({ ...u, consumedUnits: Math.max(0, u.consumedUnits + (lag.get(u.skuId.toLowerCase()) ?? 0)) }));
}
