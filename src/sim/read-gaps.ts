import { customerSkuUsage, type SkuUsage } from './accounting.js';
import type { SimCustomer } from './model.js';
import type { SimState } from './state.js';

export type { LaggedChange, ReadGaps } from './options.js';

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
