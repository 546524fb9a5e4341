import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, startSim, type StartedSim } from './helpers/sim.js';

const CONTOSO = '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
const RETIRED_SALES = '0d365000-0000-4000-8000-0000000000a1';
const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const SALES_PRO = 'be9f9771-1c64-4618-9907-244325141096';
const SALES_PRO_OFFER = 'F28514F0-6516-4EF9-8222-1C605A05D245';

let sim: StartedSim;
beforeEach(async () => {
  sim = await startSim({ scenario: 'demo' });
});
afterEach(() => sim.close());

async function skus(): Promise<Record<string, any>> {
  const res = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscribedskus`);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.items.map((s: any) => [s.productSku.id, s]));
}

async function userId(upn: string): Promise<string> {
  const res = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/users?size=100`);
  return res.body.items.find((u: any) => u.userPrincipalName === upn).id;
}

const update = (uid: string, body: unknown) => api(sim.url, 'POST', `/v1/customers/${CONTOSO}/users/${uid}/licenseupdates`, { body });

async function buySalesPro(quantity: number): Promise<void> {
  const res = await api(sim.url, 'POST', `/v1/customers/${CONTOSO}/orders`, {
    body: { lineItems: [{ lineItemNumber: 0, offerId: SALES_PRO_OFFER, quantity }] },
  });
  expect(res.status).toBe(201);
}

describe('simulator licence accounting', () => {
  it('reports units per SKU from subscriptions and holders', async () => {
    const s = await skus();
    expect(s[RETIRED_SALES]).toMatchObject({ totalUnits: 5, activeUnits: 5, consumedUnits: 5, availableUnits: 0, suspendedUnits: 0 });
    expect(s[RETIRED_SALES].productSku).toMatchObject({ skuPartNumber: 'CRMOL_BASIC_QO_SALES', targetType: 'User', licenseGroupId: 'group1' });
    expect(s[E3]).toMatchObject({ totalUnits: 10, consumedUnits: 7, availableUnits: 3, capabilityStatus: 'Enabled' });
    expect(s[SALES_PRO]).toBeUndefined();
  });

  it('refuses an assignment with no free unit: 400 / 60012, nothing changes', async () => {
    const frank = await userId('frank@contoso.onmicrosoft.com');
    const res = await update(frank, { licensesToAssign: [{ skuId: RETIRED_SALES }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 60012, source: 'PartnerFD' });
    expect(res.body.data[0]).toContain(RETIRED_SALES);
    expect((await skus())[RETIRED_SALES].consumedUnits).toBe(5);
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toEqual([]);
  });

  it('assigns and removes in one change, keeping the counts consistent', async () => {
    await buySalesPro(5);
    const alice = await userId('alice@contoso.onmicrosoft.com');
    const res = await update(alice, { LicensesToAssign: [{ SkuId: SALES_PRO }], LicensesToRemove: [RETIRED_SALES] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ licensesToAssign: [{ skuId: SALES_PRO }], licensesToRemove: [RETIRED_SALES], licenseWarnings: [] });
    expect(res.body.attributes.objectType).toBe('LicenseUpdate');
    const s = await skus();
    expect(s[SALES_PRO]).toMatchObject({ totalUnits: 5, consumedUnits: 1, availableUnits: 4 });
    expect(s[RETIRED_SALES]).toMatchObject({ consumedUnits: 4, availableUnits: 1 });
    const lic = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/users/${alice}/licenses`);
    expect(lic.body.items.map((l: any) => l.productSku.id).sort()).toEqual([E3, SALES_PRO].sort());
    const changes = sim.audit.entries.filter((e) => e.type === 'licenses-changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ upn: 'alice@contoso.onmicrosoft.com', before: [RETIRED_SALES, E3], after: [E3, SALES_PRO] });
  });

  it('is atomic: a failing assign in the same request leaves the removal undone', async () => {
    await buySalesPro(1);
    const [alice, bob] = [await userId('alice@contoso.onmicrosoft.com'), await userId('bob@contoso.onmicrosoft.com')];
    expect((await update(alice, { licensesToAssign: [{ skuId: SALES_PRO }], licensesToRemove: [RETIRED_SALES] })).status).toBe(201);
    const res = await update(bob, { licensesToAssign: [{ skuId: SALES_PRO }], licensesToRemove: [RETIRED_SALES] });
    expect([res.status, res.body.code]).toEqual([400, 60012]);
    const s = await skus();
    expect(s[RETIRED_SALES].consumedUnits).toBe(4);
    expect(s[SALES_PRO].consumedUnits).toBe(1);
  });

  it('rejects bad licence updates with codes (table)', async () => {
    const alice = await userId('alice@contoso.onmicrosoft.com');
    const frank = await userId('frank@contoso.onmicrosoft.com');
    const cases: [string, string, unknown, number, number][] = [
      ['unknown user', '00000000-0000-4000-8000-000000000000', { licensesToAssign: [{ skuId: E3 }] }, 404, 60002],
      ['unknown SKU', alice, { licensesToAssign: [{ skuId: '99999999-0000-4000-8000-000000000000' }] }, 400, 60000],
      ['remove a SKU not held', frank, { licensesToRemove: [RETIRED_SALES] }, 400, 60000],
      ['same SKU both ways', alice, { licensesToAssign: [{ skuId: E3 }], licensesToRemove: [E3] }, 400, 60000],
      ['nothing to do', alice, { licensesToAssign: [], licensesToRemove: [] }, 400, 800002],
      ['skuId missing', alice, { licensesToAssign: [{}] }, 400, 800002],
      ['body not an object', alice, [1, 2], 400, 800002],
    ];
    for (const [name, uid, body, status, code] of cases) {
      const res = await update(uid, body);
      expect([name, res.status, res.body.code]).toEqual([name, status, code]);
    }
    const unknownLic = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/users/nobody/licenses`);
    expect([unknownLic.status, unknownLic.body.code]).toEqual([404, 60002]);
    expect((await skus())[E3].consumedUnits).toBe(7);
  });

  it('counts suspended units apart and records consumed units when suspending', async () => {
    const sub = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions/A1B2C3D4-0000-4000-8000-000000000101`);
    const res = await api(sim.url, 'PATCH', `/v1/customers/${CONTOSO}/subscriptions/A1B2C3D4-0000-4000-8000-000000000101`, {
      body: { ...sub.body, status: 'suspended' },
    });
    expect(res.status).toBe(200);
    expect((await skus())[RETIRED_SALES]).toMatchObject({ totalUnits: 0, suspendedUnits: 5, consumedUnits: 5, availableUnits: -5 });
    const change = sim.audit.entries.find((e) => e.type === 'subscription-changed');
    expect(change).toMatchObject({ field: 'status', before: 'active', after: 'suspended', skuId: RETIRED_SALES, consumedUnits: 5 });
  });
});
