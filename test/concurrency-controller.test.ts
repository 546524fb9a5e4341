import { describe, expect, it } from 'vitest';
import { boundText, ConcurrencyController, DEEP_QUEUE, START, type LoadSample } from '../src/partner-center/concurrency.js';

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

  it('a busy CPU (timers late) stops growth and counts as CPU-bound', () => {
    const c = new ConcurrencyController({ cap: 256 });
    const at = start();
    c.observe({ now: 0, busyMs: 0, queued: 0, throttled: 0, inFlight: START, pending: 100 });
    feed(c, 10, at, () => ({ loopDelayMs: 120 }));
    expect(c.limit).toBeLessThanOrEqual(START);
    expect(c.summary().bound).toBe('cpu');
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
