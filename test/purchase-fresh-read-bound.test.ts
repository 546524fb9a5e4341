import { describe, expect, it } from 'vitest';
import { purchase } from '../src/apply/actions.js';
import { CustomerRunState, type ExecutorDeps } from '../src/apply/context.js';
import { FreshReads } from '../src/partner-center/fresh-reads.js';
import type { PurchaseAction } from '../src/plan/types.js';
import type { WireOrder, WireSubscription } from '../src/partner-center/wire.js';

/**
 * Issue 24: a purchase checks for a foreign pending order in the orders list this run read moments earlier, but
 * never in one older than PCSYNC_FRESH_READ_MS — on a fake clock, with a fake client that counts its calls.
 */
const OFFER = 'C8F3A1B2-0000-4000-8000-000000000001';
const C = 'c1';

const action: PurchaseAction = {
  id: `${C}/purchase/new`,
  customerId: C,
  dependsOn: [],
  reason: 'retired-offer-replaced',
  reasonText: 'test',
  irreversible: true,
  kind: 'purchase',
  handle: 'new',
  offerId: OFFER,
  offerName: 'Sales Pro',
  mode: 'new',
  quantity: 3,
  friendlyName: 'pcsync c1/purchase/new',
  requestId: 'rid',
  observed: { quantity: 0 },
  desired: { quantity: 3 },
};

const foreign: WireOrder = { id: 'foreign-1', status: 'pending', creationDate: new Date().toISOString(), lineItems: [{ lineItemNumber: 0, offerId: OFFER, quantity: 5, friendlyName: 'by hand' }] } as WireOrder;

function setUp(maxAgeMs: number) {
  let now = 0;
  const fresh = new FreshReads(maxAgeMs, () => now);
  const calls: string[] = [];
  let liveOrders: WireOrder[] = [];
  const client = {
    fresh,
    listOrders: async () => {
      calls.push('orders.list');
      fresh.recordOrders(C, liveOrders);
      return liveOrders;
    },
    listSubscriptions: async () => {
      calls.push('subscriptions.list');
      return [] as WireSubscription[];
    },
    createOrder: async () => {
      calls.push('order.create');
      return { id: 'ours', lineItems: [{ lineItemNumber: 0, subscriptionId: 'sub-new' }] } as WireOrder;
    },
  } as unknown as ExecutorDeps['client'];
  const deps = { client, now: () => now, sleep: async () => undefined, userConcurrency: 1, pollMs: 1, maxPollMs: 1, stopping: () => false } as ExecutorDeps;
  return {
    deps,
    calls,
    advance: (ms: number) => (now += ms),
    placeForeign: () => (liveOrders = [foreign]),
    readEarlier: () => {
      fresh.recordSubscriptions(C, []);
      fresh.recordOrders(C, liveOrders);
    },
  };
}

describe('a purchase relies on no read older than PCSYNC_FRESH_READ_MS', () => {
  it('reuses the orders list read moments earlier in the run: no re-read before ordering', async () => {
    const t = setUp(60_000);
    t.readEarlier();
    t.advance(59_000);
    const r = await purchase(action, t.deps, new CustomerRunState());
    expect(r.outcome).toBe('applied');
    expect(t.calls).toEqual(['order.create']);
  });

  it('reads the orders again when the list is older than the bound, and a foreign order placed since stops the purchase', async () => {
    const t = setUp(60_000);
    t.readEarlier();
    t.placeForeign();
    t.advance(60_001);
    const r = await purchase(action, t.deps, new CustomerRunState());
    expect(t.calls).toEqual(['orders.list']);
    expect(r.outcome).toBe('failed-terminal');
    expect(r.message).toMatch(/order foreign-1 for "Sales Pro" is not provisioned yet and was not placed by this plan/);
  });

  it('with the bound 0 it always reads again', async () => {
    const t = setUp(0);
    t.readEarlier();
    t.placeForeign();
    const r = await purchase(action, t.deps, new CustomerRunState());
    expect(t.calls).toEqual(['orders.list']);
    expect(r.outcome).toBe('failed-terminal');
  });

  it('without any subscriptions list of this run it lists them too (which lines are pending depends on it)', async () => {
    const t = setUp(60_000);
    const r = await purchase(action, t.deps, new CustomerRunState());
    expect(t.calls.sort()).toEqual(['order.create', 'orders.list', 'subscriptions.list']);
    expect(r.outcome).toBe('applied');
  });

  it('our own order makes the lists stale at once; lists older than the bound are dropped', () => {
    let now = 0;
    const fresh = new FreshReads(1000, () => now);
    fresh.recordOrders('a', []);
    fresh.recordSubscriptions('a', [{ id: 'S1' } as WireSubscription]);
    expect(fresh.orders('A')).toEqual([]);
    expect(fresh.subscription('a', 's1')).toEqual({ id: 'S1' });
    fresh.forget('a');
    expect(fresh.orders('a')).toBeUndefined();
    expect(fresh.subscriptionIds('a')).toEqual(new Set(['s1']));
    fresh.recordOrders('b', []);
    now = 1001;
    expect(fresh.orders('b')).toBeUndefined();
  });
});
