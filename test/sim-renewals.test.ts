import { afterEach, describe, expect, it } from 'vitest';
import { api, startSim, type StartedSim } from './helpers/sim.js';
import { RENEWAL_CUSTOMERS as C, RENEWAL_SUBSCRIPTIONS as S, UNPRICED } from '../src/sim/scenarios/renewals.js';
import { NCE } from '../src/sim/scenarios/new-commerce.js';
import { SKU } from '../src/sim/scenarios/catalog.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const path = (cid: string, sid: string) => `/v1/customers/${cid}/subscriptions/${sid}`;
const instructions = (productSku: string, quantity: number, more: Record<string, unknown> = {}) => {
  const [productId, skuId] = productSku.split(':');
  return { product: { productId, skuId, availabilityId: 'AV0001', billingCycle: 'monthly', termDuration: 'P1Y', ...more }, quantity };
};
/** The documented form: GET, set the field, PATCH the whole resource back. */
async function schedule(cid: string, sid: string, next: unknown, change: Record<string, unknown> = {}) {
  const current = (await api(sim.url, 'GET', path(cid, sid))).body;
  delete current.links;
  return api(sim.url, 'PATCH', path(cid, sid), { body: { ...current, scheduledNextTermInstructions: next, ...change } });
}
const DAY = 86_400_000;

describe('simulator: scheduled next-term instructions and the renewal on its clock', () => {
  it('keeps the instructions until the renewal, then renews into them: 31 seats, billed for 31', async () => {
    sim = await startSim({ scenario: 'renewals', options: { renewals: true } });
    const set = await schedule(C.rightSize, S.rightSize, instructions(NCE.e3Offer, 31));
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.quantity).toBe(40); // nothing changes mid-term
    expect(set.body.scheduledNextTermInstructions).toEqual(instructions(NCE.e3Offer, 31));
    expect(sim.audit.entries.at(-1)).toMatchObject({ type: 'subscription-changed', field: 'scheduledNextTermInstructions', before: null });
    const before = (await api(sim.url, 'GET', '/_sim/billing')).body;
    expect(before.lines.find((l: { subscriptionId: string }) => l.subscriptionId === S.rightSize)).toMatchObject({ seats: 40, assigned: 31, unassigned: 9, monthlyCost: 920, unassignedMonthlyCost: 207 });

    const end = sim.state.customer(C.rightSize)!.subscriptions[0]!.commitmentEndDate;
    const clock = await api(sim.url, 'POST', `/_sim/clock?to=${encodeURIComponent(new Date(Date.parse(end) + DAY).toISOString())}`, { token: null });
    expect(clock.status).toBe(200);
    const after = (await api(sim.url, 'GET', path(C.rightSize, S.rightSize))).body;
    expect(after).toMatchObject({ quantity: 31, effectiveStartDate: end, termDuration: 'P1Y' });
    expect(after.scheduledNextTermInstructions).toBeUndefined();
    expect(Date.parse(after.commitmentEndDate)).toBeGreaterThan(Date.parse(end) + 364 * DAY);
    expect(Date.parse(after.cancellationAllowedUntilDate)).toBe(Date.parse(end) + 7 * DAY);
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-renewed' && e.subscriptionId === S.rightSize)).toMatchObject([{ before: { quantity: 40 }, after: { quantity: 31 } }]);
    const billing = (await api(sim.url, 'GET', '/_sim/billing')).body;
    expect(billing.lines.find((l: { subscriptionId: string }) => l.subscriptionId === S.rightSize)).toMatchObject({ seats: 31, assigned: 31, unassigned: 0, monthlyCost: 713 });
  });

  it('a SKU change at renewal renews into the new product; the users keep the licence they held', async () => {
    sim = await startSim({ scenario: 'renewals', options: { renewals: true } });
    expect((await schedule(C.reshape, S.reshape, instructions(NCE.salesProOffer, 3))).status).toBe(200);
    await api(sim.url, 'POST', `/_sim/clock?advanceMs=${70 * DAY}`, { token: null });
    const after = (await api(sim.url, 'GET', path(C.reshape, S.reshape))).body;
    expect(after.offerId).toBe(`${NCE.salesProOffer}:AV0001`);
    expect(after.quantity).toBe(3);
    const holders = sim.state.customer(C.reshape)!.users.map((u) => u.licenses);
    expect(holders).toEqual([[NCE.salesEnterpriseSku], [NCE.salesEnterpriseSku], [NCE.salesEnterpriseSku]]);
    const skus = (await api(sim.url, 'GET', `/v1/customers/${C.reshape}/subscribedskus`)).body.items;
    expect(skus.find((s: any) => s.productSku.id === NCE.salesEnterpriseSku)).toMatchObject({ consumedUnits: 3, activeUnits: 0 });
    expect(skus.find((s: any) => s.productSku.id === SKU.salesPro)).toMatchObject({ consumedUnits: 0, activeUnits: 3 });
  });

  it('without option renewals nothing renews; a mid-term quantity change drops the scheduled change', async () => {
    sim = await startSim({ scenario: 'renewals' });
    await schedule(C.rightSize, S.rightSize, instructions(NCE.e3Offer, 31));
    const raised = await api(sim.url, 'PATCH', path(C.rightSize, S.rightSize), { body: { quantity: 41 } });
    expect(raised.status).toBe(200);
    expect(raised.body.scheduledNextTermInstructions).toBeUndefined();
    await api(sim.url, 'POST', `/_sim/clock?advanceMs=${400 * DAY}`, { token: null });
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-renewed')).toEqual([]);
  });

  it('refuses instructions it cannot take, naming the field (table); nothing changes', async () => {
    sim = await startSim({ scenario: 'renewals' });
    const cases: [string, string, string, unknown, Record<string, unknown>, number, number][] = [
      ['a product not for sale', C.rightSize, S.rightSize, instructions('CFQ7TTC0NONE:0001', 31), {}, 400, 400013],
      ['an availability not sold now', C.rightSize, S.rightSize, { ...instructions(NCE.e3Offer, 31), product: { ...instructions(NCE.e3Offer, 31).product, availabilityId: 'AV9999' } }, {}, 400, 400018],
      ['an unknown term', C.rightSize, S.rightSize, instructions(NCE.e3Offer, 31, { termDuration: 'P2Y' }), {}, 400, 800002],
      ['no quantity', C.rightSize, S.rightSize, { product: instructions(NCE.e3Offer, 31).product }, {}, 400, 800002],
      ['a quantity out of range', C.rightSize, S.rightSize, instructions(NCE.e3Offer, 0), {}, 400, 2002],
      ['a legacy subscription', C.mixed, S.mixedLegacyE3, instructions(NCE.e3Offer, 7), {}, 400, 800002],
      ['auto-renew off', C.rightSize, S.rightSize, instructions(NCE.e3Offer, 31), { autoRenewEnabled: false }, 400, 800002],
      ['an undocumented field', C.rightSize, S.rightSize, { ...instructions(NCE.e3Offer, 31), seats: 3 }, {}, 400, 800002],
    ];
    for (const [what, cid, sid, next, change, status, code] of cases) {
      const res = await schedule(cid, sid, next, change);
      expect([what, res.status, res.body?.code]).toEqual([what, status, code]);
    }
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-changed')).toEqual([]);
  });

  it('the billing audit: seats × price per subscription, an unknown price stays unknown (null), totals', async () => {
    sim = await startSim({ scenario: 'renewals' });
    const b = (await api(sim.url, 'GET', '/_sim/billing')).body;
    const mixed = b.lines.filter((l: { customerId: string }) => l.customerId === C.mixed);
    expect(mixed.map((l: any) => [l.subscriptionId, l.seats, l.assigned, l.unassigned, l.unitPrice, l.unassignedMonthlyCost])).toEqual([
      [S.mixedLegacyE3, 10, 7, 3, 23, 69],
      [S.mixedSalesPro, 5, 2, 3, 65, 195],
      [S.mixedUnpriced, 4, 1, 3, null, null],
    ]);
    expect(mixed.find((l: any) => l.offerId.startsWith(UNPRICED.offer))).toBeTruthy();
    expect(b.totals).toMatchObject({ seats: 62, unassignedMonthlyCost: null, monthlyCost: null });
  });
});
