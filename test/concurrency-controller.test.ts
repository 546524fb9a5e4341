import { describe, expect, it } from 'vitest';
import { boundText, ConcurrencyController, CustomerPool, DEEP_QUEUE, START, type LoadSample } from '../src/partner-center/concurrency.js';
import { RateLimiter } from '../src/partner-center/limiter.js';

/**
 * The controller on a fake clock: every sample carries its own time, so nothing here waits or times anything.
 * A "run" is a list of samples 250 ms apart built from what the limiter would report.
 */
function feed(c: ConcurrencyController, steps: number, at: { t: number; busy: number; throttled: number }, load: (limit: number) => Partial<LoadSample>): number[] {
  const limits: number[] = [];
  for (let i = 0; i < steps; i++) {
    at.t += 250;
    const l = load(c.limit);
    at.busy += l.busyMs ?? 0; // busyMs is given per step here and summed like the limiter's cumulative figure
    at.throttled += l.throttled ?? 0;
    limits.push(c.observe({ now: at.t, queued: 0, inFlight: c.limit, pending: 100, ...l, busyMs: at.busy, throttled: at.throttled }));
  }
  return limits;
}

const start = () => ({ t: 0, busy: 0, throttled: 0 });

describe('concurrency chooses itself (AIMD on customers in flight)', () => {
  it('grows while the rate budget has room, up to the cap, and says the cap bound the run', () => {
    const c = new ConcurrencyController({ cap: 256 });
    expect(c.limit).toBe(START);
    const at = start();
    c.observe({ now: 0, busyMs: 0, queued: 0, throttled: 0, inFlight: START, pending: 100 });
    const limits = feed(c, 40, at, () => ({}));
    expect(limits.every((n, i) => i === 0 || n >= limits[i - 1]!)).toBe(true);
    expect(c.limit).toBe(256);
    expect(c.summary().bound).toBe('cap');
    expect(boundText(c.summary())).toContain('(cap 256)');
  });

  it('holds while requests wait for their turn most of the time: the run is bound by the rate', () => {
    const c = new ConcurrencyController({ cap: 256 });
    const at = start();
    c.observe({ now: 0, busyMs: 0, queued: 0, throttled: 0, inFlight: START, pending: 100 });
    feed(c, 3, at, () => ({})); // 8 → 64 (slow start)
    const before = c.limit;
    const limits = feed(c, 20, at, () => ({ busyMs: 200, queued: 10 }));
    expect(limits.every((n) => n === before)).toBe(true);
    expect(c.bound).toBe('rate');
    expect(c.summary().bound).toBe('rate');
  });

  it('takes customers away on a 429 and on a deep queue, then grows back additively (not from scratch)', () => {
    const c = new ConcurrencyController({ cap: 256 });
    const at = start();
    c.observe({ now: 0, busyMs: 0, queued: 0, throttled: 0, inFlight: START, pending: 100 });
    feed(c, 3, at, () => ({}));
    expect(c.limit).toBe(64);
    feed(c, 1, at, () => ({ throttled: 3, busyMs: 250 }));
    expect(c.limit).toBe(44); // × 0.7
    // further 429s in the same episode (hold) take nothing more away
    feed(c, 2, at, () => ({ throttled: 1, busyMs: 250 }));
    expect(c.limit).toBe(44);
    feed(c, 4, at, () => ({ queued: DEEP_QUEUE + 1, busyMs: 250 }));
    expect(c.limit).toBe(39); // × 0.9 once the hold is over
    const back = feed(c, 12, at, () => ({}));
    // after its hold, growth is additive (+15 % a sample), not the slow start's doubling
    const rises = back.map((n, i) => n - (i === 0 ? 39 : back[i - 1]!)).filter((d) => d > 0);
    expect(rises.length).toBeGreaterThan(3);
    expect(Math.max(...rises) / c.limit).toBeLessThan(0.2);
  });

  it('does not grow when nobody waits for a slot (the tail): provisioning and each customer’s own calls bound it', () => {
    const c = new ConcurrencyController({ cap: 256 });
    const at = start();
    c.observe({ now: 0, busyMs: 0, queued: 0, throttled: 0, inFlight: 5, pending: 0 });
    feed(c, 10, at, () => ({ inFlight: 5, pending: 0 }));
    expect(c.limit).toBe(START);
    expect(c.summary().bound).toBe('provisioning');
  });

  it('a busy CPU (timers late) holds growth, takes nothing away, and counts as CPU-bound', () => {
    const c = new ConcurrencyController({ cap: 256 });
    const at = start();
    c.observe({ now: 0, busyMs: 0, queued: 0, throttled: 0, inFlight: START, pending: 100 });
    feed(c, 10, at, () => ({ loopDelayMs: 120 }));
    expect(c.limit).toBe(START);
    expect(c.summary().bound).toBe('cpu');
    // once the timers are on time again, growth goes on at once (no hold after a CPU spike)
    feed(c, 1, at, () => ({}));
    expect(c.limit).toBe(2 * START);
  });

  it('a burst drained by the sample does not hold growth; a queue still waiting holds it for that sample only: slow start goes on doubling after it', () => {
    const c = new ConcurrencyController({ cap: 256 });
    const at = start();
    c.observe({ now: 0, busyMs: 0, queued: 0, throttled: 0, inFlight: START, pending: 100 });
    feed(c, 1, at, () => ({}));
    expect(c.limit).toBe(16);
    // requests waited most of the interval but the queue has drained by the sample: the step's own burst
    feed(c, 1, at, () => ({ busyMs: 200, queued: 0 }));
    expect(c.limit).toBe(32);
    // still waiting at the sample: held, and counted as bound by the rate
    feed(c, 1, at, () => ({ busyMs: 200, queued: 12 }));
    expect(c.limit).toBe(32);
    expect(c.bound).toBe('rate');
    feed(c, 1, at, () => ({}));
    expect(c.limit).toBe(64);
    // a deep queue ends slow start: from then on growth is additive
    feed(c, 1, at, () => ({ queued: DEEP_QUEUE + 1, busyMs: 250 }));
    const after = feed(c, 8, at, () => ({}));
    expect(Math.max(...after.map((n, i) => n / (i === 0 ? c.limit : after[i - 1]!)))).toBeLessThan(1.2);
  });

  it('a later pool on the same rate budget (the apply after the read) starts where the last one ended', () => {
    const limiter = new RateLimiter({ perMinute: 500, customerPerMinute: 500 });
    const first = new CustomerPool(256, limiter);
    expect(first.limit).toBe(START);
    first.close();
    expect(limiter.customersAtOnce).toBe(START);
    limiter.customersAtOnce = 48;
    const second = new CustomerPool(256, limiter);
    expect(second.limit).toBe(48);
    second.close();
    // never above the cap of the pool
    expect(new CustomerPool(20, limiter).limit).toBe(20);
    // without a client-side limit there is nothing to learn from: the cap as it is
    expect(new CustomerPool(7, new RateLimiter({ perMinute: 0, customerPerMinute: 0 })).limit).toBe(7);
  });

  it('never goes below 1 or above the cap', () => {
    const low = new ConcurrencyController({ cap: 3 });
    expect(low.limit).toBe(3);
    const at = start();
    low.observe({ now: 0, busyMs: 0, queued: 0, throttled: 0, inFlight: 3, pending: 9 });
    feed(low, 60, at, () => ({ throttled: 1 }));
    expect(low.limit).toBe(1);
    feed(low, 60, at, () => ({}));
    expect(low.limit).toBe(3);
  });
});
