import { afterEach, describe, expect, it } from 'vitest';
import { api, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO } from './helpers/demo.js';
import { OFFER, SKU as ALL_SKUS } from '../src/sim/scenarios/catalog.js';

const SKU = { oldSales: ALL_SKUS.retiredSales, e3: ALL_SKUS.e3 };

let sim: StartedSim;
afterEach(async () => sim?.close());

const RETIRED_SUB = 'A1B2C3D4-0000-4000-8000-000000000101';
const skuIds = async (s: StartedSim) => (await api(s.url, 'GET', `/v1/customers/${CONTOSO}/subscribedskus`)).body.items.map((i: any) => [i.productSku.id, i.consumedUnits]);
const move = (s: StartedSim, upn: string) => {
  const user = s.state.customer(CONTOSO)!.users.find((u) => u.upn === upn)!;
  return api(s.url, 'POST', `/v1/customers/${CONTOSO}/users/${user.id}/licenseupdates`, { body: { licensesToAssign: [{ skuId: SKU.e3 }], licensesToRemove: [SKU.oldSales] } });
};

describe('simulator read gaps (SPEC.md "Read gaps")', () => {
  it('provisioningstatus names the licence SKU of any subscription, retired ones included', async () => {
    sim = await startSim({ scenario: 'demo' });
    const res = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions/${RETIRED_SUB}/provisioningstatus`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ skuId: SKU.oldSales, status: 'success', quantity: 5, attributes: { objectType: 'SubscriptionProvisioningStatus' } });
    expect((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions/NOPE/provisioningstatus`)).body.code).toBe(20003);
  });

  it('switches: omitted SKU, refused market, refused retired offer by id, refused provisioning status', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { omitSkus: [SKU.oldSales], otherCountry: 'refuse', retiredOfferById: 'refuse', provisioningStatus: 'refuse' } } });
    expect((await skuIds(sim)).map((s: string[]) => s[0])).toEqual([SKU.e3]);
    expect((await api(sim.url, 'GET', '/v1/offers?country=GB')).body).toMatchObject({ code: 2030 });
    expect((await api(sim.url, 'GET', '/v1/offers?country=US')).status).toBe(200);
    expect((await api(sim.url, 'GET', `/v1/offers/${OFFER.retiredSales}?country=US`)).body).toMatchObject({ code: 2091 });
    expect((await api(sim.url, 'GET', `/v1/offers/${OFFER.salesPro}?country=US`)).status).toBe(200);
    const status = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions/${RETIRED_SUB}/provisioningstatus`);
    expect([status.status, status.body.code]).toEqual([403, 900150]);
  });

  it('consumedLagReads: a licence change shows in consumedUnits only from the (n+1)-th read after it', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { consumedLagReads: 2 } } });
    expect((await move(sim, 'alice@contoso.onmicrosoft.com')).status).toBe(201);
    const old = async () => (await skuIds(sim)).find((s: [string, number]) => s[0] === SKU.oldSales)?.[1];
    expect([await old(), await old(), await old()]).toEqual([5, 5, 4]);
  });

  it('deletedUsers: never listed, 404 by id, still counted in consumedUnits', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { deletedUsers: ['erin@contoso.onmicrosoft.com'] } } });
    const users = (await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/users`)).body.items.map((u: any) => u.userPrincipalName);
    expect(users).not.toContain('erin@contoso.onmicrosoft.com');
    expect(users).toHaveLength(6);
    expect((await move(sim, 'erin@contoso.onmicrosoft.com')).body.code).toBe(60002);
    expect((await skuIds(sim)).find((s: [string, number]) => s[0] === SKU.oldSales)?.[1]).toBe(5);
  });
});
