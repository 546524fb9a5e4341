import { catalogOffers, catalogSkus, OFFER, SKU } from './catalog.js';
import type { Scenario, ScenarioUser } from './types.js';

/** New-commerce catalogue item and licence SKU of the scenario (the id shape of `productId:skuId`). */
export const NCE = {
  salesEnterpriseOffer: 'CFQ7TTC0LH0R:0001',
  salesEnterpriseName: 'Dynamics 365 Sales Enterprise',
  salesEnterpriseSku: '1e1a282c-9c54-43a2-9310-98ef728faace',
  e3Offer: 'CFQ7TTC0LFLX:0001',
  /** Sales Professional as a new-commerce product SKU (licence SKU: the catalogue's Sales Professional SKU). */
  salesProOffer: 'CFQ7TTC0LH0Q:0001',
} as const;

export const NCE_CUSTOMERS = {
  /** Bought 3 days ago: inside its cancellation window. */
  inWindow: '6a1b2c3d-0000-4000-8000-0000000000e1',
  /** Bought 200 days ago: past the window, auto-renew on, term ends in 165 days. */
  pastWindow: '6a1b2c3d-0000-4000-8000-0000000000e2',
  /** Mixed: a retired legacy CRM Basic subscription ending in 60 days, and new-commerce Office 365 E3 with
   * auto-renew off and no cancel at term end, ending in 20 days (it would roll into an extended service term). */
  mixed: '6a1b2c3d-0000-4000-8000-0000000000e3',
} as const;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function holders(domain: string): ScenarioUser[] {
  return ['ana', 'ben', 'cy'].map((n) => ({ upn: `${n}@${domain}`, usageLocation: 'US', licenses: [NCE.salesEnterpriseSku] }));
}

/**
 * Two customers on a new-commerce Dynamics 365 Sales Enterprise subscription (annual term, monthly billing) that
 * are to move to Sales Professional: one inside its 7-day cancellation window, one past it. Dates are relative
 * to `now`, so the windows hold whenever the scenario is built.
 */
export function newCommerceScenario(now = Date.now()): Scenario {
  const sub = (id: string, boughtDaysAgo: number) => ({
    id,
    offerId: NCE.salesEnterpriseOffer,
    quantity: 3,
    creationDate: iso(now - boughtDaysAgo * DAY),
    commitmentEndDate: iso(now + (365 - boughtDaysAgo) * DAY),
    cancellationAllowedUntilDate: iso(now + (7 - boughtDaysAgo) * DAY),
    termDuration: 'P1Y',
    billingCycle: 'monthly',
  });
  return {
    name: 'new-commerce',
    description: 'Two customers leaving a new-commerce Sales Enterprise subscription, inside and past the cancellation window',
    partnerTenantId: '11111111-2222-4333-8444-555555555555',
    country: 'US',
    offers: [
      ...catalogOffers(),
      { id: NCE.salesEnterpriseOffer, name: NCE.salesEnterpriseName, productId: NCE.salesEnterpriseSku, isAvailableForPurchase: true },
      { id: NCE.e3Offer, name: 'Office 365 E3 (new commerce)', productId: SKU.e3, isAvailableForPurchase: true },
      { id: NCE.salesProOffer, name: 'Dynamics 365 Sales Professional (new commerce)', productId: SKU.salesPro, isAvailableForPurchase: true, enforceAttestation: true },
    ],
    skus: [...catalogSkus(), { skuId: NCE.salesEnterpriseSku, skuPartNumber: 'DYN365_ENTERPRISE_SALES', name: NCE.salesEnterpriseName }],
    customers: [
      { id: NCE_CUSTOMERS.inWindow, companyName: 'Tailspin Toys', domain: 'tailspin.onmicrosoft.com', subscriptions: [sub('B1B2C3D4-0000-4000-8000-0000000000e1', 3)], users: holders('tailspin.onmicrosoft.com') },
      { id: NCE_CUSTOMERS.pastWindow, companyName: 'Wingtip Toys', domain: 'wingtip.onmicrosoft.com', subscriptions: [sub('B1B2C3D4-0000-4000-8000-0000000000e2', 200)], users: holders('wingtip.onmicrosoft.com') },
      {
        id: NCE_CUSTOMERS.mixed,
        companyName: 'Adatum',
        domain: 'adatum.onmicrosoft.com',
        subscriptions: [
          { id: 'B1B2C3D4-0000-4000-8000-0000000000e3', offerId: OFFER.retiredSales, quantity: 2, autoRenewEnabled: false, creationDate: '2018-03-01T00:00:00Z', commitmentEndDate: iso(now + 60 * DAY) },
          { ...sub('B1B2C3D4-0000-4000-8000-0000000000e4', 345), offerId: NCE.e3Offer, quantity: 10, autoRenewEnabled: false },
        ],
        users: [{ upn: 'dee@adatum.onmicrosoft.com', usageLocation: 'US', licenses: [SKU.retiredSales, SKU.e3] }],
      },
    ],
  };
}
