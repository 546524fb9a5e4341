import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SKU as SIM_SKU } from '../../src/sim/scenarios/catalog.js';

export const repoRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const CONTOSO = '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
export const FABRIKAM = '3c9d7e21-5a4b-4c3d-8e2f-1a0b9c8d7e6f';
/** The demo's licence SKUs, as the simulator's catalogue defines them. */
export const SKU = {
  oldSales: SIM_SKU.retiredSales,
  oldCep: SIM_SKU.retiredCepGov,
  salesPro: SIM_SKU.salesPro,
  cep: SIM_SKU.cepTier1,
} as const;

/** Environment for a CLI run against the simulator. */
export function demoEnv(sim: { url: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', ...extra };
}

/** `text` with `from` replaced by `to`; throws when `from` is not there, so an edit of a fixture never silently does nothing. */
export function replaced(text: string, from: string | RegExp, to: string): string {
  const hit = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!hit) throw new Error(`fixture edit: ${String(from)} is not in the file (was the fixture changed?)`);
  return text.replace(from, to);
}

/** Copies the repo's desired-state/ to a temp dir, lets `edit` change file texts (keys relative), returns the dir. */
export function copyDesiredState(edit: (files: Record<string, string>) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-desired-'));
  cpSync(join(repoRoot, 'desired-state'), dir, { recursive: true });
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  const before = { ...files };
  edit(files);
  for (const [k, v] of Object.entries(files)) if (before[k] !== v) writeFileSync(join(dir, k), v);
  return dir;
}
