import { resolve } from 'node:path';
import { priceSheetSource } from '../partner-center/price-sheet.js';
import { priceListFile } from './file.js';
import { cachedPerRun, type PriceSource } from './source.js';
import type { PartnerConfig } from '../desired/types.js';

/** The run's price source from `prices:` in pcsync.yaml (cached per run), or undefined when none is configured. */
export function priceSourceFor(partner: PartnerConfig, desiredDir: string, env: Readonly<Record<string, string | undefined>>, cwd: string): PriceSource | undefined {
  const p = partner.prices;
  if (p?.file) return cachedPerRun(priceListFile(resolve(cwd, desiredDir), p.file, partner.country, cwd));
  if (p?.priceSheet) return cachedPerRun(priceSheetSource(env, partner.country));
  return undefined;
}
