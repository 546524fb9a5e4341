import { demoScenario } from './demo.js';
import type { Scenario } from './types.js';

/** Government Pricing variants of two replacements, with their own (made-up) licence SKUs. */
export const GOV_VARIANT = {
  cepOffer: 'BB30B486-0000-4000-8000-00000000C0A1',
  cepSku: '0d365000-0000-4000-8000-0000000000b1',
  cepName: 'Dynamics 365 Customer Engagement Plan Tier 1 (1-99 users) (Government Pricing)',
  salesProOffer: 'F28514F0-0000-4000-8000-00000000C0A2',
  salesProSku: '0d365000-0000-4000-8000-0000000000b2',
  salesProName: 'Dynamics 365 for Sales Professional (Government Pricing)',
} as const;

/**
 * The demo, with the live catalogue also selling the Government Pricing variants of Customer Engagement Plan
 * Tier 1 and Sales Professional, so a replacement for Fabrikam's retired Government Pricing subscription can
 * keep its price group.
 */
export function priceVariantsScenario(): Scenario {
  const s = demoScenario();
  s.name = 'price-variants';
  s.description = 'The demo, with Government Pricing variants of the replacements in the catalogue';
  s.skus.push(
    { skuId: GOV_VARIANT.cepSku, skuPartNumber: 'DYN365_ENTERPRISE_PLAN1_GOV', name: GOV_VARIANT.cepName },
    { skuId: GOV_VARIANT.salesProSku, skuPartNumber: 'D365_SALES_PRO_GOV', name: GOV_VARIANT.salesProName },
  );
  s.offers.push(
    { id: GOV_VARIANT.cepOffer, name: GOV_VARIANT.cepName, productId: GOV_VARIANT.cepSku, isAvailableForPurchase: true },
    { id: GOV_VARIANT.salesProOffer, name: GOV_VARIANT.salesProName, productId: GOV_VARIANT.salesProSku, isAvailableForPurchase: true },
  );
  return s;
}
