import { generateFleet } from '../../src/sim/index.js';
import { catalogOffers, RETIRED_CEP_GOV_NAME, RETIRED_SALES_NAME, SKU } from '../../src/sim/scenarios/catalog.js';
import { customer, desiredState, fromEntry, sub, usersEntry } from '../fixtures/plan/desired.js';
import { liveCustomer, liveOffer, liveSku, liveState, liveSub, liveUser } from '../fixtures/plan/live.js';
import { plan } from '../fixtures/plan/edit.js';
import type { DesiredCustomer, PartnerConfig } from '../../src/desired/types.js';
import type { PriceBook } from '../../src/plan/cost.js';
import type { LiveCustomer } from '../../src/live/types.js';
import type { Plan } from '../../src/plan/types.js';

/** Which customers of the fleet get which blocker (by position, 0-based), so the counts are known in advance. */
export const FLEET_BLOCKERS = {
  /** Every 10th lists its users explicitly but leaves one holder out. */
  'holder-not-in-desired-state': (i: number) => i % 10 === 3,
  /** Every 15th is missing from Partner Center. */
  'customer-not-found': (i: number) => i % 15 === 7,
  /** Every 20th has a holder without a usage location. */
  'usage-location-missing': (i: number) => i % 20 === 11,
} as const;

/**
 * A plan for the sim's generated fleet, built with the pure planner from desired and live state that mirror
 * the scenario: each customer moves every holder of its retired CRM Basic licence to the replacement.
 */
export function fleetPlan(customers: number, seed = 7, opts: { blockers?: boolean; partner?: PartnerConfig; prices?: PriceBook } = {}): Plan {
  const blocks = (kind: keyof typeof FLEET_BLOCKERS, i: number) => (opts.blockers ?? true) && FLEET_BLOCKERS[kind](i);
  const scenario = generateFleet({ customers, usersMin: 3, usersMax: 12, seed });
  const offers = scenario.offers.map((o) => liveOffer(o.id, o.name, o.productId, { isAvailableForPurchase: o.isAvailableForPurchase }));
  const desired: DesiredCustomer[] = [];
  const live: LiveCustomer[] = [];
  scenario.customers.forEach((c, i) => {
    const file = `customers/fleet-${String(i).padStart(5, '0')}.yaml`;
    const legacy = c.subscriptions[0]!;
    const gov = legacy.offerId === scenario.offers.find((o) => o.name === RETIRED_CEP_GOV_NAME)!.id;
    const [oldSku, oldName] = gov ? [SKU.retiredCepGov, RETIRED_CEP_GOV_NAME] : [SKU.retiredSales, RETIRED_SALES_NAME];
    const holders = c.users.filter((u) => u.licenses.length > 0).map((u) => u.upn);
    const licence = blocks('holder-not-in-desired-state', i) ? usersEntry('new', holders.slice(1), 14, file) : fromEntry('new', 'legacy', 14, file);
    desired.push(
      customer(c.id, {
        file,
        domain: c.domain,
        contentHash: `sha256:fleet-${c.id}`,
        subscriptions: [
          sub('new', { offer: gov ? 'Dynamics 365 Customer Engagement Plan' : 'Dynamics 365 for Sales Professional', quantity: 'auto' }, 7, file),
          sub('legacy', { match: { offerName: oldName }, status: 'suspended' }, 10, file),
        ],
        licenses: [licence],
      }),
    );
    if (blocks('customer-not-found', i)) return;
    const noLocation = blocks('usage-location-missing', i) ? holders[0] : undefined;
    live.push(
      liveCustomer(c.id, {
        companyName: c.companyName,
        domain: c.domain,
        fingerprint: `fp-${c.id}`,
        subscriptions: [liveSub(legacy.id, { offerId: legacy.offerId, offerName: oldName, quantity: legacy.quantity, autoRenewEnabled: false, commitmentEndDate: legacy.commitmentEndDate, skuId: oldSku })],
        skus: [liveSku(oldSku, legacy.quantity, holders.length)],
        users: c.users.map((u) =>
          liveUser(u.upn, u.licenses.length > 0 ? u.licenses : undefined, { id: u.id!, ...(u.upn === noLocation ? { usageLocation: undefined } : {}) }),
        ),
      }),
    );
  });
  return plan(desiredState(desired, opts.partner), liveState(live, offers), undefined, opts.prices);
}

/**
 * The simulator's price sheet as a price book: each purchasable catalogue offer with a `unitPrice`, P1Y billed
 * monthly, in USD (the rows `pcsync plan` reads from the simulator with `prices: { priceSheet: true }`).
 */
export function simPriceBook(market = 'US'): PriceBook {
  const rows = catalogOffers()
    .filter((o) => o.unitPrice !== undefined && o.isAvailableForPurchase)
    .map((o) => ({ productId: o.id, title: o.name, term: 'P1Y', billing: 'monthly', market, currency: 'USD', unitPrice: o.unitPrice!, where: `sim price sheet ${o.id}` }));
  return { source: `Partner Center price sheet (${market}, updatedlicensebased)`, market, rows };
}

/** `fleetPlan` priced from the simulator's price sheet: the comment a fleet's reviewers see. */
export function pricedFleetPlan(customers: number, opts: { blockers?: boolean } = {}): Plan {
  return fleetPlan(customers, 7, { ...opts, prices: simPriceBook() });
}
