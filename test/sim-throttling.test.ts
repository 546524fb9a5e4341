import { afterEach, describe, expect, it } from 'vitest';
import type { ThrottledEntry } from '../src/sim/audit.js';
import { TokenBucket } from '../src/sim/behaviours/throttle.js';
import { requestsBeforeRetryAfter } from '../src/sim/invariants.js';
import { CONTOSO, FABRIKAM } from './helpers/demo.js';
import { api, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim;
afterEach(() => sim?.close());

/** On the documented throttled list (orders of a customer). */
const LISTED = `/v1/customers/${CONTOSO}/orders`;

/**
 * The buckets' clock, moved only by the test: which request is refused depends on their order, never on how
 * fast a loaded machine sends them (a real second passing between two requests would refill the bucket).
 */
let now = 0;
const clock = () => now;
afterEach(() => {
  now = 0;
});

const throttledEntries = () => sim.audit.entries.filter((e): e is ThrottledEntry => e.type === 'throttled');

describe('simulator throttling (token buckets, 429 + Retry-After)', () => {
  it('lets a burst through, then answers 429 with Retry-After and {statusCode, message}, and records it', async () => {
    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 60, burst: 2, clock } } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api(sim.url, 'GET', LISTED, { headers: { 'MS-RequestId': `r${i}` } })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const res = await api(sim.url, 'GET', LISTED, { headers: { 'MS-RequestId': 'r3' } });
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' });
    expect(res.headers.get('retry-after')).toBe('1');
    expect(throttledEntries().map((e) => [e.requestId, e.scope, e.retryAfterMs])).toEqual([
      ['r2', 'partner', 1000],
      ['r3', 'partner', 1000],
    ]);
    expect(sim.audit.requests().map((e) => e.status)).toEqual([200, 200, 429, 429]);
  });

  it('keeps one bucket per customer: a busy customer is refused while another goes on', async () => {
    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 6000, customerPerMinute: 60, customerBurst: 1, clock } } });
    const contoso = [];
    for (let i = 0; i < 2; i++) contoso.push((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}`)).status);
    const fabrikam = (await api(sim.url, 'GET', `/v1/customers/${FABRIKAM}`)).status;
    expect([...contoso, fabrikam]).toEqual([200, 429, 200]);
    expect(throttledEntries()).toMatchObject([{ scope: 'customer', customerId: CONTOSO }]);
  });

  it('sends Retry-After with millisecond precision or as an HTTP date, never shorter than the bucket needs', async () => {
    // one token per 500 ms (60/minute, twice as fast): the second request finds the bucket empty
    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 60, burst: 1, timeScale: 2, retryAfter: 'fractional', clock } } });
    await api(sim.url, 'GET', LISTED);
    const fractional = await api(sim.url, 'GET', LISTED);
    expect(fractional.headers.get('retry-after')).toMatch(/^0\.[0-5]\d\d$/);
    await sim.close();

    now = Date.parse('2026-12-05T10:00:00.250Z');
    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 60, burst: 1, retryAfter: 'http-date', clock } } });
    await api(sim.url, 'GET', LISTED);
    const before = now;
    now += 100;
    const dated = await api(sim.url, 'GET', LISTED);
    const at = Date.parse(dated.headers.get('retry-after')!);
    expect(at).toBeGreaterThan(before);
    expect(at % 1000).toBe(0);
    // the token is back 1 s after the first request (10:00:01.250): rounded up to the next whole second
    expect(at).toBe(Date.parse('2026-12-05T10:00:02Z'));
    expect(throttledEntries()[0]!.retryAfterMs).toBeGreaterThanOrEqual(at - now);
  });

  it('refills with the time scale: a request after the Retry-After is served', async () => {
    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 60, burst: 1, timeScale: 5, retryAfter: 'fractional', clock } } });
    const ids = ['a', 'b', 'c'];
    const first = await Promise.all(ids.map((id) => api(sim.url, 'GET', LISTED, { headers: { 'MS-RequestId': id } })));
    const refusedAt = first.findIndex((r) => r.status === 429);
    expect(refusedAt).toBeGreaterThanOrEqual(0);
    const refused = first[refusedAt]!;
    const waitMs = Number(refused.headers.get('retry-after')) * 1000;
    // one token per 200 ms at ×5: after exactly the wait it asked for (on the buckets' clock) one is there again
    expect(waitMs).toBe(200);
    now += waitMs;
    // and in real time too, for the audit's check that no retry came early (a few ms more: timers may fire early)
    await new Promise((r) => setTimeout(r, waitMs + 5));
    const served = await api(sim.url, 'GET', LISTED, { headers: { 'MS-RequestId': ids[refusedAt]! } });
    expect(served.status).toBe(200);
    expect(requestsBeforeRetryAfter(sim.audit.entries)).toEqual([]);
  });

  it('a token bucket holds at most its capacity and refills continuously', () => {
    const b = new TokenBucket(2, 0.01, 0);
    expect(b.waitMs(0)).toBe(0);
    b.take(0);
    b.take(0);
    expect(b.waitMs(0)).toBeCloseTo(100);
    expect(b.waitMs(50)).toBeCloseTo(50);
    expect(b.waitMs(100)).toBe(0);
    expect(b.waitMs(10_000)).toBe(0);
    b.take(10_000);
    b.take(10_000);
    expect(b.waitMs(10_000)).toBeGreaterThan(0);
  });

  it('a full bucket asked with a time read before it was made still has its token (the clock never takes one away)', () => {
    const b = new TokenBucket(1, 0.001, 1_000);
    expect(b.waitMs(999)).toBe(0);
    b.take(999);
    expect(b.waitMs(999)).toBeGreaterThan(0);
  });

  it('throttles only the documented list; other APIs pass unless a hidden limit is set on them', async () => {
    const other = `/v1/customers/${CONTOSO}/users?size=10`;
    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 60, burst: 1, clock } } });
    const listed = [];
    for (let i = 0; i < 2; i++) listed.push((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions`)).status);
    const unlisted = [];
    for (let i = 0; i < 5; i++) unlisted.push((await api(sim.url, 'GET', i % 2 ? other : '/v1/offers?country=US')).status);
    expect([listed, unlisted]).toEqual([[200, 429], [200, 200, 200, 200, 200]]);
    await sim.close();

    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 6000, otherPerMinute: 60, otherBurst: 2, clock } } });
    const hidden = [];
    for (let i = 0; i < 3; i++) hidden.push((await api(sim.url, 'GET', other)).status);
    const documented = (await api(sim.url, 'GET', `/v1/customers/${CONTOSO}`)).status;
    expect([...hidden, documented]).toEqual([200, 200, 429, 200]);
    expect(throttledEntries().map((e) => e.scope)).toEqual(['other']);
    await sim.close();

    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 60, burst: 1, classes: 'all', clock } } });
    const all = [];
    for (let i = 0; i < 2; i++) all.push((await api(sim.url, 'GET', '/v1/offers?country=US')).status);
    expect(all).toEqual([200, 429]);
  });

  it('refuses nonsensical throttle options before listening', async () => {
    await expect(startSim({ scenario: 'demo', options: { throttle: { perMinute: 0 } } })).rejects.toThrow('throttle.perMinute must be a number > 0');
  });
});
