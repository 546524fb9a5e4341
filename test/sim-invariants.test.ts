import { describe, expect, it } from 'vitest';
import type { AuditEntry, SubscriptionChangedEntry } from '../src/sim/audit.js';
import { ordersPerCustomer, suspendsWithConsumedUnits, usersEverUnlicensed, writeRequests } from '../src/sim/invariants.js';

const OLD = 'old-sku';
const NEW = 'new-sku';
const E3 = 'e3-sku';
let seq = 0;
const base = () => ({ seq: ++seq, at: 0 });
const req = (method: string, path: string): AuditEntry => ({ ...base(), type: 'request', method, path, query: '', status: 200 });
const lic = (upn: string, before: string[], after: string[]): AuditEntry => ({
  ...base(),
  type: 'licenses-changed',
  customerId: 'c1',
  userId: `id-${upn}`,
  upn,
  before,
  after,
});
const order = (customerId: string): AuditEntry => ({ ...base(), type: 'order-created', customerId, orderId: `o${seq}`, lineItems: [] });
const suspend = (consumedUnits: number): SubscriptionChangedEntry => ({
  ...base(),
  type: 'subscription-changed',
  customerId: 'c1',
  subscriptionId: 's1',
  field: 'status',
  before: 'active',
  after: 'suspended',
  skuId: OLD,
  consumedUnits,
});

const clean: AuditEntry[] = [
  req('GET', '/v1/customers'),
  req('POST', '/v1/customers/c1/orders'),
  order('c1'),
  req('POST', '/v1/customers/c1/users/u/licenseupdates'),
  lic('alice', [OLD, E3], [E3, NEW]),
  lic('bob', [], [NEW]),
  req('PATCH', '/v1/customers/c1/subscriptions/s1'),
  suspend(0),
  { ...suspend(0), field: 'quantity', before: 5, after: 4, consumedUnits: 3 },
];

describe('audit invariants', () => {
  it('pass a clean log', () => {
    expect(usersEverUnlicensed(clean)).toEqual([]);
    expect(usersEverUnlicensed(clean, [[OLD, NEW]])).toEqual([]);
    expect(suspendsWithConsumedUnits(clean)).toEqual([]);
    expect(ordersPerCustomer(clean)).toEqual({ c1: 1 });
    expect(writeRequests(clean).map((e) => e.method)).toEqual(['POST', 'POST', 'PATCH']);
  });

  it('find a user left without a licence of a group', () => {
    const bad = [...clean, lic('carol', [OLD, E3], [E3]), lic('dave', [OLD], [OLD.toUpperCase(), NEW])];
    const found = usersEverUnlicensed(bad, [[OLD, NEW]]);
    expect(found).toEqual([{ customerId: 'c1', userId: 'id-carol', upn: 'carol', seq: bad.at(-2)!.seq, lost: [OLD] }]);
    expect(usersEverUnlicensed(bad).map((e) => e.upn)).toEqual(['carol']);
  });

  it('with groups, see a removal split from its assignment as a gap', () => {
    const split = [lic('erin', [OLD], []), lic('erin', [], [NEW])];
    expect(usersEverUnlicensed(split, [[OLD, NEW]]).map((e) => e.upn)).toEqual(['erin']);
    expect(usersEverUnlicensed([lic('erin', [OLD], [OLD, NEW]), lic('erin', [OLD, NEW], [NEW])], [[OLD, NEW]])).toEqual([]);
  });

  it('find suspends while units are consumed, and count orders per customer', () => {
    const bad = [...clean, suspend(2), order('c1'), order('c2')];
    expect(suspendsWithConsumedUnits(bad)).toHaveLength(1);
    expect(suspendsWithConsumedUnits(bad)[0]!.consumedUnits).toBe(2);
    expect(ordersPerCustomer(bad)).toEqual({ c1: 2, c2: 1 });
  });
});
