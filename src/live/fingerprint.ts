import { hashOf } from '../core/hash.js';
import { keepPriceGroups, matchLiveSubscriptions, readScope, resolveOfferRef } from '../catalog/index.js';
import type { Catalog } from '../catalog/types.js';
import type { DesiredCustomer } from '../desired/types.js';
import type { LiveCustomer, LiveOffer, LiveSubscription } from './types.js';

/**
 * Hash of exactly the live fields the plan depends on: the subscriptions and SKUs the desired state refers
 * to, and the users whose licences were read. Unrelated changes in the tenant (another product's seats,
 * a new user nobody lists) do not make a saved plan stale; any change that could alter the plan does.
 */
/** What the retirement strategy of a new-commerce subscription depends on (absent for legacy ones). */
function newCommerceTerms(s: LiveSubscription): object {
  if (s.commerce !== 'new') return {};
  return { autoRenew: s.autoRenewEnabled, cancelUntil: s.cancellationAllowedUntilDate, cancelAtTermEnd: s.cancelAtTermEnd, end: s.commitmentEndDate };
}

export function fingerprintCustomer(
  live: Omit<LiveCustomer, 'fingerprint'>,
  desired: DesiredCustomer,
  catalog: Catalog,
  offers: Readonly<Record<string, LiveOffer>>,
): string {
  desired = keepPriceGroups(desired, live.subscriptions, catalog, offers);
  const skuIds = new Set<string>(readScope(desired, live.subscriptions, catalog, offers).holderSkuIds);
  const subIds = new Set<string>();
  for (const sub of desired.subscriptions) {
    if (sub.skuId) skuIds.add(sub.skuId);
    if (sub.offer) {
      const sku = resolveOfferRef(sub.offer, catalog, offers)?.skuId;
      if (sku) skuIds.add(sku);
    }
    for (const m of matchLiveSubscriptions(sub, live.subscriptions, catalog, offers)) {
      subIds.add(m.id);
      if (m.skuId) skuIds.add(m.skuId);
    }
  }
  const listed = new Set(desired.licenses.flatMap((l) => l.users ?? []));
  return hashOf({
    found: live.found,
    domain: live.domain,
    subscriptions: live.subscriptions
      .filter((s) => subIds.has(s.id) || (s.skuId !== undefined && skuIds.has(s.skuId)))
      .map((s) => ({ id: s.id, offerId: s.offerId, offerName: s.offerName, quantity: s.quantity, status: s.status, skuId: s.skuId, ...newCommerceTerms(s) })),
    skus: live.skus.filter((s) => skuIds.has(s.skuId)).map((s) => ({ id: s.skuId, total: s.totalUnits, consumed: s.consumedUnits, ...(s.servicePlans && { plans: s.servicePlans.map((p) => p.id) }) })),
    users: live.users
      .filter((u) => u.licenses !== undefined || listed.has(u.upn))
      .map((u) => ({ id: u.id, upn: u.upn, usageLocation: u.usageLocation, licenses: u.licenses, ...(u.disabledPlans && { disabledPlans: u.disabledPlans }) })),
    missingListed: [...listed].filter((upn) => !live.users.some((u) => u.upn === upn)).sort(),
    holdersComplete: live.holdersComplete,
    ...(live.gdap && { gdap: live.gdap }),
    ...(live.customerAgreement && { customerAgreement: live.customerAgreement }),
    // Only when there are any, so fingerprints of customers without pending orders stay as they were.
    ...(live.pendingOrders?.length ? { pendingOrders: live.pendingOrders } : {}),
  });
}
