export { buildCatalog } from './build.js';
export { BUILTIN_REPLACEMENTS, BUILTIN_RETIRED } from './builtin.js';
export { compareText, nameKey, offerIdKey, skuKey } from './names.js';
export { findRetired, matchLiveSubscriptions, resolveOfferRef, subscriptionSkuId, type ResolvedOffer } from './resolve.js';
export { readScope, type ReadScope } from './scope.js';
export type { Catalog, PriceGroup, ReplacementOffer, RetiredFamily, RetiredOffer, RetiredVariant } from './types.js';
export { keepPriceGroups, priceGroupOfName, priceVariant, retiringPriceGroups, PRICE_GROUP_TEXT } from './price-group.js';
