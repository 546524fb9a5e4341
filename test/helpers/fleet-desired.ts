import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '../../src/sim/index.js';
import { OFFER, RETIRED_CEP_GOV_NAME, RETIRED_SALES_NAME, SKU } from '../../src/sim/scenarios/catalog.js';

/** The desired state that migrates every customer of a generated fleet: replacement bought, holders moved, old one suspended. */
export function writeFleetDesired(scenario: Scenario, concurrency = { customers: 4, users: 4 }): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-fleet-'));
  mkdirSync(join(dir, 'customers'));
  writeFileSync(
    join(dir, 'pcsync.yaml'),
    `apiVersion: pcsync/v1\nkind: PartnerConfig\ncountry: US\nconcurrency: ${concurrency.customers}\nuserConcurrency: ${concurrency.users}\nseatHeadroom: 0\n`,
  );
  for (const c of scenario.customers) {
    const gov = c.subscriptions.some((s) => s.offerId === OFFER.retiredCepGov);
    const yaml = [
      'apiVersion: pcsync/v1',
      'kind: Customer',
      'customer:',
      `  id: ${c.id}`,
      `  domain: ${c.domain}`,
      'subscriptions:',
      '  replacement:',
      `    offer: ${gov ? OFFER.cepTier1 : 'Dynamics 365 for Sales Professional'}`,
      '    quantity: auto',
      '  legacy:',
      '    match:',
      `      offerName: "${gov ? RETIRED_CEP_GOV_NAME : RETIRED_SALES_NAME}"`,
      '    status: suspended',
      'licenses:',
      '  - subscription: replacement',
      '    from: legacy',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'customers', `${c.domain.split('.')[0]}.yaml`), yaml);
  }
  return dir;
}

/** Interchangeable licence pairs of the fleet (old → new), for usersEverUnlicensed. */
export const FLEET_SKU_GROUPS = [
  [SKU.retiredSales, SKU.salesPro],
  [SKU.retiredCepGov, SKU.cepTier1],
];
