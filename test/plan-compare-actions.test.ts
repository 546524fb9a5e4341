import { describe, expect, it } from 'vitest';
import { compareActions } from '../src/plan/index.js';
import type { Action } from '../src/plan/types.js';

const base = { dependsOn: [], reason: 'retired-offer-replaced' as const, reasonText: '', irreversible: false };

function purchase(customerId: string, handle: string): Action {
  return {
    ...base,
    kind: 'purchase',
    id: `${customerId}/purchase/${handle}`,
    customerId,
    handle,
    offerId: 'O',
    offerName: 'O',
    mode: 'new',
    quantity: 1,
    friendlyName: 'f',
    requestId: 'r',
    observed: { quantity: 0 },
    desired: { quantity: 1 },
  };
}
function wait(customerId: string, handle: string): Action {
  return { ...base, kind: 'await-provisioning', id: `${customerId}/await-provisioning/${handle}`, customerId, handle, purchaseActionId: 'p', minAvailableUnits: 1, timeoutSeconds: 1 };
}
function reassign(customerId: string, upn: string, toHandle?: string): Action {
  return { ...base, kind: 'reassign', id: `${customerId}/reassign/${upn}`, customerId, userId: upn, upn, ...(toHandle ? { toHandle } : {}), removeSkuIds: [], observed: { skuIds: [] }, desired: { skuIds: [] } };
}
function suspend(customerId: string, handle: string): Action {
  return { ...base, kind: 'suspend', id: `${customerId}/suspend/${handle}`, customerId, handle, subscriptionId: 's', offerName: 'O', observed: { status: 'active', consumedUnits: 0 }, desired: { status: 'suspended' } };
}

describe('compareActions', () => {
  const expected = [
    purchase('c1', 'a-pro'),
    purchase('c1', 'b-pro'),
    purchase('c2', 'a-pro'),
    wait('c1', 'a-pro'),
    wait('c1', 'b-pro'),
    reassign('c1', 'zed@x', undefined),
    reassign('c1', 'amy@x', 'a-pro'),
    reassign('c1', 'bob@x', 'a-pro'),
    reassign('c1', 'amy@x-2', 'b-pro'),
    suspend('c1', 'a-old'),
    suspend('c1', 'z-old'),
  ];

  it('orders by phase, then customer, then handle, then user', () => {
    const shuffled = [expected[9], expected[6], expected[3], expected[0], expected[10], expected[8], expected[2], expected[5], expected[1], expected[7], expected[4]] as Action[];
    expect([...shuffled].sort(compareActions).map((a) => a.id)).toEqual(expected.map((a) => a.id));
    expect([...shuffled].reverse().sort(compareActions).map((a) => a.id)).toEqual(expected.map((a) => a.id));
  });

  it('phase wins over every other key', () => {
    expect(compareActions(suspend('a', 'a'), purchase('z', 'z'))).toBeGreaterThan(0);
    expect(compareActions(reassign('a', 'a@x', 'a'), wait('z', 'z'))).toBeGreaterThan(0);
    expect(compareActions(wait('a', 'a'), reassign('z', 'z@x', 'z'))).toBeLessThan(0);
  });

  it('is a consistent total order: antisymmetric, zero only for the same id', () => {
    for (const a of expected) {
      for (const b of expected) {
        const ab = compareActions(a, b);
        expect(Math.sign(ab) + Math.sign(compareActions(b, a))).toBe(0);
        expect(ab === 0).toBe(a.id === b.id);
      }
    }
  });

  it('falls back to the id when phase, customer, handle and user tie', () => {
    const one = { ...suspend('c', 'h'), id: 'c/suspend/h/sub-1' };
    const two = { ...suspend('c', 'h'), id: 'c/suspend/h/sub-2' };
    expect([two, one].sort(compareActions).map((a) => a.id)).toEqual(['c/suspend/h/sub-1', 'c/suspend/h/sub-2']);
  });
});
