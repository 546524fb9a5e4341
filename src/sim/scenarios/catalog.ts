import type { ScenarioOffer, ScenarioSku } from './types.js';

/**
 * The US catalogue shared by the built-in scenarios: today's Dynamics 365 / Office offers (real offer ids and
 * AAD SKU ids, except Customer Service Professional's SKU) and two retired CRM Basic (Qualified Offer) offers
 * with clearly fake ids.
 */
export const SKU = {
  salesPro: 'be9f9771-1c64-4618-9907-244325141096',
  customerServiceEnterprise: '749742bf-0d37-4158-a120-33567104deeb',
  customerServicePro: 'c3a2d4e5-0000-4000-8000-0000000000c5',
  teamMembers: '7ac9fe77-66b7-4e5e-9e46-10eed1cff547',
  cepTier1: 'ea126fc5-a19e-42e2-a731-da9d437bffcf',
  e3: '6fd2c87f-b296-42f0-b197-1e91e994b900',
  retiredSales: '0d365000-0000-4000-8000-0000000000a1',
  retiredCepGov: '0d365000-0000-4000-8000-0000000000a2',
} as const;

export const OFFER = {
  salesPro: 'F28514F0-6516-4EF9-8222-1C605A05D245',
  customerServiceEnterprise: '58CD6573-6784-4467-B2FC-1A06BB874ED6',
  customerServicePro: '51F99B45-3F92-4EF0-9167-B04709A62106',
  teamMembers: 'B2CCB51A-43C2-47D4-92DB-DBF14553A185',
  cepTier1: 'BB30B486-53BE-4ECF-BB85-6F50979F0579',
  e3: '796B6B5F-613C-4E24-A17C-EBA730D49C02',
  retiredSales: '0D365000-0000-4000-8000-00000000C001',
  retiredCepGov: '0D365000-0000-4000-8000-00000000C002',
} as const;

export const RETIRED_SALES_NAME = 'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)';
export const RETIRED_CEP_GOV_NAME =
  'Dynamics 365 Customer Engagement Plan Enterprise Edition (Government Pricing) From SA for CRM Basic (Qualified Offer)';

export function catalogOffers(): ScenarioOffer[] {
  const offer = (id: string, name: string, productId: string, isAvailableForPurchase = true, unitPrice?: number): ScenarioOffer => ({
    id,
    name,
    productId,
    isAvailableForPurchase,
    ...(unitPrice !== undefined ? { unitPrice } : {}),
  });
  return [
    offer(OFFER.salesPro, 'Dynamics 365 for Sales Professional', SKU.salesPro, true, 65),
    offer(OFFER.customerServiceEnterprise, 'Dynamics 365 for Customer Service Enterprise Edition', SKU.customerServiceEnterprise, true, 105),
    offer(OFFER.customerServicePro, 'Dynamics 365 for Customer Service Professional', SKU.customerServicePro, true, 50),
    offer(OFFER.teamMembers, 'Dynamics 365 Team Members', SKU.teamMembers, true, 8),
    offer(OFFER.cepTier1, 'Dynamics 365 Customer Engagement Plan Tier 1 (1-99 users)', SKU.cepTier1, true, 115.5),
    offer(OFFER.e3, 'Office 365 E3', SKU.e3, true, 23),
    offer(OFFER.retiredSales, RETIRED_SALES_NAME, SKU.retiredSales, false),
    offer(OFFER.retiredCepGov, RETIRED_CEP_GOV_NAME, SKU.retiredCepGov, false),
  ];
}

/**
 * Service plans of the Sales SKUs (names as Microsoft's; ids are the simulator's own). A plan shared by two SKUs has
 * the same id and serviceName in both, so a plan switched off on the retired SKU can stay off on the new one —
 * except Project Online Essentials, which Sales Professional lacks.
 */
export const SERVICE_PLAN = {
  crmBasic: { id: 'a5000000-0000-4000-8000-0000000005a1', serviceName: 'CRMPLAN2', displayName: 'Microsoft Dynamics CRM Online Basic' },
  salesPro: { id: 'a5000000-0000-4000-8000-0000000005a2', serviceName: 'DYN365_SALES_PRO', displayName: 'Dynamics 365 for Sales Professional' },
  flow: { id: 'a5000000-0000-4000-8000-0000000005a3', serviceName: 'FLOW_DYN_APPS', displayName: 'Flow for Dynamics 365' },
  powerApps: { id: 'a5000000-0000-4000-8000-0000000005a4', serviceName: 'POWERAPPS_DYN_APPS', displayName: 'PowerApps for Dynamics 365' },
  projectEssentials: { id: 'a5000000-0000-4000-8000-0000000005a5', serviceName: 'PROJECT_ESSENTIALS', displayName: 'Project Online Essentials' },
  exchangeFoundation: { id: 'a5000000-0000-4000-8000-0000000005a6', serviceName: 'EXCHANGE_S_FOUNDATION', displayName: 'Exchange Foundation' },
} as const;

export function catalogSkus(): ScenarioSku[] {
  const P = SERVICE_PLAN;
  return [
    { skuId: SKU.salesPro, skuPartNumber: 'D365_SALES_PRO', name: 'Dynamics 365 for Sales Professional', servicePlans: [P.salesPro, P.flow, P.powerApps, P.exchangeFoundation] },
    {
      skuId: SKU.customerServiceEnterprise,
      skuPartNumber: 'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
      name: 'Dynamics 365 for Customer Service Enterprise Edition',
    },
    { skuId: SKU.customerServicePro, skuPartNumber: 'D365_CUSTOMER_SERVICE_PRO', name: 'Dynamics 365 for Customer Service Professional' },
    { skuId: SKU.teamMembers, skuPartNumber: 'DYN365_TEAM_MEMBERS', name: 'Dynamics 365 Team Members' },
    { skuId: SKU.cepTier1, skuPartNumber: 'DYN365_ENTERPRISE_PLAN1', name: 'Dynamics 365 Customer Engagement Plan' },
    { skuId: SKU.e3, skuPartNumber: 'ENTERPRISEPACK', name: 'Office 365 E3' },
    { skuId: SKU.retiredSales, skuPartNumber: 'CRMOL_BASIC_QO_SALES', name: RETIRED_SALES_NAME, servicePlans: [P.crmBasic, P.flow, P.powerApps, P.projectEssentials] },
    { skuId: SKU.retiredCepGov, skuPartNumber: 'CRMOL_BASIC_QO_CEP_GOV', name: RETIRED_CEP_GOV_NAME },
  ];
}
