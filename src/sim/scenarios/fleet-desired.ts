import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OFFER } from './catalog.js';
import type { Scenario, ScenarioCustomer } from './types.js';

/** The replacement bought for each retired offer of the built-in catalogue. */
const REPLACEMENT: Readonly<Record<string, string>> = {
  [OFFER.retiredSales.toLowerCase()]: OFFER.salesPro,
  [OFFER.retiredCepGov.toLowerCase()]: OFFER.cepTier1,
};

export interface FleetDesiredOptions {
  /** `concurrency` in pcsync.yaml (the cap on customers at once). Default 4; `'default'` leaves it out (pcsync's default). */
  concurrency?: number | 'default';
  /** `policy.provisioningTimeoutSeconds` in pcsync.yaml. Default: pcsync's default. */
  provisioningTimeoutSeconds?: number;
}

/**
 * Writes a desired-state directory for a scenario (e.g. `generateFleet`): `pcsync.yaml` plus one customer
 * file per customer that has a retired subscription of the built-in catalogue — buy the replacement
 * (`quantity: auto`), move everyone who holds the old licence (`from:`), suspend the old subscription.
 * Returns the number of customer files written. For tests and benchmarks.
 */
export function writeFleetDesiredState(scenario: Scenario, dir: string, opts: FleetDesiredOptions = {}): number {
  mkdirSync(join(dir, 'customers'), { recursive: true });
  const policy = opts.provisioningTimeoutSeconds === undefined ? '' : `policy:\n  provisioningTimeoutSeconds: ${opts.provisioningTimeoutSeconds}\n`;
  const partner = `apiVersion: pcsync/v1\nkind: PartnerConfig\ncountry: ${scenario.country}\n${opts.concurrency === 'default' ? '' : `concurrency: ${opts.concurrency ?? 4}\n`}${policy}`;
  writeFileSync(join(dir, 'pcsync.yaml'), partner);
  let written = 0;
  for (const c of scenario.customers) {
    const text = customerFile(scenario, c);
    if (text === undefined) continue;
    writeFileSync(join(dir, 'customers', `${c.domain.split('.')[0]}-${c.id.slice(0, 8)}.yaml`), text);
    written += 1;
  }
  return written;
}

function customerFile(scenario: Scenario, c: ScenarioCustomer): string | undefined {
  const retired = c.subscriptions
    .map((s) => scenario.offers.find((o) => o.id.toLowerCase() === s.offerId.toLowerCase()))
    .filter((o) => o !== undefined && REPLACEMENT[o.id.toLowerCase()] !== undefined);
  if (retired.length === 0) return undefined;
  const lines = ['apiVersion: pcsync/v1', 'kind: Customer', 'customer:', `  id: ${c.id}`, `  domain: ${c.domain}`, 'subscriptions:'];
  const licences: string[] = [];
  retired.forEach((old, i) => {
    const replacement = REPLACEMENT[old!.id.toLowerCase()]!;
    lines.push(`  new-${i}:`, `    offer: ${replacement}`, '    quantity: auto');
    lines.push(`  old-${i}:`, '    match:', `      offerName: ${JSON.stringify(old!.name)}`, '    status: suspended');
    licences.push(`  - subscription: new-${i}`, `    from: old-${i}`);
  });
  return [...lines, 'licenses:', ...licences, ''].join('\n');
}
