import type { SimCustomer } from './model.js';
import type { SimState } from './state.js';

/** Licence counts of one SKU in one customer, as GET subscribedskus reports them. */
export interface SkuUsage {
  skuId: string;
  /** Sum of quantities of visible active subscriptions granting the SKU (= totalUnits). */
  activeUnits: number;
  /** Sum of quantities of visible suspended subscriptions granting the SKU. */
  suspendedUnits: number;
  /** Users holding the SKU. */
  consumedUnits: number;
}

/** Usage of one SKU; zeros when nothing grants or holds it. */
export function usageOf(state: SimState, c: SimCustomer, skuId: string): SkuUsage {
  const id = skuId.toLowerCase();
  const usage: SkuUsage = { skuId: state.sku(skuId)?.skuId ?? skuId, activeUnits: 0, suspendedUnits: 0, consumedUnits: 0 };
  for (const s of state.visibleSubscriptions(c)) {
    if (state.skuOf(s).toLowerCase() !== id) continue;
    if (s.status === 'active') usage.activeUnits += s.quantity;
    else if (s.status === 'suspended') usage.suspendedUnits += s.quantity;
  }
  usage.consumedUnits = c.users.filter((u) => u.licenses.some((l) => l.toLowerCase() === id)).length;
  return usage;
}

/** Every SKU in use by a customer (granted by a visible, not deleted subscription, or held by a user). */
export function customerSkuUsage(state: SimState, c: SimCustomer): SkuUsage[] {
  const ids = new Map<string, string>();
  const add = (id: string) => {
    if (!ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), id);
  };
  for (const s of state.visibleSubscriptions(c)) if (s.status !== 'deleted') add(state.skuOf(s));
  for (const u of c.users) u.licenses.forEach(add);
  return [...ids.values()].map((id) => usageOf(state, c, id));
}
