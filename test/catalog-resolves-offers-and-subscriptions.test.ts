import { describe, expect, it } from 'vitest';
import { buildCatalog, matchLiveSubscriptions, readScope, resolveOfferRef } from '../src/catalog/index.js';
import { customer, fromEntry, sub, usersEntry } from './fixtures/plan/desired.js';
import { liveOffer, liveSub } from './fixtures/plan/live.js';
import { NAME, OFFER, SKU } from './fixtures/plan/demo.js';

const catalog = buildCatalog({ retired: [], replacements: [] });
const noOffers = {};
const offers = Object.fromEntries([liveOffer(OFFER.cep, NAME.cepLive, SKU.cep), liveOffer('51F99B45-3F92-4EF0-9167-B04709A62106', 'Dynamics 365 for Customer Service Professional', 'cs-pro-sku')].map((o) => [o.id, o]));

describe('resolveOfferRef', () => {
  it.each([
    ['sales-professional', 'F28514F0-6516-4EF9-8222-1C605A05D245'],
    ['Dynamics 365 for Sales Professional', 'F28514F0-6516-4EF9-8222-1C605A05D245'],
    ['  dynamics 365   for SALES professional ', 'F28514F0-6516-4EF9-8222-1C605A05D245'],
    ['f28514f0-6516-4ef9-8222-1c605a05d245', 'F28514F0-6516-4EF9-8222-1C605A05D245'],
    ['Dynamics 365 Customer Engagement Plan', 'BB30B486-53BE-4ECF-BB85-6F50979F0579'],
    ['Customer Engagement Plan Tier 1 (1-99 users)', 'BB30B486-53BE-4ECF-BB85-6F50979F0579'],
    ['Dynamics 365 Team Members', 'B2CCB51A-43C2-47D4-92DB-DBF14553A185'],
  ])('finds %j in the catalogue alone', (ref, offerId) => {
    expect(resolveOfferRef(ref, catalog, noOffers)).toMatchObject({ offerId, source: 'catalog', purchasable: true });
  });

  it('knows catalogue SKUs, lower-case', () => {
    expect(resolveOfferRef('sales-professional', catalog, noOffers)?.skuId).toBe('be9f9771-1c64-4618-9907-244325141096');
    expect(resolveOfferRef('customer-service-professional', catalog, noOffers)?.skuId).toBeUndefined();
  });

  it('prefers the live offer for name, SKU and purchasability', () => {
    expect(resolveOfferRef('Dynamics 365 Customer Engagement Plan', catalog, offers)).toEqual({
      offerId: OFFER.cep,
      name: NAME.cepLive,
      skuId: SKU.cep,
      purchasable: true,
      source: 'live',
    });
    expect(resolveOfferRef('customer-service-professional', catalog, offers)?.skuId).toBe('cs-pro-sku');
    const closed = { [OFFER.cep]: liveOffer(OFFER.cep, NAME.cepLive, SKU.cep, { isAvailableForPurchase: false }) };
    expect(resolveOfferRef('Customer Engagement Plan Tier 1 (1-99 users)', catalog, closed)?.purchasable).toBe(false);
  });

  it('finds an offer only the live catalogue knows, by name or id', () => {
    const extra = { 'EEEE0000-0000-4000-8000-000000000005': liveOffer('EEEE0000-0000-4000-8000-000000000005', 'Office 365 E3', 'e3-sku') };
    expect(resolveOfferRef('office 365 e3', catalog, extra)).toMatchObject({ offerId: 'EEEE0000-0000-4000-8000-000000000005', skuId: 'e3-sku', source: 'live' });
    expect(resolveOfferRef('eeee0000-0000-4000-8000-000000000005', catalog, extra)?.name).toBe('Office 365 E3');
  });

  it.each(['Dynamics 365 for Sales', 'Sales Professional', NAME.retiredSales, '00000000-0000-0000-0000-000000000000'])('does not resolve %j', (ref) => {
    expect(resolveOfferRef(ref, catalog, offers)).toBeUndefined();
  });
});

describe('matchLiveSubscriptions', () => {
  const live = [
    liveSub('s3', { offerId: OFFER.retiredSales, offerName: NAME.retiredSales, status: 'suspended' }),
    liveSub('s1', { offerId: OFFER.retiredSales, offerName: NAME.retiredSales }),
    liveSub('s2', { offerId: OFFER.retiredSales, offerName: NAME.retiredSales, status: 'deleted' }),
    liveSub('s4', { offerId: OFFER.salesPro, offerName: NAME.salesPro }),
    liveSub('s5', { offerId: OFFER.salesPro, offerName: NAME.salesPro, status: 'expired' }),
    liveSub('s6', { offerId: OFFER.salesPro, offerName: NAME.salesPro, status: 'pending' }),
    liveSub('s7', { offerId: 'CFQ7TTC0LH0R:0001:AV0002', offerName: 'Dynamics 365 Sales Enterprise' }),
  ];
  const ids = (s: ReturnType<typeof sub>) => matchLiveSubscriptions(s, live, catalog, noOffers).map((m) => m.id);

  it.each([
    ['offerName (any case), any status but deleted, sorted', { offerName: NAME.retiredSales.toUpperCase() }, ['s1', 's3']],
    ['offerId', { offerId: OFFER.retiredSales.toLowerCase() }, ['s1', 's3']],
    ['subscriptionId', { subscriptionId: 'S3' }, ['s3']],
    ['all given fields must agree', { subscriptionId: 's4', offerName: NAME.retiredSales }, []],
    ['expired counts for match', { offerId: OFFER.salesPro }, ['s4', 's5', 's6']],
    // Partner Center shows a new-commerce subscription's offer id with the availability it was bought under (reissued).
    ['a new-commerce offerId, whatever availability either side names', { offerId: 'cfq7ttc0lh0r:0001' }, ['s7']],
    ['a new-commerce offerId with another availability', { offerId: 'CFQ7TTC0LH0R:0001:AV0001' }, ['s7']],
  ])('by match: %s', (_, match, expected) => {
    expect(ids(sub('h', { match }))).toEqual(expected);
  });

  it('by offer: active, pending or suspended subscriptions of the resolved offer id', () => {
    expect(ids(sub('h', { offer: 'sales-professional' }))).toEqual(['s4', 's6']);
    expect(ids(sub('h', { offer: 'no such offer' }))).toEqual([]);
  });
});

describe('readScope', () => {
  const live = [
    liveSub('old', { offerId: OFFER.retiredSales, offerName: NAME.retiredSales, skuId: SKU.oldSales }),
    liveSub('e3', { offerId: 'E3', offerName: 'Office 365 E3', skuId: 'e3-sku' }),
  ];

  it('lists explicit users and the SKUs of from:, retiring and prune subscriptions', () => {
    const c = customer('c1', {
      subscriptions: [
        sub('sales-pro', { offer: 'sales-professional' }),
        sub('legacy', { match: { offerName: NAME.retiredSales }, status: 'suspended' }),
        sub('e3', { match: { subscriptionId: 'e3' }, prune: true }),
        sub('tm', { offer: 'team-members' }),
        sub('other', { match: { offerId: 'NOPE' }, skuId: 'Custom-SKU' }),
      ],
      licenses: [usersEntry('sales-pro', ['Zed@x.com', 'amy@x.com']), usersEntry('tm', ['amy@x.com']), fromEntry('sales-pro', 'other')],
    });
    expect(readScope(c, live, catalog, noOffers)).toEqual({
      listedUpns: ['amy@x.com', 'zed@x.com'],
      holderSkuIds: [SKU.oldSales, 'custom-sku', 'e3-sku'].sort(),
    });
  });

  it('learns a retired SKU from partner config when no live subscription tells', () => {
    const withSku = buildCatalog({ retired: [{ offerName: NAME.retiredSales, skuId: 'CFG-SKU', replacements: [] }], replacements: [] });
    const c = customer('c1', { subscriptions: [sub('legacy', { match: { offerName: NAME.retiredSales }, status: 'suspended' })] });
    expect(readScope(c, [], withSku, noOffers).holderSkuIds).toEqual(['cfg-sku']);
    expect(readScope(c, [], catalog, noOffers).holderSkuIds).toEqual([]);
  });
});
