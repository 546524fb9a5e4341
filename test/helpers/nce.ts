import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SKU } from '../../src/sim/scenarios/catalog.js';
import { NCE, NCE_CUSTOMERS } from '../../src/sim/scenarios/new-commerce.js';

/**
 * A desired-state directory (scenario `new-commerce`) with one file per customer: the customer leaves its
 * new-commerce Sales Enterprise subscription (matched by name, `status: retired`), every holder moving to
 * `sales-pro`, whose YAML lines (offer, skuId, term, …) `replacement` gives, indented by four spaces. `status`
 * is the old subscription's (default `retired`).
 */
export function leavingSalesEnterprise(customers: Readonly<Record<string, { id: string; replacement: string; status?: string }>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-nce-'));
  mkdirSync(join(dir, 'customers'));
  for (const [file, { id, replacement, status = 'retired' }] of Object.entries(customers)) {
    writeFileSync(
      join(dir, 'customers', `${file}.yaml`),
      `apiVersion: pcsync/v1
kind: Customer
customer:
  id: ${id}
subscriptions:
  sales-pro:
${replacement}
    quantity: auto
  old-sales:
    match:
      offerName: ${NCE.salesEnterpriseName}
    status: ${status}
licenses:
  - subscription: sales-pro
    from: old-sales
`,
    );
  }
  return dir;
}

/** `sales-pro` bought as the new-commerce item Sales Professional (P1Y, monthly), the YAML naming `availabilityId`. */
export const salesProNewCommerce = (availabilityId = 'AV0001') => `    offer: ${NCE.salesProOffer}:${availabilityId}\n    skuId: ${SKU.salesPro}\n    term: P1Y\n    billing: monthly`;

/** Tailspin (in its cancellation window) leaves Sales Enterprise for new-commerce Sales Professional. */
export const tailspinToSalesProNewCommerce = (availabilityId = 'AV0001') =>
  leavingSalesEnterprise({ tailspin: { id: NCE_CUSTOMERS.inWindow, replacement: salesProNewCommerce(availabilityId) } });
