import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type FailureKind } from '../src/partner-center/errors.js';
import { withRetries, type RetryOptions } from '../src/partner-center/retry.js';

/** An ApiError as the transport makes it. */
function failure(method: string, status: number | undefined, failureKind: FailureKind, retryAfterMs?: number, kind?: 'timeout' | 'network'): ApiError {
  return new ApiError(method, '/v1/customers/c1/subscriptions', status, undefined, 'x', failureKind, 'req-1', retryAfterMs, kind ? { kind } : {});
}

/** Runs `withRetries` over scripted outcomes (an ApiError to throw, or a value), recording every wait. */
async function script(outcomes: (ApiError | string)[], opts: Partial<RetryOptions> = {}) {
  const waits: number[] = [];
  let calls = 0;
  const run = withRetries(
    async () => {
      const next = outcomes[calls++];
      if (next instanceof ApiError) throw next;
      return next ?? 'ok';
    },
    { maxRetries: 6, baseDelayMs: 100, maxDelayMs: 10_000, sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...opts },
  );
  const result: { value?: string; error?: ApiError } = await run.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as ApiError }),
  );
  return { ...result, waits, calls };
}

describe('retry policy (cockatiel, waits through an injected sleep)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('waits the Retry-After of a 429 (plus at most 10% jitter), then sends again', async () => {
    const r = await script([failure('GET', 429, 'transient', 2000), 'done']);
    expect(r.value).toBe('done');
    expect(r.calls).toBe(2);
    expect(r.waits).toHaveLength(1);
    expect(r.waits[0]).toBeGreaterThanOrEqual(2000);
    expect(r.waits[0]).toBeLessThanOrEqual(2200);
  });

  it('backs off exponentially from the first Retry-After when 429s keep coming, never below the latest one', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // cockatiel's jitter, made repeatable
    const throttled = (ms: number) => failure('GET', 429, 'transient', ms);
    const r = await script([throttled(1000), throttled(1000), throttled(1000), throttled(5000), throttled(1000), 'done']);
    expect(r.value).toBe('done');
    expect(r.waits).toHaveLength(5);
    for (const w of r.waits) expect(w).toBeGreaterThanOrEqual(1000);
    expect(r.waits[3]).toBeGreaterThanOrEqual(5000);
    // seeded from the first Retry-After (1 s): the waits grow well beyond it
    expect(r.waits[1]!).toBeGreaterThan(1000);
    expect(r.waits[2]!).toBeGreaterThan(r.waits[1]!);
    expect(r.waits[4]!).toBeGreaterThan(2 * r.waits[2]!);
  });

  it('retries a POST after a 429 (Partner Center refused it, nothing was done)', async () => {
    const r = await script([failure('POST', 429, 'transient', 10), 'created']);
    expect([r.value, r.calls]).toEqual(['created', 2]);
  });

  it('retries GETs after 5xx, timeouts and dropped connections with growing jittered waits', async () => {
    const r = await script([
      failure('GET', 503, 'transient'),
      failure('GET', undefined, 'transient', undefined, 'timeout'),
      failure('GET', undefined, 'transient', undefined, 'network'),
      'listed',
    ]);
    expect(r.value).toBe('listed');
    expect(r.waits).toHaveLength(3);
    for (const w of r.waits) expect(w).toBeLessThanOrEqual(10_000);
  });

  it('never sends a POST or PATCH again after a 5xx, timeout or dropped connection: ambiguous goes to the executor', async () => {
    for (const err of [
      failure('POST', 500, 'ambiguous'),
      failure('PATCH', 503, 'ambiguous'),
      failure('POST', undefined, 'ambiguous', undefined, 'timeout'),
      failure('POST', undefined, 'ambiguous', undefined, 'network'),
    ]) {
      const r = await script([err, 'must not be reached']);
      expect(r.calls).toBe(1);
      expect(r.waits).toEqual([]);
      expect(r.error?.failure).toBe('ambiguous');
      expect(r.error?.attempts).toBe(1);
    }
  });

  it('does not retry refusals (4xx) or a subscription that is still provisioning (404 / 20000)', async () => {
    const stale = new ApiError('PATCH', '/v1/x', 400, 2055, 'Etag is no longer valid.', 'transient', 'r');
    const provisioning = new ApiError('GET', '/v1/x', 404, 20000, 'not yet', 'transient', 'r');
    for (const err of [stale, provisioning, failure('GET', 400, 'terminal')]) {
      const r = await script([err, 'no']);
      expect([r.calls, r.error?.code ?? r.error?.status]).toEqual([1, err.code ?? err.status]);
    }
  });

  it('gives up after maxRetries and says how many attempts were made', async () => {
    const r = await script(Array.from({ length: 10 }, () => failure('GET', 429, 'transient', 50)), { maxRetries: 3 });
    expect(r.calls).toBe(4);
    expect(r.waits).toHaveLength(3);
    expect(r.error?.kind).toBe('throttled');
    expect(r.error?.attempts).toBe(4);
    expect(r.error?.userMessage).toBe(
      'GET /v1/customers/c1/subscriptions: Partner Center is throttling requests (rate limit, asked to wait 0.1s) (HTTP 429) after 4 attempts' +
        ' — retry: lower PCSYNC_RATE_PER_MINUTE or concurrency in pcsync.yaml, then run apply again',
    );
  });
});
