import { afterEach, describe, expect, it } from 'vitest';
import { api, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO } from './helpers/demo.js';
import { OFFER } from '../src/sim/scenarios/catalog.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('simulator: foreignOrders', () => {
  it('lists the order at once as pending while its subscription stays invisible, then completed', async () => {
    sim = await startSim({ scenario: 'demo', options: { foreignOrders: [{ customerId: CONTOSO, offerId: OFFER.salesPro, quantity: 4 }] } });
    const orders = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/orders`);
    expect(orders.body.items).toHaveLength(1);
    const order = orders.body.items[0];
    expect(order).toMatchObject({ status: 'pending', lineItems: [{ offerId: OFFER.salesPro, quantity: 4, friendlyName: 'Dynamics 365 for Sales Professional' }] });
    const sid = order.lineItems[0].subscriptionId;
    expect((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions/${sid}`)).body.code).toBe(20000);
    const subs = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions`);
    expect(subs.body.items.map((s: { id: string }) => s.id)).not.toContain(sid);
    expect(sim.audit.entries.filter((e) => e.type === 'order-created')).toEqual([]);

    for (const s of sim.state.customer(CONTOSO)!.subscriptions) s.visibleFrom = 0;
    expect((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/orders/${order.id}`)).body.status).toBe('completed');
    expect((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions/${sid}`)).status).toBe(200);
  });

  it('refuses an entry naming an unknown offer before listening', async () => {
    await expect(startSim({ scenario: 'demo', options: { foreignOrders: [{ customerId: CONTOSO, offerId: 'nope', quantity: 1 }] } })).rejects.toMatchObject({ name: 'UserError' });
  });
});
