import { UserError } from '../../core/errors.js';
import type { Scenario } from './types.js';

/**
 * Cross-checks a scenario before the simulator serves it: unique ids, offers pointing at known SKUs,
 * subscriptions at known offers, users holding known SKUs. All problems are reported at once.
 */
export function checkScenario(s: Scenario): void {
  const problems: string[] = [];
  const skuIds = new Set<string>();
  for (const sku of s.skus) {
    const id = sku.skuId.toLowerCase();
    if (skuIds.has(id)) problems.push(`SKU ${sku.skuId} is listed twice`);
    skuIds.add(id);
  }
  const offerIds = new Set<string>();
  for (const o of s.offers) {
    const id = o.id.toLowerCase();
    if (offerIds.has(id)) problems.push(`offer ${o.id} is listed twice`);
    offerIds.add(id);
    if (!skuIds.has(o.productId.toLowerCase())) problems.push(`offer ${o.id}: productId ${o.productId} is not in skus`);
  }
  const customerIds = new Set<string>();
  const subIds = new Set<string>();
  for (const c of s.customers) {
    if (customerIds.has(c.id.toLowerCase())) problems.push(`customer ${c.id} is listed twice`);
    customerIds.add(c.id.toLowerCase());
    for (const sub of c.subscriptions) {
      if (subIds.has(sub.id.toLowerCase())) problems.push(`subscription ${sub.id} is listed twice`);
      subIds.add(sub.id.toLowerCase());
      if (!offerIds.has(sub.offerId.toLowerCase())) problems.push(`subscription ${sub.id}: unknown offer ${sub.offerId}`);
      if (!Number.isInteger(sub.quantity) || sub.quantity < 0) problems.push(`subscription ${sub.id}: quantity must be a whole number`);
    }
    const upns = new Set<string>();
    for (const u of c.users) {
      if (upns.has(u.upn.toLowerCase())) problems.push(`customer ${c.id}: user ${u.upn} is listed twice`);
      upns.add(u.upn.toLowerCase());
      for (const l of [...u.licenses, ...(u.groupLicenses ?? [])]) if (!skuIds.has(l.toLowerCase())) problems.push(`user ${u.upn}: unknown SKU ${l}`);
    }
  }
  if (problems.length > 0) {
    throw new UserError('sim.scenario.invalid', `Simulator scenario "${s.name}" is inconsistent:\n  - ${problems.join('\n  - ')}`);
  }
}
