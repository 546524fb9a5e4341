import type { Scenario } from '../sim/index.js';

/**
 * The fewest Partner Center calls a safe migration of `scenario` can make (the design's performance model):
 * per run the offer catalogue (1) and one look-up per retired offer id (not in the catalogue list); per
 * customer 3 reads (customer, subscriptions, subscribed SKUs) + the users pages + one licence read per
 * holder, then 1 order, 2 calls for one provisioning check (subscription, seats), one licence update per
 * holder, and the suspend: the consumed-units guard read and the PATCH.
 */
export function minimumCalls(scenario: Scenario, usersPageSize: number): number {
  const retiredOfferIds = new Set<string>();
  let total = 1;
  for (const c of scenario.customers) {
    const retiredSkus = new Set(
      c.subscriptions.map((s) => scenario.offers.find((o) => o.id.toLowerCase() === s.offerId.toLowerCase())).filter((o) => o && !o.isAvailableForPurchase).map((o) => {
        retiredOfferIds.add(o!.id.toLowerCase());
        return o!.productId.toLowerCase();
      }),
    );
    const holders = c.users.filter((u) => u.licenses.some((l) => retiredSkus.has(l.toLowerCase()))).length;
    const pages = Math.max(1, Math.ceil(c.users.length / usersPageSize));
    total += 3 + pages + holders + 1 + 2 + holders + 2;
  }
  return total + retiredOfferIds.size;
}
