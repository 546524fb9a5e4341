import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { bucketSize, customerOfPath, RateLimiter, spacingMs } from '../src/partner-center/limiter.js';
import { tuningFromEnv } from '../src/partner-center/tuning.js';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { runCli, startSim } from './helpers/sim.js';

/** Schedules jobs and records when each started (ms since the first call). */
async function starts(limiter: RateLimiter, customers: (string | undefined)[]): Promise<{ customer?: string; at: number }[]> {
  const t0 = performance.now();
  const out: { customer?: string; at: number }[] = [];
  await Promise.all(
    customers.map((customer) =>
      limiter.schedule({ method: 'GET', path: customer === undefined ? '/v1/productUpgrades' : `/v1/customers/${customer}/subscriptions` }, async () => {
        out.push({ customer, at: performance.now() - t0 });
      }),
    ),
  );
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Jobs scheduled together at t = 0: the k-th starts no earlier than (k − tokens already in the bucket + 1) ×
 * spacing — a token bucket lets its first `initial` go at once, then one per spacing. Slack for timer rounding.
 */
function expectSpaced(at: number[], spacing: number, initial = 1): void {
  at.forEach((t, k) => expect(t).toBeGreaterThanOrEqual((k - initial + 1) * spacing - SLACK));
}
const SLACK = 2;

describe('client rate limiter (token bucket per class)', () => {
  it('spaces requests evenly at 95% of the real limit: one every 126 ms, no burst', async () => {
    expect(spacingMs(500)).toBeCloseTo(126.3, 1);
    expect(bucketSize(500)).toEqual({ burst: 1, cap: 2 });
    const limiter = new RateLimiter({ perMinute: 500, customerPerMinute: 0 });
    const s = await starts(limiter, Array.from({ length: 5 }, () => undefined));
    expectSpaced(s.map((x) => x.at), spacingMs(500));
    expect(s.at(-1)!.at).toBeLessThan(4 * spacingMs(500) * 1.5);
  });

  it('at scaled rates lets a small burst go at once, then keeps to the rate', async () => {
    const { burst } = bucketSize(6000);
    expect(burst).toBeGreaterThan(1);
    const limiter = new RateLimiter({ perMinute: 6000, customerPerMinute: 0 });
    const s = await starts(limiter, Array.from({ length: 8 * burst }, () => undefined));
    expectSpaced(s.map((x) => x.at), spacingMs(6000), burst);
  });

  it('keeps one customer to its own, lower limit while other customers go on, all under the partner limit', async () => {
    const limiter = new RateLimiter({ perMinute: 12_000, customerPerMinute: 1200 });
    const order = [...Array.from({ length: 4 }, () => 'a'), ...Array.from({ length: 12 }, (_, i) => `other-${i}`)];
    const s = await starts(limiter, order);
    const a = s.filter((x) => x.customer === 'a').map((x) => x.at);
    // customer a's requests are handed on at its own spacing (the partner queue may then bring two closer)
    expect(a[3]!).toBeGreaterThanOrEqual(3 * spacingMs(1200) - SLACK);
    expectSpaced(s.map((x) => x.at), spacingMs(12_000), bucketSize(12_000).burst);
    // the twelve other customers all started while customer a was still waiting for its turn
    expect(s.filter((x) => x.customer !== 'a').every((x) => x.at < a[a.length - 1]!)).toBe(true);
  });

  it('runs jobs at once when no limit is set (the first waits for the second to start)', async () => {
    const limiter = new RateLimiter({ perMinute: 0, customerPerMinute: 0 });
    let secondStarted!: () => void;
    const started = new Promise<void>((resolve) => (secondStarted = resolve));
    const req = { method: 'GET', path: '/v1/customers/a/orders' };
    const both = Promise.all([limiter.schedule(req, () => started.then(() => 1)), limiter.schedule(req, async () => (secondStarted(), 2))]);
    expect(await both).toEqual([1, 2]);
  });

  it('reads the customer a request is for from its path', () => {
    expect(customerOfPath('/v1/customers/ABC-1/subscriptions?x=1')).toBe('abc-1');
    expect(customerOfPath('/v1/customers/abc%2D1')).toBe('abc-1');
    expect(customerOfPath('/v1/customers?size=100')).toBeUndefined();
    expect(customerOfPath('/v1/offers?country=US')).toBeUndefined();
  });
});

describe('client tuning from the environment', () => {
  it('defaults to the published 500/minute for Partner Center and to no client limit for a loopback simulator', () => {
    const adaptive = { adaptivePerMinute: 1000, adaptiveMaxPerMinute: 8000, classes: 'per-class' };
    expect(tuningFromEnv({}, 'https://api.partnercenter.microsoft.com').limits).toEqual({ perMinute: 500, customerPerMinute: 500, ...adaptive });
    const none = { adaptivePerMinute: 0, adaptiveMaxPerMinute: 0, classes: 'per-class' };
    expect(tuningFromEnv({}, 'http://127.0.0.1:7071').limits).toEqual({ perMinute: 0, customerPerMinute: 0, ...none });
    const env = { PCSYNC_RATE_PER_MINUTE: '30000', PCSYNC_CUSTOMER_RATE_PER_MINUTE: '1000', PCSYNC_MAX_RETRIES: '2', PCSYNC_TIMEOUT_MS: '5000' };
    const t = tuningFromEnv(env, 'http://127.0.0.1:7071');
    expect([t.limits, t.retry.maxRetries, t.timeoutMs]).toEqual([
      { perMinute: 30000, customerPerMinute: 1000, adaptivePerMinute: 60000, adaptiveMaxPerMinute: 480000, classes: 'per-class' },
      2,
      5000,
    ]);
    const single = tuningFromEnv({ PCSYNC_LIMITER: 'single', PCSYNC_ADAPTIVE_RATE_PER_MINUTE: '700', PCSYNC_ADAPTIVE_MAX_PER_MINUTE: '900' }, 'https://x.example');
    expect(single.limits).toMatchObject({ adaptivePerMinute: 700, adaptiveMaxPerMinute: 900, classes: 'single' });
  });

  it('refuses a value that is not a number, naming the variable', () => {
    const cases: [string, string][] = [
      ['PCSYNC_RATE_PER_MINUTE', 'fast'],
      ['PCSYNC_RATE_PER_MINUTE', '-1'],
      ['PCSYNC_MAX_RETRIES', '2.5'],
      ['PCSYNC_TIMEOUT_MS', '0'],
      ['PCSYNC_ADAPTIVE_RATE_PER_MINUTE', 'lots'],
      ['PCSYNC_LIMITER', 'none'],
    ];
    for (const [name, value] of cases) {
      let err: unknown;
      try {
        tuningFromEnv({ [name]: value }, 'https://api.partnercenter.microsoft.com');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toContain(`${name}="${value}" is not valid`);
    }
  });

  it('the CLI stops on a bad value before sending anything, without a stack trace', async () => {
    const sim = await startSim({ scenario: 'demo' });
    try {
      const res = await runCli(['plan'], { env: demoEnv(sim, { PCSYNC_RATE_PER_MINUTE: 'fast' }), cwd: repoRoot });
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        'pcsync: PCSYNC_RATE_PER_MINUTE="fast" is not valid: expected 0 (no client-side limit) or a number from 1 to 1000000 — requests per minute of the documented throttled APIs (orders, subscriptions, carts, customer by id) for the partner tenant (default 500, the published limit; 0 = no client-side limit). Nothing was sent.\n',
      );
      expect(sim.audit.requests()).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
