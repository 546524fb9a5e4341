import type { WireSubscribedSku } from '../partner-center/wire.js';
import type { LiveSku } from './types.js';

/** One subscribed SKU as pcsync keeps it; undefined without a `productSku.id`. */
export function toSku(s: WireSubscribedSku): LiveSku | undefined {
  const id = s.productSku?.id;
  if (!id) return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v ?? 0) || 0);
  return {
    skuId: id.toLowerCase(),
    skuPartNumber: s.productSku?.skuPartNumber,
    name: s.productSku?.name,
    totalUnits: n(s.totalUnits),
    consumedUnits: n(s.consumedUnits),
    availableUnits: n(s.availableUnits),
    activeUnits: n(s.activeUnits),
    suspendedUnits: n(s.suspendedUnits),
    warningUnits: n(s.warningUnits),
  };
}

/** A subscribedskus reply as LiveSkus, sorted by SKU id. */
export function toSkus(reply: readonly WireSubscribedSku[]): LiveSku[] {
  return reply
    .map(toSku)
    .filter((s): s is LiveSku => s !== undefined)
    .sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
}
