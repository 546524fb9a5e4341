import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/core/diagnostics.js';
import { DEFAULT_PARTNER_CONFIG, loadDesiredState } from '../src/desired/load.js';
import { openOrUndescribed } from './helpers/schema-walk.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures', 'desired');
const repoRoot = dirname(here);

/** A fixture directory loads as is; a single file becomes the only customer file of a fresh directory. */
function load(fixture: string) {
  const path = join(fixtures, fixture);
  if (!fixture.endsWith('.yaml')) return loadDesiredState(path, { displayRoot: path });
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-validate-'));
  mkdirSync(join(dir, 'customers'));
  cpSync(path, join(dir, 'customers', basename(fixture)));
  return loadDesiredState(dir, { displayRoot: dir });
}

function errorsOf(fixture: string) {
  const result = load(fixture);
  expect(result.value).toBeUndefined();
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, file: d.source?.file, line: d.source?.line, column: d.source?.column }));
}

type Expected = { code: string; line: number; column: number; file?: string };

const invalid: { name: string; fixture: string; errors: Expected[] }[] = [
  { name: 'misspelt key, at the key', fixture: 'invalid/unknown-key.yaml', errors: [{ code: 'schema.unknown-key', line: 8, column: 5 }] },
  { name: 'quantity not a number, at the value', fixture: 'invalid/quantity-not-a-number.yaml', errors: [{ code: 'schema.type', line: 8, column: 15 }] },
  { name: 'quantity 0', fixture: 'invalid/quantity-zero.yaml', errors: [{ code: 'schema.range', line: 8, column: 15 }] },
  { name: 'subscription without offer or match, at its handle', fixture: 'invalid/offer-or-match-missing.yaml', errors: [{ code: 'schema.required', line: 6, column: 3 }] },
  { name: 'empty match', fixture: 'invalid/match-empty.yaml', errors: [{ code: 'schema.required', line: 7, column: 5 }] },
  { name: 'unknown status', fixture: 'invalid/status-unknown.yaml', errors: [{ code: 'schema.enum', line: 8, column: 13 }] },
  { name: 'handle with capitals and a space, at the key', fixture: 'invalid/handle-invalid.yaml', errors: [{ code: 'schema.format', line: 6, column: 3 }] },
  { name: 'user that is not an email, at the list item', fixture: 'invalid/user-not-email.yaml', errors: [{ code: 'schema.format', line: 12, column: 9 }] },
  { name: 'licence entry with users and from', fixture: 'invalid/users-and-from.yaml', errors: [{ code: 'schema.conflict', line: 11, column: 5 }] },
  { name: 'licence entry with neither users nor from', fixture: 'invalid/users-or-from-missing.yaml', errors: [{ code: 'schema.required', line: 9, column: 5 }] },
  { name: 'subscriptions written as a list', fixture: 'invalid/subscriptions-is-a-list.yaml', errors: [{ code: 'schema.type', line: 6, column: 3 }] },
  { name: 'misspelt required key: one error, not also "missing id"', fixture: 'invalid/id-misspelt.yaml', errors: [{ code: 'schema.unknown-key', line: 4, column: 3 }] },
  { name: 'customer id not a GUID', fixture: 'invalid/id-not-a-guid.yaml', errors: [{ code: 'schema.format', line: 4, column: 7 }] },
  { name: 'kind missing, at the top-level mapping', fixture: 'invalid/kind-missing.yaml', errors: [{ code: 'schema.required', line: 2, column: 1 }] },
  { name: 'unknown apiVersion', fixture: 'invalid/api-version-unknown.yaml', errors: [{ code: 'schema.enum', line: 1, column: 13 }] },
  { name: 'from: naming an unknown handle, at the value', fixture: 'invalid/unknown-handle-from.yaml', errors: [{ code: 'rule.unknown-handle', line: 10, column: 11 }] },
  { name: 'from: a subscription without match', fixture: 'invalid/from-without-match.yaml', errors: [{ code: 'rule.from-without-match', line: 12, column: 11 }] },
  {
    name: 'same user twice for one subscription (case-insensitive), at the second',
    fixture: 'invalid/user-twice-same-subscription.yaml',
    errors: [{ code: 'rule.user-twice', line: 12, column: 13 }],
  },
  { name: 'same user in two subscriptions of one offer', fixture: 'invalid/user-twice-same-offer.yaml', errors: [{ code: 'rule.user-twice', line: 14, column: 32 }] },
  { name: 'term/billing on a legacy offer: one error', fixture: 'invalid/term-on-legacy-offer.yaml', errors: [{ code: 'rule.term-needs-new-commerce', line: 8, column: 11 }] },
  { name: 'licence target that is being suspended', fixture: 'invalid/suspended-target.yaml', errors: [{ code: 'rule.suspended-target', line: 10, column: 19 }] },
  {
    name: 'same customer in two files, reported at both',
    fixture: 'duplicate-customer',
    errors: [
      { code: 'rule.duplicate-customer', file: 'customers/a.yaml', line: 4, column: 7 },
      { code: 'rule.duplicate-customer', file: 'customers/b.yaml', line: 5, column: 7 },
    ],
  },
  {
    name: 'partner file: bad country, concurrency out of range, misspelt key',
    fixture: 'partner-invalid',
    errors: [
      { code: 'schema.format', file: 'pcsync.yaml', line: 3, column: 10 },
      { code: 'schema.range', file: 'pcsync.yaml', line: 4, column: 14 },
      { code: 'schema.unknown-key', file: 'pcsync.yaml', line: 5, column: 1 },
    ],
  },
];

describe('invalid desired state: code and file:line:col of every error', () => {
  it.each(invalid)('$name', ({ fixture, errors }) => {
    const file = fixture.endsWith('.yaml') ? `customers/${basename(fixture)}` : undefined;
    expect(errorsOf(fixture)).toEqual(errors.map((e) => ({ file: e.file ?? file, code: e.code, line: e.line, column: e.column })));
  });

  it('one file with three mistakes (unknown key, wrong type, unknown handle) gives exactly three errors, each at its place', () => {
    const result = load('three-mistakes');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => formatDiagnostic(d).split(': ')[0])).toEqual([
      'customers/contoso.yaml:8:5',
      'customers/contoso.yaml:12:12',
      'customers/contoso.yaml:14:19',
    ]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['schema.unknown-key', 'schema.type', 'rule.unknown-handle']);
  });

  it('says what is wrong in words: the key, where, what is allowed, what was given', () => {
    const [unknownKey] = load('invalid/unknown-key.yaml').diagnostics;
    expect(unknownKey?.summary).toMatch(/"quantitty".*subscription "sales-pro".*allowed: offer, match, quantity/);
    expect(unknownKey?.detail).toContain('"quantity"');
    const [wrongType] = load('invalid/quantity-not-a-number.yaml').diagnostics;
    expect(wrongType?.summary).toBe('"quantity" must be a whole number ≥ 1 or "auto", got "five"');
  });
});

describe('valid desired state', () => {
  it('the repository desired-state/ loads without any diagnostic', () => {
    const result = loadDesiredState(join(repoRoot, 'desired-state'), { displayRoot: repoRoot });
    expect(result.diagnostics).toEqual([]);
    const state = result.value!;
    expect(state.root).toBe('desired-state');
    expect(state.partner).toMatchObject({ country: 'US', concurrency: 256, seatHeadroom: 0, file: 'desired-state/pcsync.yaml' });
    expect(state.customers.map((c) => [c.id, c.file])).toEqual([
      ['3c9d7e21-5a4b-4c3d-8e2f-1a0b9c8d7e6f', 'desired-state/customers/fabrikam-gov.yaml'],
      ['8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d', 'desired-state/customers/contoso.yaml'],
    ]);
    const [fabrikam, contoso] = state.customers;
    expect(contoso!.subscriptions.map((s) => [s.handle, s.offer ?? s.match?.offerName, s.quantity, s.status])).toEqual([
      ['sales-pro', 'Dynamics 365 for Sales Professional', 'auto', 'active'],
      ['legacy-sales', 'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)', undefined, 'suspended'],
    ]);
    expect(contoso!.licenses).toMatchObject([{ subscription: 'sales-pro', from: 'legacy-sales' }]);
    expect(fabrikam!.subscriptions[0]).toMatchObject({ handle: 'engagement-plan', offer: 'BB30B486-53BE-4ECF-BB85-6F50979F0579', quantity: 'auto' });
    expect(fabrikam!.subscriptions[1]).toMatchObject({ handle: 'legacy-cep', status: 'suspended' });
    expect(fabrikam!.licenses[0]?.users).toEqual(['hana@fabrikamgov.onmicrosoft.com', 'ivan@fabrikamgov.onmicrosoft.com', 'jun@fabrikamgov.onmicrosoft.com']);
  });

  it('a directory without pcsync.yaml gets the default partner settings', () => {
    const result = load('valid-minimal');
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.partner).toEqual(DEFAULT_PARTNER_CONFIG);
    expect(result.value?.customers[0]).toMatchObject({ file: 'customers/acme.yaml', source: { file: 'customers/acme.yaml', line: 4, column: 7 } });
  });

  it('normalises: lower-case UPNs, ids and SKU ids, upper-case legacy offer GUIDs, defaults; reads .yml in sub-folders, ignores other files', () => {
    const result = load('valid-full');
    expect(result.diagnostics).toEqual([]);
    const state = result.value!;
    expect(state.partner).toEqual({
      country: 'GB',
      concurrency: 8,
      userConcurrency: 2,
      seatHeadroom: 1,
      policy: { allowSuspend: false, maxSeatsPerPurchase: 50, maxSeatsPerRun: 200, provisioningTimeoutSeconds: 600 },
      catalog: {
        retired: [{ offerName: 'Contoso Legacy Suite (Qualified Offer)', skuId: '0d365000-0000-4000-8000-0000000000b1', replacements: ['Contoso Suite'] }],
        replacements: [{ name: 'Contoso Suite', offerId: '796B6B5F-613C-4E24-A17C-EBA730D49C02', skuId: '0d365000-0000-4000-8000-0000000000b2' }],
      },
      file: 'pcsync.yaml',
    });
    expect(state.customers.map((c) => c.file)).toEqual(['customers/emea/tailspin.yml', 'customers/northwind.yaml']);
    const northwind = state.customers[1]!;
    expect(northwind.id).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    expect(northwind.domain).toBe('northwind.onmicrosoft.com');
    expect(northwind.subscriptions).toMatchObject([
      { handle: 'nce-sales', offer: 'CFQ7TTC0LH18:0001:CFQ7TTC0K971', quantity: 10, term: 'P1Y', billing: 'monthly', skuId: 'be9f9771-1c64-4618-9907-244325141096', prune: true, status: 'active' },
      { handle: 'team-members', offer: 'B2CCB51A-43C2-47D4-92DB-DBF14553A185', prune: false, status: 'active' },
      { handle: 'legacy', match: { offerId: '2828BE95-46BA-4F91-B2FD-0BEF192ECF60', subscriptionId: '42226ED6-0000-4000-8000-000000000001' }, status: 'suspended' },
    ]);
    expect(northwind.licenses[0]).toMatchObject({ users: ['alice@northwind.com', 'bob@northwind.com'], source: { line: 22, column: 5 } });
    expect(northwind.licenses[0]?.userSources?.map((s) => [s.line, s.column])).toEqual([[23, 13], [23, 34]]);
  });
});

describe('schemas', () => {
  const schemaFiles = ['customer.schema.json', 'partner.schema.json'];

  it.each(schemaFiles)('%s: every property has a description (editors show it) and objects refuse unknown keys', (name) => {
    expect(openOrUndescribed(JSON.parse(readFileSync(join(repoRoot, 'schemas', name), 'utf8')), name)).toEqual([]);
  });

  it('the $schema comments in the example files point at the schemas', () => {
    for (const file of ['desired-state/pcsync.yaml', 'desired-state/customers/contoso.yaml', 'desired-state/customers/fabrikam-gov.yaml']) {
      const ref = /\$schema=(\S+)/.exec(readFileSync(join(repoRoot, file), 'utf8'))?.[1];
      expect(ref, file).toBeDefined();
      expect(existsSync(join(repoRoot, dirname(file), ref!)), `${file} → ${ref}`).toBe(true);
    }
  });
});
