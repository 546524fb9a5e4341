import { describe, expect, it } from 'vitest';
import { BUILTIN_RETIRED, buildCatalog, findRetired } from '../src/catalog/index.js';

/** The 24 retired offers exactly as the migration notice lists them (English text of the seed document). */
const SEED_NAMES: ReadonlyArray<[string, string, string, string]> = [
  ['Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)', 'sales-enterprise', 'crmol-basic', 'commercial'],
  ['Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) for Faculty', 'sales-enterprise', 'crmol-basic', 'faculty'],
  ['Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) for Students', 'sales-enterprise', 'crmol-basic', 'students'],
  ['Dynamics 365 for Sales Enterprise Edition (Government Pricing) CRMOL Basic (Qualified Offer)', 'sales-enterprise', 'crmol-basic', 'government'],
  ['Dynamics 365 for Sales Enterprise Edition From SA for CRM Basic (Qualified Offer)', 'sales-enterprise', 'from-sa', 'commercial'],
  ['Dynamics 365 for Sales Enterprise Edition From SA for CRM Basic (Qualified Offer) for Faculty', 'sales-enterprise', 'from-sa', 'faculty'],
  ['Dynamics 365 for Sales Enterprise Edition From SA for CRM Basic (Qualified Offer) for Students', 'sales-enterprise', 'from-sa', 'students'],
  ['Dynamics 365 for Sales Enterprise Edition (Government Pricing) From SA for CRM Basic (Qualified Offer)', 'sales-enterprise', 'from-sa', 'government'],
  ['Dynamics 365 for Sales Enterprise Edition Add-On for CRM Basic (Qualified Offer)', 'sales-enterprise', 'add-on', 'commercial'],
  ['Dynamics 365 for Sales Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Faculty', 'sales-enterprise', 'add-on', 'faculty'],
  ['Dynamics 365 for Sales Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Students', 'sales-enterprise', 'add-on', 'students'],
  ['Dynamics 365 for Sales Enterprise Edition (Government Pricing) Add-On for CRM Basic (Qualified Offer)', 'sales-enterprise', 'add-on', 'government'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition CRMOL Basic (Qualified Offer)', 'customer-engagement-plan', 'crmol-basic', 'commercial'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition (Government Pricing) CRMOL Basic (Qualified Offer)', 'customer-engagement-plan', 'crmol-basic', 'government'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition CRMOL Basic (Qualified Offer) for Students', 'customer-engagement-plan', 'crmol-basic', 'students'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition CRMOL Basic (Qualified Offer) for Faculty', 'customer-engagement-plan', 'crmol-basic', 'faculty'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition From SA for CRM Basic (Qualified Offer)', 'customer-engagement-plan', 'from-sa', 'commercial'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition (Government Pricing) From SA for CRM Basic (Qualified Offer)', 'customer-engagement-plan', 'from-sa', 'government'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition From SA for CRM Basic (Qualified Offer) for Students', 'customer-engagement-plan', 'from-sa', 'students'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition From SA for CRM Basic (Qualified Offer) for Faculty', 'customer-engagement-plan', 'from-sa', 'faculty'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition Add-On for CRM Basic (Qualified Offer)', 'customer-engagement-plan', 'add-on', 'commercial'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition (Government Pricing) Add-On for CRM Basic (Qualified Offer)', 'customer-engagement-plan', 'add-on', 'government'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Students', 'customer-engagement-plan', 'add-on', 'students'],
  ['Dynamics 365 Customer Engagement Plan Enterprise Edition Add-On for CRM Basic (Qualified Offer) for Faculty', 'customer-engagement-plan', 'add-on', 'faculty'],
];

const catalog = buildCatalog({ retired: [], replacements: [] });

describe('built-in retired offers', () => {
  it('are exactly the 24 names of the migration notice', () => {
    expect(BUILTIN_RETIRED).toHaveLength(24);
    expect([...BUILTIN_RETIRED.map((r) => r.name)].sort()).toEqual(SEED_NAMES.map(([n]) => n).sort());
  });

  it.each(SEED_NAMES)('recognises %s', (name, family, variant, priceGroup) => {
    expect(findRetired(catalog, name)).toMatchObject({ name, family, variant, priceGroup });
  });

  it('ignores case and runs of spaces, nothing else', () => {
    expect(findRetired(catalog, '  dynamics 365 FOR sales enterprise edition   crmol basic (qualified offer) ')?.name).toBe(SEED_NAMES[0]![0]);
    expect(findRetired(catalog, 'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) for Faculty')?.priceGroup).toBe('faculty');
  });

  it.each([
    'Dynamics 365 for Sales Professional',
    'Dynamics 365 for Sales Enterprise Edition',
    'Dynamics 365 Customer Engagement Plan',
    'Dynamics 365 for Sales Enterprise Edition CRMOL Basic',
    'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) for Teachers',
    'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer) (Government Pricing)',
    'Dynamics 365 Customer Engagement Plan Enterprise Edition CRMOL Basic (Qualified Offer) extra',
    '',
  ])('does not treat %j as retired', (name) => {
    expect(findRetired(catalog, name)).toBeUndefined();
  });

  it('suggests replacements by family, first = default', () => {
    expect(findRetired(catalog, SEED_NAMES[3]![0])?.replacements).toEqual(['sales-professional', 'customer-service-enterprise', 'customer-service-professional', 'team-members']);
    expect(findRetired(catalog, SEED_NAMES[13]![0])?.replacements).toEqual(['customer-engagement-plan', 'sales-professional', 'customer-service-enterprise', 'team-members']);
    const keys = new Set(catalog.replacements.map((r) => r.key));
    for (const r of catalog.retired) for (const k of r.replacements) expect(keys.has(k), k).toBe(true);
  });

  it('knows no licence SKU for a retired offer by itself', () => {
    expect(catalog.retired.every((r) => r.skuId === undefined)).toBe(true);
  });
});

describe('partner catalogue additions', () => {
  const extended = buildCatalog({
    retired: [
      { offerName: 'Contoso Legacy CRM (Qualified Offer)', skuId: 'AAAA0000-0000-4000-8000-000000000001', replacements: ['Dynamics 365 for Sales Professional', 'unknown offer'] },
      { offerName: 'dynamics 365 for sales enterprise edition crmol basic (qualified offer)', skuId: 'BBBB0000-0000-4000-8000-000000000002', replacements: [] },
    ],
    replacements: [
      { name: 'Dynamics 365 for Customer Service Professional', offerId: '51f99b45-3f92-4ef0-9167-b04709a62106', skuId: 'CCCC0000-0000-4000-8000-000000000003' },
      { name: 'Partner Special', offerId: 'dddd0000-0000-4000-8000-000000000004' },
    ],
  });

  it('adds a custom retired offer with its SKU and resolvable replacements', () => {
    expect(findRetired(extended, 'Contoso Legacy CRM (Qualified Offer)')).toMatchObject({
      family: 'custom',
      skuId: 'aaaa0000-0000-4000-8000-000000000001',
      replacements: ['sales-professional'],
    });
  });

  it('completes a built-in retired offer instead of duplicating it', () => {
    expect(extended.retired).toHaveLength(25);
    expect(findRetired(extended, SEED_NAMES[0]![0])).toMatchObject({ family: 'sales-enterprise', skuId: 'bbbb0000-0000-4000-8000-000000000002' });
    expect(findRetired(extended, SEED_NAMES[0]![0])?.replacements[0]).toBe('sales-professional');
  });

  it('fills in an undocumented replacement SKU and adds new replacements under a key', () => {
    expect(extended.replacements.find((r) => r.key === 'customer-service-professional')?.skuId).toBe('cccc0000-0000-4000-8000-000000000003');
    expect(extended.replacements.find((r) => r.name === 'Partner Special')).toMatchObject({ key: 'partner-special', offerId: 'DDDD0000-0000-4000-8000-000000000004' });
  });
});
