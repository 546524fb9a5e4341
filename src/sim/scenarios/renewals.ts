import { catalogOffers, catalogSkus, OFFER, SKU } from './catalog.js';
import { NCE } from './new-commerce.js';
import type { Scenario, ScenarioUser } from './types.js';

/** Customers of the `renewals` scenario (ids stable; dates relative to start-up). */
export const RENEWAL_CUSTOMERS = {
  /** New-commerce Office 365 E3: 40 seats, 31 users hold it; past its window, auto-renew on, term ends in 165 days. */
  rightSize: '7a1b2c3d-0000-4000-8000-0000000000f1',
  /** New-commerce Sales Enterprise ×3, all held; to become Sales Professional at renewal (term ends in 65 days). */
  reshape: '7a1b2c3d-0000-4000-8000-0000000000f2',
  /** Mixed: legacy Office 365 E3 ×10 (7 held), new-commerce Sales Professional ×5 (2 held, bought 2 days ago) and an
   * unpriced new-commerce offer ×4 (1 held). */
  mixed: '7a1b2c3d-0000-4000-8000-0000000000f3',
} as const;

export const RENEWAL_SUBSCRIPTIONS = {
  rightSize: 'C1B2C3D4-0000-4000-8000-0000000000f1',
  reshape: 'C1B2C3D4-0000-4000-8000-0000000000f2',
  mixedLegacyE3: 'C1B2C3D4-0000-4000-8000-0000000000f3',
  mixedSalesPro: 'C1B2C3D4-0000-4000-8000-0000000000f4',
  mixedUnpriced: 'C1B2C3D4-0000-4000-8000-0000000000f5',
} as const;

/** A new-commerce product SKU the price sheet does not list (its price is unknown, never 0). */
export const UNPRICED = { offer: 'CFQ7TTC0UNPR:0001', name: 'Project Plan 3 (new commerce)', sku: 'c1d2e3f4-0000-4000-8000-0000000000a1' } as const;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function users(domain: string, n: number, held: number, sku: string, prefix = 'user'): ScenarioUser[] {
  return Array.from({ length: n }, (_, i) => ({ upn: `${prefix}${String(i + 1).padStart(2, '0')}@${domain}`, usageLocation: 'US', licenses: i < held ? [sku] : [] }));
}

/**
 * Renewal autopilot and waste: a right-sizing at renewal (40 seats, 31 held), a SKU change at renewal (Sales
 * Enterprise → Sales Professional) and a mixed tenant for `report --waste`. Every new-commerce offer but one has a
 * price (USD per seat per month): E3 23, Sales Enterprise 95, Sales Professional 65. Run with option `renewals`
 * for the renewal event on the simulator's clock.
 */
export function renewalsScenario(now = Date.now()): Scenario {
  const nce = (id: string, offerId: string, quantity: number, boughtDaysAgo: number) => ({
    id,
    offerId,
    quantity,
    creationDate: iso(now - boughtDaysAgo * DAY),
    commitmentEndDate: iso(now + (365 - boughtDaysAgo) * DAY),
    cancellationAllowedUntilDate: iso(now + (7 - boughtDaysAgo) * DAY),
    termDuration: 'P1Y',
    billingCycle: 'monthly',
  });
  return {
    name: 'renewals',
    description: 'Right-size at renewal (40 seats, 31 held), a SKU change at renewal, and a mixed tenant for report --waste',
    partnerTenantId: '11111111-2222-4333-8444-555555555555',
    country: 'US',
    offers: [
      ...catalogOffers(),
      { id: NCE.salesEnterpriseOffer, name: NCE.salesEnterpriseName, productId: NCE.salesEnterpriseSku, isAvailableForPurchase: true, unitPrice: 95 },
      { id: NCE.e3Offer, name: 'Office 365 E3 (new commerce)', productId: SKU.e3, isAvailableForPurchase: true, unitPrice: 23 },
      { id: NCE.salesProOffer, name: 'Dynamics 365 Sales Professional (new commerce)', productId: SKU.salesPro, isAvailableForPurchase: true, unitPrice: 65 },
      { id: UNPRICED.offer, name: UNPRICED.name, productId: UNPRICED.sku, isAvailableForPurchase: true },
    ],
    skus: [
      ...catalogSkus(),
      { skuId: NCE.salesEnterpriseSku, skuPartNumber: 'DYN365_ENTERPRISE_SALES', name: NCE.salesEnterpriseName },
      { skuId: UNPRICED.sku, skuPartNumber: 'PROJECT_P3', name: 'Project Plan 3' },
    ],
    customers: [
      {
        id: RENEWAL_CUSTOMERS.rightSize,
        companyName: 'Northwind Traders',
        domain: 'northwind.onmicrosoft.com',
        subscriptions: [nce(RENEWAL_SUBSCRIPTIONS.rightSize, NCE.e3Offer, 40, 200)],
        users: users('northwind.onmicrosoft.com', 33, 31, SKU.e3),
      },
      {
        id: RENEWAL_CUSTOMERS.reshape,
        companyName: 'Fourth Coffee',
        domain: 'fourthcoffee.onmicrosoft.com',
        subscriptions: [nce(RENEWAL_SUBSCRIPTIONS.reshape, NCE.salesEnterpriseOffer, 3, 300)],
        users: users('fourthcoffee.onmicrosoft.com', 3, 3, NCE.salesEnterpriseSku, 'seller'),
      },
      {
        id: RENEWAL_CUSTOMERS.mixed,
        companyName: 'Litware',
        domain: 'litware.onmicrosoft.com',
        subscriptions: [
          { id: RENEWAL_SUBSCRIPTIONS.mixedLegacyE3, offerId: OFFER.e3, quantity: 10, creationDate: '2026-03-01T00:00:00Z' },
          nce(RENEWAL_SUBSCRIPTIONS.mixedSalesPro, NCE.salesProOffer, 5, 2),
          nce(RENEWAL_SUBSCRIPTIONS.mixedUnpriced, UNPRICED.offer, 4, 100),
        ],
        users: [
          ...users('litware.onmicrosoft.com', 7, 7, SKU.e3, 'office'),
          ...users('litware.onmicrosoft.com', 2, 2, SKU.salesPro, 'sales'),
          ...users('litware.onmicrosoft.com', 1, 1, UNPRICED.sku, 'project'),
        ],
      },
    ],
  };
}
