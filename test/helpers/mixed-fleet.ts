import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFleet, loadScenario, type Scenario, type ScenarioCustomer } from './sim.js';
import { OFFER, SKU } from '../../src/sim/scenarios/catalog.js';
import { NCE, NCE_CUSTOMERS } from '../../src/sim/scenarios/new-commerce.js';
import { TRICKY, TRICKY_RETIRED } from '../../src/sim/scenarios/tricky.js';
import { importAll } from './reviewed-path.js';
import type { SimOptions } from '../../src/sim/index.js';

/** A current offer granting the retired Sales SKU (as in the shared-sku scenario), given to one fleet customer. */
const SHARED_SALES_OFFER = '5E8A6F2C-0000-4000-8000-00000000C010';

/** The special customers of `mixedFleet`, each with what makes it special. */
export interface MixedFleet {
  readonly scenario: Scenario;
  readonly options: SimOptions;
  /** Customer ids of the plain legacy migrations (nothing special about them). */
  readonly plain: readonly string[];
  /** Customer id → what is special about it. */
  readonly special: Readonly<Record<string, string>>;
}

/**
 * A tenant that mixes `plain` ordinary legacy migrations (a generated fleet) with one customer of each special case
 * that once made a saved plan refuse the plain ones: every subscription PATCH answered 202 (the whole tenant), a
 * foreign pending order, a partial subscribedskus, a SKU shared with a current subscription, a group-assigned
 * licence, the retired offers refused by id (SKU learned from provisioning status), a new-commerce customer
 * buying through a cart, and a blocked new-commerce customer (cancel asked past its window).
 */
export function mixedFleet(plainCount = 4): MixedFleet {
  const fleet = generateFleet({ customers: plainCount + 3, usersMin: 2, usersMax: 5, seed: 7 });
  const nce = loadScenario('new-commerce');
  const tricky = loadScenario('tricky');
  const [foreign, shared, grouped, ...plainOnes] = fleet.customers as [ScenarioCustomer, ScenarioCustomer, ScenarioCustomer, ...ScenarioCustomer[]];
  // shared SKU: a current subscription whose seats count towards the retired Sales SKU, held by one extra user
  shared.subscriptions.push({ id: 'A1B2C3D4-0000-4000-8000-00000000f103', offerId: SHARED_SALES_OFFER, quantity: 1, creationDate: '2025-06-01T00:00:00Z' });
  shared.users.push({ upn: `shared@${shared.domain}`, usageLocation: 'US', licenses: [SKU.retiredSales, SKU.retiredCepGov] });
  // group-assigned licence: one holder gets the retired licence through a group
  const holder = grouped.users.find((u) => u.licenses.length > 0)!;
  holder.groupLicenses = [...holder.licenses];
  const woodgrove = tricky.customers.find((c) => c.id === TRICKY.woodgrove)!;
  const scenario: Scenario = {
    ...fleet,
    name: 'mixed',
    description: 'plain legacy migrations mixed with one customer of each special case',
    offers: uniqueBy([...fleet.offers, ...nce.offers, ...tricky.offers, { id: SHARED_SALES_OFFER, name: 'Dynamics 365 for Sales Enterprise Edition', productId: SKU.retiredSales, isAvailableForPurchase: true }], (o) => o.id),
    skus: uniqueBy([...fleet.skus, ...nce.skus, ...tricky.skus], (s) => s.skuId),
    customers: [...fleet.customers, ...nce.customers.filter((c) => c.id !== NCE_CUSTOMERS.mixed), woodgrove],
  };
  const offerOf = (c: ScenarioCustomer) => (c.subscriptions[0]!.offerId === OFFER.retiredSales ? OFFER.salesPro : OFFER.cepTier1);
  return {
    scenario,
    options: {
      asyncPatch: { delayMs: 30 },
      foreignOrders: [{ customerId: foreign.id, offerId: offerOf(foreign), quantity: 2 }],
      readGaps: { omitSkus: [skuOfTricky(tricky, woodgrove)], retiredOfferById: 'refuse' },
    },
    plain: plainOnes.map((c) => c.id),
    special: {
      [foreign.id]: 'a foreign pending order for its replacement',
      [shared.id]: 'its retired SKU is also granted by a current subscription',
      [grouped.id]: 'one holder has the retired licence through a group',
      [woodgrove.id]: 'subscribedskus leaves out one of its SKUs',
      [NCE_CUSTOMERS.inWindow]: 'buys a new-commerce offer through a cart, cancels the old one inside its window',
      [NCE_CUSTOMERS.pastWindow]: 'blocked: asks to cancel a new-commerce subscription past its window',
    },
  };
}

/**
 * The desired state of `mixedFleet`: `import --all` (which leaves out the customer whose subscribedskus is partial:
 * it cannot tell who holds the licence) plus hand-written files for that customer and the new-commerce ones.
 */
export async function writeMixedFleetDesired(sim: { url: string }, dir: string): Promise<void> {
  await importAll(sim, dir, { partial: true });
  writeNewCommerceCustomers(dir);
  writeFileSync(
    join(dir, 'customers', 'woodgrove.yaml'),
    `apiVersion: pcsync/v1
kind: Customer
customer:
  id: ${TRICKY.woodgrove}
subscriptions:
  sales-pro:
    offer: Dynamics 365 for Sales Professional
    quantity: auto
  old-sales-gov:
    match:
      offerName: ${JSON.stringify(TRICKY_RETIRED.salesGov.name)}
    status: suspended
licenses:
  - subscription: sales-pro
    from: old-sales-gov
`,
  );
}

/** Desired-state files for the two new-commerce customers of `mixedFleet` (buy by catalogue item, retire the old). */
export function writeNewCommerceCustomers(dir: string): void {
  const file = (id: string, status: string) => `apiVersion: pcsync/v1
kind: Customer
customer:
  id: ${id}
subscriptions:
  sales-pro:
    offer: ${NCE.salesProOffer}:AV0001
    skuId: ${SKU.salesPro}
    term: P1Y
    billing: monthly
    quantity: auto
  old-sales:
    match:
      offerName: ${NCE.salesEnterpriseName}
    status: ${status}
licenses:
  - subscription: sales-pro
    from: old-sales
`;
  writeFileSync(join(dir, 'customers', 'tailspin.yaml'), file(NCE_CUSTOMERS.inWindow, 'retired'));
  writeFileSync(join(dir, 'customers', 'wingtip.yaml'), file(NCE_CUSTOMERS.pastWindow, 'cancelled'));
}

function skuOfTricky(tricky: Scenario, c: ScenarioCustomer): string {
  const offer = tricky.offers.find((o) => o.id.toLowerCase() === c.subscriptions[0]!.offerId.toLowerCase())!;
  return offer.productId.toLowerCase();
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const i of items) if (!seen.has(key(i).toLowerCase())) seen.set(key(i).toLowerCase(), i);
  return [...seen.values()];
}
