import { demoScenario } from './demo.js';
import { SKU } from './catalog.js';
import type { Scenario } from './types.js';

const CONTOSO = '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';

/** A current offer whose seats count towards the same licence SKU as the retired Sales CRMOL Basic. */
export const SHARED_SALES_OFFER = '5E8A6F2C-0000-4000-8000-00000000C010';
export const SHARED_SALES_SUBSCRIPTION = 'A1B2C3D4-0000-4000-8000-000000000103';

/**
 * The demo, except that Contoso also has an active, non-retiring "Dynamics 365 for Sales Enterprise Edition"
 * subscription ×2 whose licence is the same SKU as the retired CRMOL Basic one (as retired licences surface
 * under the current Sales / Customer Engagement Enterprise SKUs), held by frank and grace. Seven users hold the
 * SKU; only five of those seats come from the retiring subscription.
 */
export function sharedSkuScenario(): Scenario {
  const s = demoScenario();
  s.name = 'shared-sku';
  s.description = 'The demo, with Contoso\'s retired Sales licence SKU also granted by a current subscription';
  s.offers.push({ id: SHARED_SALES_OFFER, name: 'Dynamics 365 for Sales Enterprise Edition', productId: SKU.retiredSales, isAvailableForPurchase: true });
  const contoso = s.customers.find((c) => c.id === CONTOSO)!;
  contoso.subscriptions.push({ id: SHARED_SALES_SUBSCRIPTION, offerId: SHARED_SALES_OFFER, quantity: 2, creationDate: '2025-06-01T00:00:00Z' });
  for (const u of contoso.users) if (u.upn.startsWith('frank@') || u.upn.startsWith('grace@')) u.licenses.push(SKU.retiredSales);
  return s;
}
