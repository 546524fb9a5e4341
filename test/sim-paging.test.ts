import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, generateFleet, startSim, type StartedSim } from './helpers/sim.js';

const CONTOSO = '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';

/** Follows links.next with its headers until the last page; returns every page body. */
async function walk(sim: StartedSim, first: string): Promise<any[]> {
  const pages: any[] = [];
  let path: string | undefined = first;
  let headers: Record<string, string> = {};
  while (path) {
    if (pages.length > 20) throw new Error('paging does not end');
    const res = await api(sim.url, 'GET', path, { headers });
    expect(res.status).toBe(200);
    pages.push(res.body);
    const next = res.body.links.next;
    path = next?.uri;
    headers = Object.fromEntries((next?.headers ?? []).map((h: { key: string; value: string }) => [h.key, h.value]));
  }
  return pages;
}

describe('simulator paging', () => {
  let sim: StartedSim;
  beforeAll(async () => {
    sim = await startSim({ scenario: generateFleet({ customers: 5, usersMin: 1, usersMax: 2, seed: 7 }), options: { pageSize: 2 } });
  });
  afterAll(() => sim.close());

  it('walks every customer page with seekOperation=Next and MS-ContinuationToken', async () => {
    const pages = await walk(sim, '/v1/customers?size=10');
    expect(pages.map((p) => p.totalCount)).toEqual([2, 2, 1]);
    expect(pages[0].continuationToken).toBe(pages[0].links.next.headers[0].value);
    expect(pages[0].links.next.uri).toBe('/v1/customers?size=10&seekOperation=Next');
    expect(pages[2].links.next).toBeUndefined();
    expect(pages[2].continuationToken).toBeUndefined();
    const ids = pages.flatMap((p) => p.items.map((c: any) => c.id));
    expect(ids).toEqual(sim.state.scenario.customers.map((c) => c.id));
    expect(pages[0].items[0].attributes.objectType).toBe('Customer');
  });

  it('uses the smaller of size and pageSize, and pageSize for size=0', async () => {
    const one = await api(sim.url, 'GET', '/v1/customers?size=1');
    expect(one.body.totalCount).toBe(1);
    const zero = await api(sim.url, 'GET', '/v1/customers?size=0');
    expect(zero.body.totalCount).toBe(2);
  });

  it('needs a valid continuation token for the next page', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/v1/customers?size=2&seekOperation=Next', {}],
      ['/v1/customers?size=2&seekOperation=Next', { 'MS-ContinuationToken': 'garbled!!' }],
      ['/v1/customers?size=2&seekOperation=Next', { 'MS-ContinuationToken': Buffer.from('{"s":"users:x","o":2}').toString('base64url') }],
      ['/v1/customers?size=2&seekOperation=Previous', { 'MS-ContinuationToken': 'abc' }],
      ['/v1/customers?size=-1', {}],
    ];
    for (const [path, headers] of cases) {
      const res = await api(sim.url, 'GET', path, { headers });
      expect([path, res.status, res.body.code]).toEqual([path, 400, 800002]);
    }
  });

  it('pages users of one customer the same way', async () => {
    const cid = sim.state.scenario.customers[0]!.id;
    const pages = await walk(sim, `/v1/customers/${cid}/users?size=2`);
    const upns = pages.flatMap((p) => p.items.map((u: any) => u.userPrincipalName));
    expect(upns).toEqual(sim.state.scenario.customers[0]!.users.map((u) => u.upn));
    expect(pages.every((p) => p.items.length <= 2)).toBe(true);
  });

  it('pages offers by offset and size, purchasable ones only', async () => {
    const pages = await walk(sim, '/v1/offers?country=US&offset=0&size=4');
    expect(pages.map((p) => p.totalCount)).toEqual([4, 2]);
    expect(pages[0].links.next.uri).toBe('/v1/offers?country=US&offset=4&size=4');
    const offers = pages.flatMap((p) => p.items);
    expect(offers.every((o: any) => o.isAvailableForPurchase === true)).toBe(true);
    expect(offers[0].attributes.objectType).toBe('Offer');
  });
});

describe('simulator users in the demo scenario', () => {
  it('serves users with the CustomerUser shape', async () => {
    const sim = await startSim({ scenario: 'demo' });
    try {
      const res = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/users?size=100`);
      expect(res.body.totalCount).toBe(7);
      expect(res.body.items[0]).toMatchObject({
        userPrincipalName: 'alice@contoso.onmicrosoft.com',
        usageLocation: 'US',
        userDomainType: 'managed',
        state: 'active',
        attributes: { objectType: 'CustomerUser' },
      });
      expect(res.body.items[0].links.self.uri).toBe(`/customers/${CONTOSO}/users/${res.body.items[0].id}`);
    } finally {
      await sim.close();
    }
  });
});
