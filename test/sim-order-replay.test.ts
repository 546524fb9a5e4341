import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ordersPerCustomer } from '../src/sim/invariants.js';
import { api, startSim, type StartedSim } from './helpers/sim.js';

const CONTOSO = '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
const SALES_PRO_OFFER = 'F28514F0-6516-4EF9-8222-1C605A05D245';
const TEAM_MEMBERS_OFFER = 'B2CCB51A-43C2-47D4-92DB-DBF14553A185';
const RETIRED_SALES_OFFER = '0D365000-0000-4000-8000-00000000C001';

let sim: StartedSim;
beforeEach(async () => {
  sim = await startSim({ scenario: 'demo' });
});
afterEach(() => sim.close());

const order = (body: unknown, requestId?: string) =>
  api(sim.url, 'POST', `/v1/customers/${CONTOSO}/orders`, { body, headers: requestId ? { 'MS-RequestId': requestId } : {} });

describe('simulator orders', () => {
  it('creates one subscription per line item and returns the Order', async () => {
    const res = await order({
      lineItems: [
        { lineItemNumber: 1, offerId: TEAM_MEMBERS_OFFER, quantity: 2 },
        { lineItemNumber: 0, offerId: SALES_PRO_OFFER, quantity: 5, friendlyName: 'pcsync:buy-sales-pro' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'completed', referenceCustomerId: CONTOSO, attributes: { objectType: 'Order' } });
    const [first, second] = res.body.lineItems;
    expect(first).toMatchObject({ lineItemNumber: 0, offerId: SALES_PRO_OFFER, quantity: 5, friendlyName: 'pcsync:buy-sales-pro' });
    expect(second).toMatchObject({ lineItemNumber: 1, friendlyName: 'Dynamics 365 Team Members' });
    expect(first.links.subscription.uri).toBe(`/customers/${CONTOSO}/subscriptions/${first.subscriptionId}`);

    const sub = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions/${first.subscriptionId}`);
    expect(sub.body).toMatchObject({ quantity: 5, status: 'active', autoRenewEnabled: true, orderId: res.body.id, friendlyName: 'pcsync:buy-sales-pro' });
    expect(new Date(sub.body.commitmentEndDate).getUTCFullYear()).toBe(new Date(sub.body.creationDate).getUTCFullYear() + 1);
    const byOrder = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions?order_id=${res.body.id}`);
    expect(byOrder.body.items.map((s: any) => s.id).sort()).toEqual([first.subscriptionId, second.subscriptionId].sort());
    const got = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/orders/${res.body.id}`);
    expect(got.body.id).toBe(res.body.id);
    expect((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/orders`)).body.totalCount).toBe(1);
  });

  it('replays the stored response for the same MS-RequestId and creates nothing more', async () => {
    const body = { lineItems: [{ lineItemNumber: 0, offerId: SALES_PRO_OFFER, quantity: 5 }] };
    const a = await order(body, 'req-1');
    const b = await order(body, 'req-1');
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1 });
    const subs = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions`);
    expect(subs.body.totalCount).toBe(3);
    const c = await order(body, 'req-2');
    expect(c.body.id).not.toBe(a.body.id);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 2 });
  });

  it('rejects bad orders with codes and creates nothing (table)', async () => {
    const line = (o: object) => ({ lineItemNumber: 0, offerId: SALES_PRO_OFFER, quantity: 1, ...o });
    const cases: [string, unknown, number, number][] = [
      ['lineItemNumber out of range', { lineItems: [line({ lineItemNumber: 1 })] }, 400, 800071],
      ['lineItemNumber duplicate', { lineItems: [line({}), line({})] }, 400, 800071],
      ['lineItemNumber missing', { lineItems: [{ offerId: SALES_PRO_OFFER, quantity: 1 }] }, 400, 800071],
      ['unknown offer', { lineItems: [line({ offerId: 'NOPE' })] }, 400, 800004],
      ['retired offer', { lineItems: [line({ offerId: RETIRED_SALES_OFFER })] }, 403, 2091],
      ['quantity zero', { lineItems: [line({ quantity: 0 })] }, 400, 2002],
      ['quantity not a number', { lineItems: [line({ quantity: 'five' })] }, 400, 800002],
      ['no line items', { lineItems: [] }, 400, 800002],
      ['second item bad', { lineItems: [line({}), line({ lineItemNumber: 1, offerId: RETIRED_SALES_OFFER })] }, 403, 2091],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await order(body);
      expect([name, res.status, res.body.code]).toEqual([name, status, code]);
    }
    const bad = await api(sim.url, 'POST', `/v1/customers/${CONTOSO}/orders`, { rawBody: '{not json', headers: { 'Content-Type': 'application/json' } });
    expect([bad.status, bad.body.code]).toEqual([400, 800002]);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({});
    expect((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions`)).body.totalCount).toBe(2);
  });

  it('answers 404 / 20000 for an unknown order', async () => {
    const res = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/orders/unknown-order`);
    expect([res.status, res.body.code]).toEqual([404, 20000]);
  });
});
