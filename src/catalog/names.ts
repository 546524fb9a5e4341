/** Name comparison key: case-insensitive, runs of whitespace count as one space, ends trimmed. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Offer id comparison key: legacy GUIDs and new-commerce `productId:skuId:availabilityId` alike. */
export function offerIdKey(offerId: string): string {
  return offerId.trim().toUpperCase();
}

/** Licence SKU ids are compared lower-case everywhere. */
export function skuKey(skuId: string | undefined): string | undefined {
  return skuId === undefined || skuId.trim() === '' ? undefined : skuId.trim().toLowerCase();
}

/** Code-unit order: the same in every locale, so sorted output is byte-identical everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
