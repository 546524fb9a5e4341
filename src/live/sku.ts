import type { WireServicePlan, WireSubscribedSku } from '../partner-center/wire.js';
import type { LivePlan, LiveSku } from './types.js';

/**
 * One subscribed SKU as pcsync keeps it; undefined without a `productSku.id`, or when its consumed or total units
 * are missing or not numbers: a count pcsync cannot read is unknown (the SKU then counts as not reported), never 0.
 */
export function toSku(s: WireSubscribedSku): LiveSku | undefined {
  const id = s.productSku?.id;
  if (!id || !readable(s.consumedUnits) || !(readable(s.totalUnits) || readable(s.activeUnits))) return undefined;
  const n = (v: unknown) => (readable(v) ? Number(v) : 0);
  return {
    skuId: id.toLowerCase(),
    skuPartNumber: s.productSku?.skuPartNumber,
    name: s.productSku?.name,
    totalUnits: readable(s.totalUnits) ? n(s.totalUnits) : n(s.activeUnits),
    consumedUnits: n(s.consumedUnits),
    availableUnits: n(s.availableUnits),
    activeUnits: n(s.activeUnits),
    suspendedUnits: n(s.suspendedUnits),
    warningUnits: n(s.warningUnits),
    ...(s.servicePlans?.length ? { servicePlans: toPlans(s.servicePlans) } : {}),
  };
}

/** Service plans as pcsync keeps them (ids lower-cased, sorted by id); those without an id are left out. */
export function toPlans(plans: readonly WireServicePlan[]): LivePlan[] {
  return plans
    .filter((p) => typeof p.id === 'string' && p.id !== '')
    .map((p) => ({ id: p.id!.toLowerCase(), ...(p.serviceName && { serviceName: p.serviceName }), ...(p.displayName && { displayName: p.displayName }) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A subscribedskus reply as LiveSkus, sorted by SKU id. */
export function toSkus(reply: readonly WireSubscribedSku[]): LiveSku[] {
  return reply
    .map(toSku)
    .filter((s): s is LiveSku => s !== undefined)
    .sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
}

function readable(v: unknown): boolean {
  return (typeof v === 'number' || (typeof v === 'string' && v.trim() !== '')) && Number.isFinite(Number(v));
}
