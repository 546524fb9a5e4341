import { catalogOffers, catalogSkus, OFFER, SKU } from './catalog.js';
import type { Scenario, ScenarioUser } from './types.js';

const CONTOSO = '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
const FABRIKAM = '3c9d7e21-5a4b-4c3d-8e2f-1a0b9c8d7e6f';

function users(domain: string, names: string[], licenses: string[]): ScenarioUser[] {
  return names.map((n) => ({ upn: `${n}@${domain}`, usageLocation: 'US', licenses: [...licenses] }));
}

/**
 * The demo: Contoso (retired Sales CRM Basic, 5 holders, plus Office 365 E3) and Fabrikam Government
 * (retired CEP Government From SA, 3 holders, one unlicensed user). The example desired-state uses these ids.
 */
export function demoScenario(): Scenario {
  return {
    name: 'demo',
    description: 'Two customers on retired Dynamics 365 CRM Basic (Qualified Offer) subscriptions',
    partnerTenantId: '11111111-2222-4333-8444-555555555555',
    country: 'US',
    offers: catalogOffers(),
    skus: catalogSkus(),
    customers: [
      {
        id: CONTOSO,
        companyName: 'Contoso Ltd',
        domain: 'contoso.onmicrosoft.com',
        subscriptions: [
          {
            id: 'A1B2C3D4-0000-4000-8000-000000000101',
            offerId: OFFER.retiredSales,
            quantity: 5,
            status: 'active',
            autoRenewEnabled: false,
            creationDate: '2018-02-01T00:00:00Z',
            commitmentEndDate: '2027-01-31T00:00:00Z',
          },
          {
            id: 'A1B2C3D4-0000-4000-8000-000000000102',
            offerId: OFFER.e3,
            quantity: 10,
            autoRenewEnabled: true,
            creationDate: '2021-03-01T00:00:00Z',
            commitmentEndDate: '2027-02-28T00:00:00Z',
          },
        ],
        users: [
          ...users('contoso.onmicrosoft.com', ['alice', 'bob', 'carol', 'dave', 'erin'], [SKU.retiredSales, SKU.e3]),
          ...users('contoso.onmicrosoft.com', ['frank', 'grace'], [SKU.e3]),
        ],
      },
      {
        id: FABRIKAM,
        companyName: 'Fabrikam Government',
        domain: 'fabrikamgov.onmicrosoft.com',
        subscriptions: [
          {
            id: 'B1B2C3D4-0000-4000-8000-000000000201',
            offerId: OFFER.retiredCepGov,
            quantity: 3,
            status: 'active',
            autoRenewEnabled: false,
            creationDate: '2017-12-31T00:00:00Z',
            commitmentEndDate: '2026-12-31T00:00:00Z',
          },
        ],
        users: [
          ...users('fabrikamgov.onmicrosoft.com', ['hana', 'ivan', 'jun'], [SKU.retiredCepGov]),
          ...users('fabrikamgov.onmicrosoft.com', ['kim'], []),
        ],
      },
    ],
  };
}
