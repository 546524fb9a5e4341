import { describe, expect, it } from 'vitest';
import { AdaptiveBucket, BACK_OFF, CEILING_SHARE, GROWTH, RECOVERY_REPLIES, SLOW_START_GROWTH } from '../src/partner-center/adaptive-bucket.js';
import { ApiError } from '../src/partner-center/errors.js';
import { apiClassOf } from '../src/partner-center/api-classes.js';
import { RateLimiter } from '../src/partner-center/limiter.js';
import { throttleClassOf } from '../src/sim/behaviours/throttle-classes.js';

const C = '/v1/customers/0f1e2d3c-aaaa-bbbb-cccc-000000000001';

/** Every request pcsync sends, with the class the throttling guidance puts it in. */
const REQUESTS: [method: string, path: string, cls: 'documented' | 'adaptive'][] = [
  ['GET', C, 'documented'],
  ['GET', `${C}/subscriptions`, 'documented'],
  ['GET', `${C}/subscriptions/abc`, 'documented'],
  ['PATCH', `${C}/subscriptions/abc`, 'documented'],
  ['GET', `${C}/subscriptions/abc/provisioningstatus`, 'documented'],
  ['GET', `${C}/orders`, 'documented'],
  ['POST', `${C}/orders`, 'documented'],
  ['POST', `${C}/carts/x/checkout`, 'documented'],
  ['GET', '/v1/productUpgrades/x/status', 'documented'],
  ['GET', `${C}/users?size=100`, 'adaptive'],
  ['GET', `${C}/users/u1/licenses`, 'adaptive'],
  ['POST', `${C}/users/u1/licenseupdates`, 'adaptive'],
  ['GET', `${C}/subscribedskus`, 'adaptive'],
  ['GET', '/v1/customers?size=500', 'adaptive'],
  ['GET', '/v1/offers?country=US&offset=0&size=500', 'adaptive'],
  ['GET', '/v1/offers/abc?country=US', 'adaptive'],
];

describe('API classes (one table) and the adaptive limiter', () => {
  it('puts the documented throttled list in one class and everything else in the adaptive one, as the simulator does', () => {
    for (const [method, path, cls] of REQUESTS) {
      expect([method, path, apiClassOf(method, path)]).toEqual([method, path, cls]);
      expect(throttleClassOf(method, path)).toBe(cls === 'documented' ? 'documented' : 'other');
    }
    expect(new RateLimiter({ perMinute: 500, customerPerMinute: 500, classes: 'single' }).classOf({ method: 'GET', path: `${C}/users` })).toBe('documented');
  });

  it('grows while no 429 comes back, up to its maximum: fast before the first 429 (slow start)', () => {
    const b = new AdaptiveBucket({ startPerMinute: 1000, maxPerMinute: 8000 });
    b.succeeded();
    expect(b.perMinute).toBeCloseTo(1000 * (1 + SLOW_START_GROWTH));
    // 8× the start within a few hundred replies (log 8 / log 1.01 ≈ 209), not thousands
    for (let i = 0; i < 210; i++) b.succeeded();
    expect(b.perMinute).toBe(8000);
  });

  it('after a 429 the growth above the learned ceiling is the slow probe, not slow start', () => {
    let now = 0;
    const b = new AdaptiveBucket({ startPerMinute: 1000, maxPerMinute: 8000 }, () => now);
    for (let i = 0; i < 70; i++) b.succeeded();
    const at429 = b.perMinute;
    b.throttled(100);
    now = 200;
    // back at the ceiling within RECOVERY_REPLIES (+1 for rounding in the additive steps)
    for (let i = 0; i <= RECOVERY_REPLIES; i++) b.succeeded();
    expect(b.perMinute).toBeCloseTo(at429 * CEILING_SHARE, 6);
    b.succeeded();
    expect(b.perMinute / (at429 * CEILING_SHARE)).toBeCloseTo(1 + GROWTH, 9);
  });

  it('backs off once per episode: 429s arriving during the Retry-After do not halve the rate again', () => {
    let now = 0;
    const b = new AdaptiveBucket({ startPerMinute: 1000, maxPerMinute: 1000 }, () => now);
    b.throttled(2000);
    expect(b.perMinute).toBe(1000 * BACK_OFF);
    now = 500;
    b.throttled(2000);
    expect(b.perMinute).toBe(1000 * BACK_OFF);
    now = 3000;
    b.throttled(1000);
    expect(b.perMinute).toBe(1000 * BACK_OFF * BACK_OFF);
    expect(b.stats).toEqual({ throttled: 3, backOffs: 2 });
  });

  it('recovers additively to the ceiling a 429 taught, in RECOVERY_REPLIES replies, then probes slowly', () => {
    let now = 0;
    const b = new AdaptiveBucket({ startPerMinute: 1000, maxPerMinute: 4000 }, () => now);
    b.throttled(100);
    expect(b.perMinute).toBe(1000 * BACK_OFF);
    now = 200;
    for (let i = 0; i < RECOVERY_REPLIES - 1; i++) b.succeeded();
    expect(b.perMinute).toBeLessThan(1000 * CEILING_SHARE);
    b.succeeded();
    expect(b.perMinute).toBeCloseTo(1000 * CEILING_SHARE);
    b.succeeded();
    expect(b.perMinute).toBeCloseTo(1000 * CEILING_SHARE * (1 + GROWTH));
  });

  it('a 429 of the documented class shows the other APIs share its budget: from then on both classes take turns in one bucket', async () => {
    const limiter = new RateLimiter({ perMinute: 600_000, customerPerMinute: 0, adaptivePerMinute: 1_200_000, adaptiveMaxPerMinute: 2_400_000 });
    expect(limiter.shared).toBe(false);
    // a 429 of the adaptive class alone (a hidden budget of its own) slows that class only
    const tooMany = (path: string) => new ApiError('GET', path, 429, undefined, 'Rate limit is exceeded', 'transient', 'r', 1);
    await limiter.schedule({ method: 'GET', path: `${C}/users` }, () => Promise.reject(tooMany(`${C}/users`))).catch(() => undefined);
    expect(limiter.shared).toBe(false);
    expect(limiter.rates()).toEqual({ documented: 600_000, adaptive: 1_200_000 * BACK_OFF });
    await limiter.schedule({ method: 'GET', path: `${C}/orders` }, () => Promise.reject(tooMany(`${C}/orders`))).catch(() => undefined);
    expect(limiter.shared).toBe(true);
    // the 429 is blamed on the other class's requests: the documented rate is kept, and the adaptive class uses it
    expect(limiter.rates()).toEqual({ documented: 600_000, adaptive: 600_000 });
    expect(limiter.load()).toMatchObject({ throttled: 2 });
    // the single-class limiter (everything documented already) never switches
    const single = new RateLimiter({ perMinute: 600_000, customerPerMinute: 0, adaptivePerMinute: 1_200_000, classes: 'single' });
    await single.schedule({ method: 'GET', path: `${C}/orders` }, () => Promise.reject(tooMany(`${C}/orders`))).catch(() => undefined);
    expect(single.shared).toBe(false);
  });

  it('every queued request of the class waits out the Retry-After, not only the one that got it', async () => {
    const b = new AdaptiveBucket({ startPerMinute: 60_000, maxPerMinute: 60_000 });
    const t0 = performance.now();
    b.throttled(300);
    const started: number[] = [];
    await Promise.all([1, 2, 3].map(() => b.schedule(async () => void started.push(performance.now() - t0))));
    expect(started).toHaveLength(3);
    // a lower bound only: the gate cannot open before the Retry-After, however slow the machine
    expect(started.every((t) => t >= 300)).toBe(true);
  });
});
