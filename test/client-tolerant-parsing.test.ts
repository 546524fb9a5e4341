import { afterEach, describe, expect, it } from 'vitest';
import { decode, decodeCollection, normaliseDate, oddValues, WireShapeError } from '../src/partner-center/decode.js';
import { ApiError } from '../src/partner-center/errors.js';
import { parseBody } from '../src/partner-center/parse.js';
import type { WireSubscription } from '../src/partner-center/wire.js';
import { realClient, rejection } from './helpers/client.js';
import { CONTOSO } from './helpers/demo.js';
import { startSim, type StartedSim } from './helpers/sim.js';

const OLD_SUB = 'A1B2C3D4-0000-4000-8000-000000000101';
const E3_SUB = 'A1B2C3D4-0000-4000-8000-000000000102';

describe('tolerant parsing of replies', () => {
  it('drops a UTF-8 BOM and brings PascalCase property names to lowerCamel case at every level', () => {
    const text = '\uFEFF{"Id":"S1","OfferId":"O1","Quantity":5,"Attributes":{"Etag":"e1","ObjectType":"Subscription"},"Links":{"Next":{"Uri":"/x","Headers":[{"Key":"MS-ContinuationToken","Value":"t"}]}}}';
    expect(parseBody(text)).toEqual({
      id: 'S1',
      offerId: 'O1',
      quantity: 5,
      attributes: { etag: 'e1', objectType: 'Subscription' },
      links: { next: { uri: '/x', headers: [{ key: 'MS-ContinuationToken', value: 't' }] } },
    });
  });

  it('ignores unknown fields, treats null as absent, coerces numbers and booleans sent as strings', () => {
    const sub = decode<WireSubscription>('subscription', {
      id: 'S1',
      offerId: 'O1',
      quantity: '7',
      autoRenewEnabled: 'false',
      friendlyName: null,
      brandNewField: { nested: [1, 2] },
    });
    expect(sub).toMatchObject({ id: 'S1', offerId: 'O1', quantity: 7, autoRenewEnabled: false, brandNewField: { nested: [1, 2] } });
    expect('friendlyName' in sub).toBe(false);
  });

  it('reads dates with Z, +00:00, other offsets and no offset as the same UTC instant', () => {
    expect(normaliseDate('2027-01-31T00:00:00Z')).toBe('2027-01-31T00:00:00Z');
    expect(normaliseDate('2027-01-31T00:00:00+00:00')).toBe('2027-01-31T00:00:00Z');
    expect(normaliseDate('2027-01-31T02:00:00+02:00')).toBe('2027-01-31T00:00:00Z');
    expect(normaliseDate('2027-01-31T00:00:00')).toBe('2027-01-31T00:00:00Z');
    expect(normaliseDate('2016-05-10T07:30:05.427Z')).toBe('2016-05-10T07:30:05.427Z');
    const sub = decode<WireSubscription>('subscription', { id: 'S', offerId: 'O', commitmentEndDate: '2027-01-31T00:00:00+00:00' });
    expect(sub.commitmentEndDate).toBe('2027-01-31T00:00:00Z');
  });

  it('keeps unknown enum values as sent and lists them (and unreadable dates) as odd values', () => {
    const sub = decode<WireSubscription>('subscription', { id: 'S', offerId: 'O', status: 'transitioning', billingCycle: 'One_Time', commitmentEndDate: 'soon' });
    expect(sub.status).toBe('transitioning');
    expect(oddValues('subscription', sub)).toEqual([
      { field: 'status', value: 'transitioning', why: 'unknown-value' },
      { field: 'commitmentEndDate', value: 'soon', why: 'unreadable-date' },
    ]);
    expect(oddValues('user', { id: 'u', state: 'Active', userDomainType: 'managed' })).toEqual([]);
  });

  it('refuses a reply that does not have the documented shape, naming the field', () => {
    const bad: [Parameters<typeof decode>[0], unknown, string][] = [
      ['subscription', { offerId: 'O' }, "/ must have required property 'id'"],
      ['subscription', { id: 'S', offerId: 'O', quantity: 'many' }, '/quantity must be integer'],
      ['user', { id: ['u'] }, '/id must be string'],
    ];
    for (const [kind, body, problem] of bad) {
      let err: unknown;
      try {
        decode(kind, body);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WireShapeError);
      expect((err as WireShapeError).problems).toContain(problem);
    }
    expect(() => decodeCollection('license', { items: [{}, { productSku: 'not an object' }] })).toThrow('/items/1/productSku must be object');
  });
});

describe('the real client against reshaped simulator replies', () => {
  let sim: StartedSim;
  afterEach(() => sim?.close());

  it('reads BOM-prefixed PascalCase replies with +00:00 dates and extra fields as the documented shape', async () => {
    sim = await startSim({ scenario: 'demo', options: { replies: { bom: true, pascalCase: 'all', offsetDates: true, extraFields: { newInV2: true } } } });
    const { client } = realClient(sim.url);
    const subs = await client.listSubscriptions(CONTOSO);
    const old = subs.find((s) => s.id === OLD_SUB)!;
    expect(old).toMatchObject({ offerId: '0D365000-0000-4000-8000-00000000C001', quantity: 5, status: 'active', commitmentEndDate: '2027-01-31T00:00:00Z' });
    expect(old.attributes?.etag).toBeTruthy();
    const patched = await client.patchSubscription(CONTOSO, E3_SUB, { quantity: 12 }, subs.find((s) => s.id === E3_SUB)!.attributes?.etag);
    expect(patched.accepted ? undefined : patched.subscription.quantity).toBe(12);
    const users = await client.listUsers(CONTOSO);
    expect(users.map((u) => u.userPrincipalName)).toContain('alice@contoso.onmicrosoft.com');
  });

  it('reads the PascalCase reply of a suspend PATCH', async () => {
    sim = await startSim({ scenario: 'demo', options: { replies: { pascalCase: 'patch' } } });
    const { client } = realClient(sim.url);
    const reply = await client.patchSubscription(CONTOSO, E3_SUB, { status: 'suspended' });
    const suspended = reply.accepted ? undefined : reply.subscription;
    expect([suspended?.id, suspended?.status]).toEqual([E3_SUB, 'suspended']);
  });

  it('turns a reply of the wrong shape into a terminal ApiError with the request id', async () => {
    sim = await startSim({ scenario: 'demo', options: { replies: { extraFields: { quantity: 'lots' } } } });
    const { client } = realClient(sim.url);
    const err = await rejection<ApiError>(client.getSubscription(CONTOSO, E3_SUB));
    expect([err.kind, err.failure]).toEqual(['bad-response', 'terminal']);
    expect(err.userMessage).toMatch(
      /^GET \/v1\/customers\/.+\/subscriptions\/.+: Partner Center sent a subscription pcsync cannot read: \/quantity must be integer — a pcsync bug: quote request id [0-9a-f-]{36} when reporting this/,
    );
  });
});
