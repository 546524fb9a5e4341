import { findRetired, matchLiveSubscriptions, resolveOfferRef, type ResolvedOffer } from './resolve.js';
import { compareText, nameKey, offerIdKey } from './names.js';
import type { DesiredCustomer } from '../desired/types.js';
import type { LiveOffer, LiveSubscription } from './live-records.js';
import type { Catalog, PriceGroup } from './types.js';

/** How each price group shows in an offer name (Government right after the product, education at the end). */
const MARKERS: ReadonlyArray<{ group: PriceGroup; pattern: RegExp }> = [
  { group: 'government', pattern: /\s*\(government pricing\)/i },
  { group: 'faculty', pattern: /\s+for faculty\b/i },
  { group: 'students', pattern: /\s+for students\b/i },
];

/** Words for a price group in messages: "Government Pricing", "Faculty", "Students", "commercial". */
export const PRICE_GROUP_TEXT: Record<PriceGroup, string> = { commercial: 'commercial', government: 'Government Pricing', faculty: 'Faculty', students: 'Students' };

/** The price group an offer name carries; commercial when it names none. */
export function priceGroupOfName(name: string): PriceGroup {
  return MARKERS.find((m) => m.pattern.test(name))?.group ?? 'commercial';
}

/** The offer name without its price-group marker, as a comparison key. */
function baseKey(name: string): string {
  return nameKey(MARKERS.reduce((n, m) => n.replace(m.pattern, ''), name));
}

/** The live, purchasable offer that is `offer` in price group `group` (same name but for the marker), if any. */
export function priceVariant(offer: { name: string }, group: PriceGroup, liveOffers: Readonly<Record<string, LiveOffer>>): LiveOffer | undefined {
  const base = baseKey(offer.name);
  return Object.values(liveOffers)
    .filter((o) => o.isAvailableForPurchase && priceGroupOfName(o.name) === group && baseKey(o.name) === base)
    .sort((a, b) => compareText(offerIdKey(a.id), offerIdKey(b.id)))[0];
}

/**
 * Active subscriptions the customer's retiring entries (status: suspended) match, by their retired price group;
 * with `handles`, only the entries of those handles (the ones a replacement takes its users from).
 */
export function retiringPriceGroups(
  desired: DesiredCustomer,
  liveSubs: readonly LiveSubscription[],
  catalog: Catalog,
  liveOffers: Readonly<Record<string, LiveOffer>>,
  handles?: ReadonlySet<string>,
): Map<PriceGroup, LiveSubscription[]> {
  const groups = new Map<PriceGroup, LiveSubscription[]>();
  for (const s of desired.subscriptions) {
    if (s.status !== 'suspended' || (handles && !handles.has(s.handle))) continue;
    for (const sub of matchLiveSubscriptions(s, liveSubs, catalog, liveOffers)) {
      const retired = sub.status === 'active' ? findRetired(catalog, sub.offerName) : undefined;
      if (!retired || retired.priceGroup === 'custom') continue;
      groups.set(retired.priceGroup, [...(groups.get(retired.priceGroup) ?? []), sub]);
    }
  }
  return groups;
}

const OFFER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|:/i;

/**
 * The desired customer with each replacement named by *name* (not by offer id) switched to its variant in the
 * price group of the subscriptions it retires — Government, Faculty or Students — when the live catalogue
 * sells that variant and the customer has no subscription of the named offer yet. An offer id is taken as
 * written. Used by both the planner and the live fingerprint, so they agree on what is bought.
 */
export function keepPriceGroups(desired: DesiredCustomer, liveSubs: readonly LiveSubscription[], catalog: Catalog, liveOffers: Readonly<Record<string, LiveOffer>>): DesiredCustomer {
  const groups = [...retiringPriceGroups(desired, liveSubs, catalog, liveOffers).keys()];
  const group = groups.length === 1 ? groups[0]! : undefined;
  if (group === undefined || group === 'commercial') return desired;
  let changed = false;
  const subscriptions = desired.subscriptions.map((s) => {
    if (s.offer === undefined || s.status === 'suspended' || OFFER_ID.test(s.offer.trim())) return s;
    const offer: ResolvedOffer | undefined = resolveOfferRef(s.offer, catalog, liveOffers);
    if (!offer || priceGroupOfName(offer.name) === group) return s;
    if (liveSubs.some((l) => offerIdKey(l.offerId) === offer.offerId && l.status !== 'deleted')) return s;
    const variant = priceVariant(offer, group, liveOffers);
    if (!variant) return s;
    changed = true;
    return { ...s, offer: offerIdKey(variant.id) };
  });
  return changed ? { ...desired, subscriptions } : desired;
}
