import { replacementNames } from './build.js';
import { compareText as cmp, nameKey, offerIdKey, skuKey } from './names.js';
import type { DesiredSubscription } from '../desired/types.js';
import type { LiveOffer, LiveSubscription } from './live-records.js';
import type { Catalog, ReplacementOffer, RetiredOffer } from './types.js';

/** The retired offer with exactly this name (ignoring case and runs of spaces), if it is one. */
export function findRetired(catalog: Catalog, offerName: string): RetiredOffer | undefined {
  const key = nameKey(offerName);
  return catalog.retired.find((r) => nameKey(r.name) === key);
}

/** An offer a desired subscription refers to, as far as pcsync can tell. */
export interface ResolvedOffer {
  /** Upper-case legacy GUID or new-commerce id. */
  offerId: string;
  name: string;
  /** Licence SKU (lower-case) the offer's seats count towards, when known. */
  skuId?: string;
  /** False when the live catalogue says it cannot be bought. Catalogue-only offers are assumed purchasable. */
  purchasable: boolean;
  /** Where name and purchasability came from. */
  source: 'live' | 'catalog';
}

/**
 * `ref` is a name (catalogue key, replacement name or alias, or live offer name; case-insensitive) or an offer
 * id. Prefers the live offer (by id, then by name — offer ids differ by market) for name, SKU and
 * purchasability, and falls back to the catalogue.
 */
export function resolveOfferRef(ref: string, catalog: Catalog, liveOffers: Readonly<Record<string, LiveOffer>>): ResolvedOffer | undefined {
  if (isCatalogItem(ref)) return resolveCatalogItem(ref, liveOffers);
  const entry = findReplacement(catalog, ref);
  const names = entry ? replacementNames(entry) : [nameKey(ref)];
  const live = liveById(liveOffers, entry?.offerId ?? ref) ?? liveByName(liveOffers, names);
  if (live) {
    const skuId = skuKey(live.skuId) ?? skuKey(entry?.skuId);
    return { offerId: offerIdKey(live.id), name: live.name, ...(skuId ? { skuId } : {}), purchasable: live.isAvailableForPurchase, source: 'live' };
  }
  if (!entry) return undefined;
  const skuId = skuKey(entry.skuId);
  return { offerId: offerIdKey(entry.offerId), name: entry.name, ...(skuId ? { skuId } : {}), purchasable: true, source: 'catalog' };
}

/**
 * A new-commerce catalogue item `productId:skuId:availabilityId`. The availability part is reissued over time,
 * so it never decides identity (apply reads the current one just before buying); the product SKU does. Its
 * name and licence SKU come from a live offer `productId:skuId` when the catalogue lists one, else the YAML
 * gives `skuId`.
 */
function resolveCatalogItem(ref: string, liveOffers: Readonly<Record<string, LiveOffer>>): ResolvedOffer {
  const [productId, skuId] = ref.split(':');
  const live = liveById(liveOffers, `${productId}:${skuId}`);
  const sku = skuKey(live?.skuId);
  return { offerId: offerIdKey(ref), name: live?.name ?? ref, ...(sku ? { skuId: sku } : {}), purchasable: live?.isAvailableForPurchase ?? true, source: live ? 'live' : 'catalog' };
}

/** A new-commerce catalogue item id: `productId:skuId` or `productId:skuId:availabilityId` (legacy offer ids are GUIDs). */
export function isCatalogItem(ref: string): boolean {
  const parts = ref.split(':');
  return (parts.length === 2 || parts.length === 3) && parts.every((p) => /^[A-Za-z0-9]+$/.test(p));
}

/** Same offer: equal ids, or — for new commerce — the same `productId:skuId` whatever the availability. */
export function sameProduct(a: string, b: string): boolean {
  const product = (id: string) => offerIdKey(id).split(':').slice(0, 2).join(':');
  return offerIdKey(a) === offerIdKey(b) || (a.includes(':') && b.includes(':') && product(a) === product(b));
}

function findReplacement(catalog: Catalog, ref: string): ReplacementOffer | undefined {
  const name = nameKey(ref);
  const id = offerIdKey(ref);
  return catalog.replacements.find((r) => r.key === name || offerIdKey(r.offerId) === id || replacementNames(r).includes(name));
}

function liveById(offers: Readonly<Record<string, LiveOffer>>, id: string): LiveOffer | undefined {
  const key = offerIdKey(id);
  return offers[key] ?? Object.values(offers).find((o) => offerIdKey(o.id) === key);
}

function liveByName(offers: Readonly<Record<string, LiveOffer>>, names: readonly string[]): LiveOffer | undefined {
  const sorted = Object.values(offers).sort((a, b) => cmp(offerIdKey(a.id), offerIdKey(b.id)));
  return sorted.find((o) => names.includes(nameKey(o.name)));
}

/** Statuses under which a live subscription counts as "the customer has this offer". */
const HELD_STATUSES = new Set(['active', 'suspended', 'pending']);

/**
 * Live subscriptions a desired subscription refers to: by `match` (every given field must agree; any status
 * except deleted; a new-commerce `offerId` matches the same product SKU whatever availability either names) or, for offer-only entries, the active, pending or suspended subscriptions of the resolved
 * offer id (pending counts so that a purchase still provisioning is never bought again). Sorted by id.
 */
export function matchLiveSubscriptions(
  sub: DesiredSubscription,
  live: readonly LiveSubscription[],
  catalog: Catalog,
  liveOffers: Readonly<Record<string, LiveOffer>>,
): LiveSubscription[] {
  let found: LiveSubscription[];
  if (sub.match) {
    const m = sub.match;
    found = live.filter(
      (s) =>
        s.status !== 'deleted' &&
        (m.subscriptionId === undefined || s.id.toLowerCase() === m.subscriptionId.toLowerCase()) &&
        (m.offerId === undefined || sameProduct(s.offerId, m.offerId)) &&
        (m.offerName === undefined || nameKey(s.offerName) === nameKey(m.offerName)),
    );
  } else {
    const offer = sub.offer === undefined ? undefined : resolveOfferRef(sub.offer, catalog, liveOffers);
    found = offer ? live.filter((s) => sameProduct(s.offerId, offer.offerId) && HELD_STATUSES.has(s.status)) : [];
  }
  return found.sort((a, b) => cmp(a.id, b.id));
}

/**
 * The licence SKU of a desired subscription: its own `skuId`, else its offer's, else a matched live
 * subscription's, else the retired catalogue entry's. Lower-case; undefined when nothing tells.
 */
export function subscriptionSkuId(
  sub: DesiredSubscription,
  matched: readonly LiveSubscription[],
  catalog: Catalog,
  liveOffers: Readonly<Record<string, LiveOffer>>,
): string | undefined {
  return (
    skuKey(sub.skuId) ??
    skuKey(sub.offer === undefined ? undefined : resolveOfferRef(sub.offer, catalog, liveOffers)?.skuId) ??
    skuKey(matched.find((m) => skuKey(m.skuId) !== undefined)?.skuId) ??
    skuKey(sub.match?.offerName === undefined ? undefined : findRetired(catalog, sub.match.offerName)?.skuId)
  );
}
