import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NCE } from '../../src/sim/scenarios/new-commerce.js';

/**
 * A desired-state directory (scenario `new-commerce`) with one file per customer: the customer leaves its
 * new-commerce Sales Enterprise subscription (matched by name, `status: retired`), every holder moving to
 * `sales-pro`, whose YAML lines (offer, skuId, term, …) `replacement` gives, indented by four spaces.
 */
export function leavingSalesEnterprise(customers: Readonly<Record<string, { id: string; replacement: string }>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-nce-'));
  mkdirSync(join(dir, 'customers'));
  for (const [file, { id, replacement }] of Object.entries(customers)) {
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
    status: retired
licenses:
  - subscription: sales-pro
    from: old-sales
`,
    );
  }
  return dir;
}
