import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Price sheet environment for a CLI run against the simulator (its price sheet host is the simulator too). */
export function pricesEnv(sim: { url: string }): Record<string, string> {
  return { PARTNER_CENTER_PRICES_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token' };
}

/** A desired-state directory with the price sheet configured and one file per customer (`files`: name → YAML body after `customer:`). */
export function renewalDesired(files: Readonly<Record<string, string>>, partnerExtra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-renewal-'));
  mkdirSync(join(dir, 'customers'));
  writeFileSync(join(dir, 'pcsync.yaml'), `apiVersion: pcsync/v1\nkind: PartnerConfig\ncountry: US\nprices:\n  priceSheet: true\n${partnerExtra}`);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'customers', `${name}.yaml`), `apiVersion: pcsync/v1\nkind: Customer\n${body}`);
  return dir;
}
