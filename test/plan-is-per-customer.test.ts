import { describe, expect, it } from 'vitest';
import { OfferCache } from '../src/live/offers.js';
import { offersFor } from '../src/catalog/offer-view.js';
import { planCustomer } from '../src/plan/customer.js';
import { buildCatalog } from '../src/catalog/index.js';
import { CONTOSO, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { CTX } from './fixtures/plan/demo.js';
import type { PartnerCenterClient } from '../src/partner-center/client.js';
import type { CatalogueRead } from '../src/live/types.js';

/** A client that serves a two-offer catalogue list and one offer only by id; counts the calls. */
function fakeClient() {
  const calls: string[] = [];
  const client = {
    listOffers: async () => {
      calls.push('list');
      return [
        { id: 'AAAA0000-0000-4000-8000-000000000001', name: 'Listed One', product: { id: 'sku-1' }, isAvailableForPurchase: true },
        { id: 'AAAA0000-0000-4000-8000-000000000002', name: 'Listed Two', product: { id: 'sku-2' }, isAvailableForPurchase: true },
      ];
    },
    getOffer: async (id: string) => {
      calls.push(`get ${id}`);
      return { id, name: `By id ${id}`, product: { id: 'sku-by-id' }, isAvailableForPurchase: false };
    },
  } as unknown as PartnerCenterClient;
  return { client, calls };
}

describe("one customer's offers are the catalogue and its own look-ups, never another customer's", () => {
  it('what another customer looked up by id is not in this customer\'s view; the list is read once', async () => {
    const { client, calls } = fakeClient();
    const cache = new OfferCache(client, 'US');
    // customer A's subscription names an offer the list lacks; customer B's do not
    await cache.get('BBBB0000-0000-4000-8000-00000000000A');
    const a = await cache.lookedUp(['BBBB0000-0000-4000-8000-00000000000A', 'AAAA0000-0000-4000-8000-000000000001']);
    const b = await cache.lookedUp(['aaaa0000-0000-4000-8000-000000000002']);
    const { offers: listed } = await cache.catalogue();
    expect(Object.keys(a)).toEqual(['BBBB0000-0000-4000-8000-00000000000A']);
    expect(b).toEqual({});
    expect(Object.keys(offersFor(listed, b)).sort()).toEqual(['AAAA0000-0000-4000-8000-000000000001', 'AAAA0000-0000-4000-8000-000000000002']);
    expect(offersFor(listed, b)).toBe(listed);
    expect(calls).toEqual(['list', 'get BBBB0000-0000-4000-8000-00000000000A']);
  });

  it('a listed offer is served from the list, never looked up by id (the fleet plan and a re-plan read it alike)', async () => {
    const { client, calls } = fakeClient();
    const cache = new OfferCache(client, 'US');
    expect((await cache.get('aaaa0000-0000-4000-8000-000000000001'))?.name).toBe('Listed One');
    expect(calls).toEqual(['list']);
  });

  it('a plan made without the catalogue is blocked, never an empty "nothing to do"', () => {
    const desired = demoDesired();
    const customer = desired.customers.find((c) => c.id === CONTOSO)!;
    const live = demoLive().customers.find((c) => c.id === CONTOSO)!;
    const input = { desired: customer, live, catalog: buildCatalog(desired.partner.catalog), partner: desired.partner, now: CTX.now };
    const planned = planCustomer({ ...input, catalogue: undefined as unknown as CatalogueRead });
    expect(planned.blockers.map((b) => b.code)).toContain('catalogue-unreadable');
    expect(planned.blockers[0]!.message).toMatch(/pcsync bug/);
  });
});
