import { catalogOffers, catalogSkus, OFFER, SKU } from './catalog.js';
import type { Scenario, ScenarioOffer, ScenarioSku, ScenarioUser } from './types.js';

/** Retired CRM Basic variants the shared catalogue does not have (clearly fake ids). */
export const TRICKY_RETIRED = {
  salesStudents: {
    offerId: '0D365000-0000-4000-8000-00000000C003',
    skuId: '0d365000-0000-4000-8000-0000000000a3',
    name: 'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) for Students',
    part: 'CRMOL_BASIC_QO_SALES_STU',
  },
  salesGov: {
    offerId: '0D365000-0000-4000-8000-00000000C004',
    skuId: '0d365000-0000-4000-8000-0000000000a4',
    name: 'Dynamics 365 for Sales Enterprise Edition (Government Pricing) CRMOL Basic (Qualified Offer)',
    part: 'CRMOL_BASIC_QO_SALES_GOV',
  },
  cepAddOnFaculty: {
    offerId: '0D365000-0000-4000-8000-00000000C005',
    skuId: '0d365000-0000-4000-8000-0000000000a5',
    name: 'Dynamics 365 Customer Engagement Plan Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Faculty',
    part: 'CRMOL_BASIC_QO_CEP_ADDON_FAC',
  },
} as const;

/** Customer ids of the tricky scenario, by company. */
export const TRICKY = {
  litware: '7a0c4e2d-1b3f-4a5c-8d6e-9f0a1b2c3d01',
  fourthCoffee: '7a0c4e2d-1b3f-4a5c-8d6e-9f0a1b2c3d02',
  adventureWorks: '7a0c4e2d-1b3f-4a5c-8d6e-9f0a1b2c3d03',
  woodgrove: '7a0c4e2d-1b3f-4a5c-8d6e-9f0a1b2c3d04',
  northwind: '7a0c4e2d-1b3f-4a5c-8d6e-9f0a1b2c3d05',
  tailspin: '7a0c4e2d-1b3f-4a5c-8d6e-9f0a1b2c3d06',
} as const;

function users(domain: string, names: string[], licenses: string[]): ScenarioUser[] {
  return names.map((n) => ({ upn: `${n}@${domain}`, usageLocation: 'US', licenses: [...licenses] }));
}

const retired = (r: (typeof TRICKY_RETIRED)[keyof typeof TRICKY_RETIRED]) => ({
  offer: { id: r.offerId, name: r.name, productId: r.skuId, isAvailableForPurchase: false } satisfies ScenarioOffer,
  sku: { skuId: r.skuId, skuPartNumber: r.part, name: r.name } satisfies ScenarioSku,
});

/**
 * What `pcsync report` must get right: retired CRM Basic variants (commercial, Students, Government, Faculty
 * add-on), one customer with two retired subscriptions, commitment end dates past, soon and far, one customer
 * already migrated (retired subscription suspended, replacement active) and one without Dynamics at all.
 * Listed out of urgency order on purpose.
 */
export function trickyScenario(): Scenario {
  const extra = Object.values(TRICKY_RETIRED).map(retired);
  const sub = (id: string, offerId: string, quantity: number, commitmentEndDate: string, status: 'active' | 'suspended' = 'active') => ({
    id,
    offerId,
    quantity,
    status,
    autoRenewEnabled: false,
    creationDate: '2018-01-01T00:00:00Z',
    commitmentEndDate,
  });
  return {
    name: 'tricky',
    description: 'Retired CRM Basic variants with past, near and far end dates, one customer already migrated, one without Dynamics',
    partnerTenantId: '11111111-2222-4333-8444-555555555555',
    country: 'US',
    offers: [...catalogOffers(), ...extra.map((e) => e.offer)],
    skus: [...catalogSkus(), ...extra.map((e) => e.sku)],
    customers: [
      {
        id: TRICKY.litware,
        companyName: 'Litware Inc',
        domain: 'litware.onmicrosoft.com',
        subscriptions: [{ id: 'C7000000-0000-4000-8000-000000000101', offerId: OFFER.e3, quantity: 10, commitmentEndDate: '2026-06-30T00:00:00Z' }],
        users: users('litware.onmicrosoft.com', ['lee', 'liv'], [SKU.e3]),
      },
      {
        id: TRICKY.fourthCoffee,
        companyName: 'Fourth Coffee University',
        domain: 'fourthcoffeeedu.onmicrosoft.com',
        subscriptions: [sub('C7000000-0000-4000-8000-000000000201', TRICKY_RETIRED.cepAddOnFaculty.offerId, 5, '2027-01-31T00:00:00Z')],
        users: [...users('fourthcoffeeedu.onmicrosoft.com', ['fay'], [TRICKY_RETIRED.cepAddOnFaculty.skuId]), ...users('fourthcoffeeedu.onmicrosoft.com', ['fin'], [])],
      },
      {
        id: TRICKY.adventureWorks,
        companyName: 'Adventure Works',
        domain: 'adventureworks.onmicrosoft.com',
        subscriptions: [
          sub('C7000000-0000-4000-8000-000000000301', OFFER.retiredSales, 3, '2026-05-31T00:00:00Z', 'suspended'),
          { id: 'C7000000-0000-4000-8000-000000000302', offerId: OFFER.salesPro, quantity: 3, commitmentEndDate: '2027-02-28T00:00:00Z' },
        ],
        users: users('adventureworks.onmicrosoft.com', ['ada', 'abe', 'ari'], [SKU.salesPro]),
      },
      {
        id: TRICKY.woodgrove,
        companyName: 'Woodgrove Government',
        domain: 'woodgrovegov.onmicrosoft.com',
        subscriptions: [
          sub('C7000000-0000-4000-8000-000000000401', TRICKY_RETIRED.salesGov.offerId, 3, '2026-09-30T00:00:00Z'),
          sub('C7000000-0000-4000-8000-000000000402', OFFER.retiredCepGov, 2, '2026-04-30T00:00:00Z'),
        ],
        users: [
          ...users('woodgrovegov.onmicrosoft.com', ['gia'], [TRICKY_RETIRED.salesGov.skuId, SKU.retiredCepGov]),
          ...users('woodgrovegov.onmicrosoft.com', ['hal'], [TRICKY_RETIRED.salesGov.skuId]),
          ...users('woodgrovegov.onmicrosoft.com', ['ida'], [SKU.retiredCepGov]),
        ],
      },
      {
        id: TRICKY.northwind,
        companyName: 'Northwind Traders',
        domain: 'northwindtraders.onmicrosoft.com',
        subscriptions: [
          sub('C7000000-0000-4000-8000-000000000501', OFFER.retiredSales, 4, '2026-02-15T00:00:00Z'),
          { id: 'C7000000-0000-4000-8000-000000000502', offerId: OFFER.e3, quantity: 5, commitmentEndDate: '2026-12-31T00:00:00Z' },
        ],
        users: users('northwindtraders.onmicrosoft.com', ['amy', 'ben', 'cal'], [SKU.retiredSales, SKU.e3]),
      },
      {
        id: TRICKY.tailspin,
        companyName: 'Tailspin Schools',
        domain: 'tailspinschools.onmicrosoft.com',
        subscriptions: [sub('C7000000-0000-4000-8000-000000000601', TRICKY_RETIRED.salesStudents.offerId, 6, '2026-03-10T00:00:00Z')],
        users: users('tailspinschools.onmicrosoft.com', ['sam', 'sia', 'sol', 'sue'], [TRICKY_RETIRED.salesStudents.skuId]),
      },
    ],
  };
}
