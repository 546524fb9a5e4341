import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog } from '../src/catalog/index.js';
import { DEFAULT_PARTNER_CONFIG, loadDesiredState } from '../src/desired/load.js';
import { propose, withHolders } from '../src/import/propose.js';
import { renderImportYaml } from '../src/import/yaml.js';
import type { LiveCustomer, LiveSubscription } from '../src/live/types.js';

const catalog = buildCatalog(DEFAULT_PARTNER_CONFIG.catalog);
const ID = '0b1a3c4d-0000-4000-8000-00000000aaaa';
const sub = (id: string, offerName: string, skuId: string, status = 'active'): LiveSubscription => ({
  id,
  offerId: `0D365000-0000-4000-8000-${id.slice(-12)}`,
  offerName,
  quantity: 4,
  status,
  commitmentEndDate: '2026-06-30T00:00:00Z',
  skuId,
});
const SALES = 'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)';
const SALES_ADDON = 'Dynamics 365 for Sales Enterprise Edition Add-On for CRM Basic (Qualified Offer)';

function live(users: [string, string[], string?][]): LiveCustomer {
  return {
    id: ID,
    found: true,
    companyName: 'Example Co',
    domain: 'example.onmicrosoft.com',
    subscriptions: [],
    skus: [],
    users: users.map(([upn, licenses, loc]) => ({ id: upn, upn, licenses, ...(loc ? { usageLocation: loc } : {}) })),
    fingerprint: '',
    holdersComplete: true,
  };
}

function validates(yaml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-import-unit-'));
  mkdirSync(join(dir, 'customers'));
  writeFileSync(join(dir, 'customers', 'example.yaml'), yaml);
  return loadDesiredState(dir, { displayRoot: dir }).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.summary}`);
}

describe('import proposal and its YAML (pure)', () => {
  const subs = [
    sub('A0000000-0000-4000-8000-000000000001', SALES, 'sku-a'),
    sub('A0000000-0000-4000-8000-000000000002', SALES_ADDON, 'sku-b'),
    sub('A0000000-0000-4000-8000-000000000003', SALES, 'sku-a', 'suspended'),
  ];
  const now = new Date('2026-03-01T00:00:00Z');

  it('two subscriptions with the same retired name are matched by id; suspended ones are left alone; nobody-holds means suspend only', () => {
    const p = propose({ id: ID }, subs, catalog, {}, now, 'US');
    expect(p.retirements.map((r) => [r.sub.id, r.matchById, r.daysLeft])).toEqual([
      ['A0000000-0000-4000-8000-000000000002', false, 121],
      ['A0000000-0000-4000-8000-000000000001', true, 121],
    ]);
    expect(p.alreadyMigrated.map((s) => s.id)).toEqual(['A0000000-0000-4000-8000-000000000003']);
    const full = withHolders(p, live([['amy@example.onmicrosoft.com', ['sku-a'], 'US'], ['bo@example.onmicrosoft.com', ['sku-a', 'sku-b']]]));
    expect(full.retirements.map((r) => [r.handle, r.holders, r.movedWith.map((m) => m.upn)])).toEqual([
      ['legacy-sales-add-on', ['bo@example.onmicrosoft.com'], []],
      ['legacy-sales-crmol-basic', ['amy@example.onmicrosoft.com', 'bo@example.onmicrosoft.com'], ['bo@example.onmicrosoft.com']],
    ]);
    const yaml = renderImportYaml(full);
    expect(validates(yaml)).toEqual([]);
    expect(yaml).toContain('subscriptionId: A0000000-0000-4000-8000-000000000001');
    expect(yaml).toContain('users: [amy@example.onmicrosoft.com]');
    expect(yaml).toMatch(/No usage location[^\n]*\n[^\n]*bo@example\.onmicrosoft\.com/);
    expect(yaml).toMatch(/Already migrated and left alone: .*A0000000-0000-4000-8000-000000000003/s);
    expect(renderImportYaml(full)).toBe(yaml);

    const nobody = renderImportYaml(withHolders(p, live([['cy@example.onmicrosoft.com', []]])));
    expect(validates(nobody)).toEqual([]);
    expect(nobody).not.toContain('licenses:');
    expect(nobody).not.toContain('offer:');
    expect(nobody.match(/status: suspended/g)).toHaveLength(2);
  });

  it('text from Partner Center cannot break out of a comment', () => {
    const p = propose({ id: ID, companyName: 'Evil Co\napiVersion: pcsync/v2\nkind: Other' }, subs.slice(0, 1), catalog, {}, now, 'US');
    const yaml = renderImportYaml(withHolders(p, live([['amy@example.onmicrosoft.com', ['sku-a'], 'US']])));
    expect(validates(yaml)).toEqual([]);
    expect(yaml.split('\n').filter((l) => /^(apiVersion|kind):/.test(l))).toEqual(['apiVersion: pcsync/v1', 'kind: Customer']);
  });
});
