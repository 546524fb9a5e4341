import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startSim, type StartedSim } from './helpers/sim.js';

const CONTOSO = '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';

describe('simulator auth, headers and error shapes', () => {
  let sim: StartedSim;
  beforeAll(async () => {
    sim = await startSim({ scenario: 'demo' });
  });
  afterAll(() => sim.close());

  it('answers 401 / 800001 without a bearer token', async () => {
    for (const headers of [{}, { Authorization: 'Bearer ' }, { Authorization: 'Basic abc' }] as Record<string, string>[]) {
      const res = await api(sim.url, 'GET', '/v1/customers', { token: null, headers });
      expect([res.status, res.body]).toEqual([401, { code: 800001, description: expect.any(String), data: [], source: 'PartnerFD' }]);
    }
  });

  it('echoes request and correlation ids and sends JSON', async () => {
    const res = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}`, { headers: { 'MS-RequestId': 'r-1', 'MS-CorrelationId': 'c-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('ms-requestid')).toBe('r-1');
    expect(res.headers.get('ms-correlationid')).toBe('c-1');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toMatchObject({
      id: CONTOSO,
      companyProfile: { tenantId: CONTOSO, domain: 'contoso.onmicrosoft.com', companyName: 'Contoso Ltd' },
      relationshipToPartner: 'reseller',
      attributes: { objectType: 'Customer' },
    });
    const entry = sim.audit.requests().at(-1);
    expect(entry).toMatchObject({ method: 'GET', status: 200, requestId: 'r-1', correlationId: 'c-1', customerId: CONTOSO });
  });

  it('maps bad paths, methods and inputs to ApiFaults (table)', async () => {
    const cases: [string, string, number, number][] = [
      ['GET', '/v1/nothing-here', 404, 1000],
      ['GET', '/elsewhere', 404, 1000],
      ['DELETE', '/v1/customers', 405, 800002],
      ['GET', '/v1/customers/00000000-0000-4000-8000-000000000000', 403, 20002],
      ['GET', '/v1/customers/00000000-0000-4000-8000-000000000000/subscriptions', 403, 20002],
      ['GET', '/v1/offers', 400, 800002],
      ['GET', '/v1/offers/NOPE?country=US', 400, 800004],
      ['GET', '/v1/offers/F28514F0-6516-4EF9-8222-1C605A05D245?country=DE', 400, 800070],
    ];
    for (const [method, path, status, code] of cases) {
      const res = await api(sim.url, method, path);
      expect([method, path, res.status, res.body.code, res.body.source]).toEqual([method, path, status, code, 'PartnerFD']);
    }
  });

  it('serves retired offers by id but not in the list', async () => {
    const retired = '0D365000-0000-4000-8000-00000000C001';
    const one = await api(sim.url, 'GET', `/v1/offers/${retired.toLowerCase()}?country=US`);
    expect(one.body).toMatchObject({
      id: retired,
      isAvailableForPurchase: false,
      product: { id: '0d365000-0000-4000-8000-0000000000a1', unit: 'Licenses' },
      attributes: { objectType: 'Offer' },
    });
    const list = await api(sim.url, 'GET', '/v1/offers?country=us');
    expect(list.body.items.map((o: any) => o.id)).not.toContain(retired);
    expect(list.body.totalCount).toBe(6);
  });

  it('exposes admin hooks without auth and resets in place', async () => {
    await api(sim.url, 'PATCH', `/v1/customers/${CONTOSO}/subscriptions/A1B2C3D4-0000-4000-8000-000000000102`, { body: { quantity: 11 } });
    const audit = await api(sim.url, 'GET', '/_sim/audit', { token: null });
    expect(audit.body.some((e: any) => e.type === 'subscription-changed')).toBe(true);
    expect(audit.body.some((e: any) => e.path?.startsWith('/_sim'))).toBe(false);
    const state = await api(sim.url, 'GET', '/_sim/state', { token: null });
    expect(state.body.customers[0].subscriptions[1].quantity).toBe(11);
    const entries = sim.audit.entries;
    const reset = await api(sim.url, 'POST', '/_sim/reset', { token: null });
    expect(reset.status).toBe(200);
    expect(sim.audit.entries).toBe(entries);
    expect(entries).toHaveLength(0);
    expect(sim.state.customer(CONTOSO)!.subscriptions[1]!.quantity).toBe(10);
    expect((await api(sim.url, 'GET', '/_sim/reset', { token: null })).status).toBe(405);
  });
});
