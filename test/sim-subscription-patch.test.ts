import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, startSim, type StartedSim } from './helpers/sim.js';

const CONTOSO = '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
const RETIRED = 'A1B2C3D4-0000-4000-8000-000000000101';
const E3_SUB = 'A1B2C3D4-0000-4000-8000-000000000102';
const path = (sid: string) => `/v1/customers/${CONTOSO}/subscriptions/${sid}`;
const etag = (id: string, version: number) => Buffer.from(JSON.stringify({ id: id.toLowerCase(), version })).toString('base64');

let sim: StartedSim;
beforeEach(async () => {
  sim = await startSim({ scenario: 'demo' });
});
afterEach(() => sim.close());

describe('simulator PATCH subscription', () => {
  it('serves the Subscription shape with a base64 etag', async () => {
    const res = await api(sim.url, 'GET', path(RETIRED));
    expect(res.body).toMatchObject({
      id: RETIRED,
      offerId: '0D365000-0000-4000-8000-00000000C001',
      offerName: 'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)',
      quantity: 5,
      unitType: 'Licenses',
      status: 'active',
      autoRenewEnabled: false,
      commitmentEndDate: '2027-01-31T00:00:00Z',
      billingType: 'license',
      suspensionReasons: [],
      attributes: { etag: etag(RETIRED, 1), objectType: 'Subscription' },
    });
    expect(res.body.links.offer.uri).toBe('/offers/0D365000-0000-4000-8000-00000000C001?country=US');
  });

  it('suspends with a current etag, bumps the version, then refuses the stale etag with 2055', async () => {
    const first = await api(sim.url, 'PATCH', path(RETIRED), { body: { Status: 'Suspended', Attributes: { Etag: etag(RETIRED, 1) } } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'suspended', attributes: { etag: etag(RETIRED, 2) } });
    const stale = await api(sim.url, 'PATCH', path(RETIRED), { body: { status: 'active', attributes: { etag: etag(RETIRED, 1) } } });
    expect([stale.status, stale.body.code]).toEqual([400, 2055]);
    const header = await api(sim.url, 'PATCH', path(RETIRED), { body: { status: 'active' }, headers: { 'If-Match': `"${etag(RETIRED, 1)}"` } });
    expect([header.status, header.body.code]).toEqual([400, 2055]);
    expect((await api(sim.url, 'GET', path(RETIRED))).body.status).toBe('suspended');
  });

  it('records one audit entry per changed field, after the request that caused it', async () => {
    const res = await api(sim.url, 'PATCH', path(E3_SUB), { body: { quantity: 12, friendlyName: 'E3 HQ', autoRenewEnabled: true } });
    expect(res.status).toBe(200);
    const tail = sim.audit.entries.slice(-3);
    expect(tail[0]).toMatchObject({ type: 'request', method: 'PATCH', status: 200, customerId: CONTOSO });
    expect(tail.slice(1)).toMatchObject([
      { type: 'subscription-changed', field: 'quantity', before: 10, after: 12, consumedUnits: 7 },
      { type: 'subscription-changed', field: 'friendlyName', before: 'Office 365 E3', after: 'E3 HQ' },
    ]);
  });

  it('rejects bad updates with codes (table)', async () => {
    const cases: [string, string, object, number, number][] = [
      ['unknown subscription', '00000000-0000-4000-8000-000000000000', { status: 'suspended' }, 404, 20003],
      ['quantity above the offer maximum', E3_SUB, { quantity: 10_001 }, 400, 2002],
      ['quantity below the minimum', E3_SUB, { quantity: 0 }, 400, 2002],
      ['suspend and resize together', E3_SUB, { status: 'suspended', quantity: 11 }, 400, 2001],
      ['unsupported status', E3_SUB, { status: 'expired' }, 400, 800002],
      ['quantity not a number', E3_SUB, { quantity: '3' }, 400, 800002],
    ];
    for (const [name, sid, body, status, code] of cases) {
      const res = await api(sim.url, 'PATCH', path(sid), { body });
      expect([name, res.status, res.body.code]).toEqual([name, status, code]);
    }
  });

  it('refuses a quantity change on a suspended subscription (800091) and any change on a deleted one (2011)', async () => {
    await api(sim.url, 'PATCH', path(RETIRED), { body: { status: 'suspended' } });
    const resize = await api(sim.url, 'PATCH', path(RETIRED), { body: { quantity: 6 } });
    expect([resize.status, resize.body.code]).toEqual([400, 800091]);
    sim.state.customer(CONTOSO)!.subscriptions.find((s) => s.id === E3_SUB)!.status = 'deleted';
    const deleted = await api(sim.url, 'PATCH', path(E3_SUB), { body: { friendlyName: 'x' } });
    expect([deleted.status, deleted.body.code]).toEqual([400, 2011]);
  });
});
