import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startSim, type StartedSim } from './helpers/sim.js';

const FABRIKAM = '3c9d7e21-5a4b-4c3d-8e2f-1a0b9c8d7e6f';
const CEP_OFFER = 'BB30B486-53BE-4ECF-BB85-6F50979F0579';
const CEP_SKU = 'ea126fc5-a19e-42e2-a731-da9d437bffcf';
const DELAY = 400;

describe('simulator provisioning delay', () => {
  let sim: StartedSim;
  beforeAll(async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: DELAY } });
  });
  afterAll(() => sim.close());

  it('hides a new subscription (404 / 20000, not listed, no units) until the delay has passed', async () => {
    const ordered = await api(sim.url, 'POST', `/v1/customers/${FABRIKAM}/orders`, {
      body: { lineItems: [{ lineItemNumber: 0, offerId: CEP_OFFER, quantity: 3 }] },
    });
    expect(ordered.status).toBe(201);
    const sid = ordered.body.lineItems[0].subscriptionId;
    const started = Date.now();

    const early = await api(sim.url, 'GET', `/v1/customers/${FABRIKAM}/subscriptions/${sid}`);
    expect([early.status, early.body.code]).toEqual([404, 20000]);
    const list = await api(sim.url, 'GET', `/v1/customers/${FABRIKAM}/subscriptions`);
    expect(list.body.items.map((s: any) => s.id)).not.toContain(sid);
    const skus = await api(sim.url, 'GET', `/v1/customers/${FABRIKAM}/subscribedskus`);
    expect(skus.body.items.map((s: any) => s.productSku.id)).not.toContain(CEP_SKU);
    expect(Date.now() - started).toBeLessThan(DELAY);

    await new Promise((r) => setTimeout(r, DELAY + 50));
    const late = await api(sim.url, 'GET', `/v1/customers/${FABRIKAM}/subscriptions/${sid}`);
    expect(late.status).toBe(200);
    const after = await api(sim.url, 'GET', `/v1/customers/${FABRIKAM}/subscribedskus`);
    expect(after.body.items.find((s: any) => s.productSku.id === CEP_SKU)).toMatchObject({ totalUnits: 3, availableUnits: 3 });
  });
});
