import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../src/desired/load.js';

const HEAD = 'apiVersion: pcsync/v1\nkind: PartnerConfig\n';

function loadPartner(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-prices-'));
  mkdirSync(join(dir, 'customers'));
  writeFileSync(join(dir, 'pcsync.yaml'), `${HEAD}${yaml}`);
  return loadDesiredState(dir, { displayRoot: dir });
}

describe('prices and policy.maxSpendPerRun in pcsync.yaml', () => {
  it.each([
    ['a price-list file', 'prices:\n  file: prices/2026-11.csv\n', { file: 'prices/2026-11.csv' }],
    ['the price sheet API', 'prices:\n  priceSheet: true\n', { priceSheet: true }],
  ])('accepts %s', (_, yaml, prices) => {
    const r = loadPartner(yaml);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.value!.partner.prices).toEqual(prices);
  });

  it('reads maxSpendPerRun with its currency upper-cased', () => {
    const r = loadPartner('policy:\n  maxSpendPerRun:\n    amount: 25000\n    currency: usd\n');
    expect(r.value!.partner.policy.maxSpendPerRun).toEqual({ amount: 25000, currency: 'USD' });
  });

  it.each([
    ['both sources at once', 'prices:\n  file: p.csv\n  priceSheet: true\n', 4],
    ['an empty prices block', 'prices: {}\n', 3],
    ['priceSheet: false', 'prices:\n  priceSheet: false\n', 4],
    ['a cap without currency', 'policy:\n  maxSpendPerRun: { amount: 100 }\n', 4],
    ['a cap in a made-up currency', 'policy:\n  maxSpendPerRun: { amount: 100, currency: dollars }\n', 4],
    ['a zero cap', 'policy:\n  maxSpendPerRun: { amount: 0, currency: USD }\n', 4],
  ])('refuses %s, naming the line', (_, yaml, line) => {
    const r = loadPartner(yaml);
    expect(r.value).toBeUndefined();
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.source?.file).toContain('pcsync.yaml');
    expect(errors.map((e) => e.source?.line)).toContain(line);
  });
});
