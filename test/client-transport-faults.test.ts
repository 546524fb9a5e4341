import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../src/partner-center/errors.js';
import type { ThrottledEntry } from '../src/sim/audit.js';
import { requestsBeforeRetryAfter, retriedWrites } from '../src/sim/invariants.js';
import { realClient, rejection } from './helpers/client.js';
import { startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO } from './helpers/demo.js';

const E3_SUB = 'A1B2C3D4-0000-4000-8000-000000000102';
const SALES_PRO = 'F28514F0-6516-4EF9-8222-1C605A05D245';
const order = { lineItems: [{ lineItemNumber: 0, offerId: SALES_PRO, quantity: 1 }] };

let sim: StartedSim;
afterEach(() => sim?.close());

/** Request entries of the audit log for a path suffix, as [method, requestId, status]. */
function sent(path: string) {
  return sim.audit.requests().filter((e) => e.path.endsWith(path)).map((e) => [e.method, e.requestId, e.status]);
}

describe('transport against a faulty simulator (real socket)', () => {
  it('sends a GET again after a dropped connection, a 503 and a timeout — with the same MS-RequestId', async () => {
    sim = await startSim({
      scenario: 'demo',
      options: {
        dropConnections: { match: ['GET /v1/customers/:customerId'], times: 1 },
        serverErrors: { match: ['GET /v1/customers/:customerId/subscriptions'], times: 1 },
        slowReplies: { match: ['GET /v1/customers/:customerId/subscribedskus'], times: 1, ms: 400 },
      },
    });
    const { client, retries } = realClient(sim.url, { timeoutMs: 150 });
    expect((await client.getCustomer(CONTOSO)).id).toBe(CONTOSO);
    expect((await client.listSubscriptions(CONTOSO)).length).toBe(2);
    expect((await client.listSubscribedSkus(CONTOSO)).length).toBeGreaterThan(0);
    expect(retries.map((r) => r.error.kind)).toEqual(['network', 'server-error', 'timeout']);
    for (const path of [CONTOSO, '/subscriptions', '/subscribedskus']) {
      const [first, second, ...rest] = sent(path);
      expect(rest).toEqual([]);
      expect(first![1]).toBe(second![1]);
      expect(second![2]).toBe(200);
    }
  });

  it('never sends an order POST again after a 5xx or a dropped connection: ambiguous, and nothing was ordered twice', async () => {
    for (const fault of [{ serverErrors: { match: ['POST'], times: 1 } }, { dropConnections: { match: ['POST'], times: 1 } }]) {
      sim = await startSim({ scenario: 'demo', options: fault });
      const { client, retries } = realClient(sim.url);
      const err = await rejection<ApiError>(client.createOrder(CONTOSO, order, 'order-request-1'));
      expect(err).toBeInstanceOf(ApiError);
      expect([err.failure, err.attempts, retries.length]).toEqual(['ambiguous', 1, 0]);
      expect(err.userMessage).toContain('whether');
      expect(sent('/orders')).toHaveLength(1);
      expect(retriedWrites(sim.audit.entries)).toEqual([]);
      await sim.close();
    }
  });

  it('never sends a PATCH again after a 503 or a timeout', async () => {
    sim = await startSim({ scenario: 'demo', options: { serverErrors: { match: ['PATCH'], times: 1 }, slowReplies: { match: ['PATCH'], ms: 300 } } });
    const { client } = realClient(sim.url, { timeoutMs: 100 });
    const first = await rejection<ApiError>(client.patchSubscription(CONTOSO, E3_SUB, { quantity: 11 }));
    const second = await rejection<ApiError>(client.patchSubscription(CONTOSO, E3_SUB, { quantity: 12 }));
    expect([first.kind, first.failure, second.kind, second.failure]).toEqual(['server-error', 'ambiguous', 'timeout', 'ambiguous']);
    expect(sent(E3_SUB).map((e) => e[0])).toEqual(['PATCH', 'PATCH']);
  });

  it('honours a Retry-After in seconds (fractional, scaled buckets) — no retry arrives early', async () => {
    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 120, burst: 2, timeScale: 10, retryAfter: 'fractional' } } });
    const { client, transport, retries } = realClient(sim.url);
    const reads = await Promise.all(Array.from({ length: 8 }, () => client.listSubscriptions(CONTOSO)));
    expect(reads.every((r) => r.length === 2)).toBe(true);
    const throttled = sim.audit.entries.filter((e) => e.type === 'throttled');
    expect(throttled.length).toBeGreaterThan(0);
    expect(transport.stats.throttled).toBe(throttled.length);
    expect(retries.every((r) => r.delayMs >= (r.error.retryAfterMs ?? 0))).toBe(true);
    expect(requestsBeforeRetryAfter(sim.audit.entries)).toEqual([]);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    sim = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 60, burst: 1, retryAfter: 'http-date' } } });
    const { client, retries } = realClient(sim.url);
    await client.getCustomer(CONTOSO);
    const started = Date.now();
    await client.getCustomer(CONTOSO);
    const throttled = sim.audit.entries.filter((e): e is ThrottledEntry => e.type === 'throttled');
    expect(throttled).toHaveLength(1);
    expect(retries).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(throttled[0]!.retryAfterMs - 5);
    expect(requestsBeforeRetryAfter(sim.audit.entries)).toEqual([]);
  });

  it('sends even a POST again when the connection was refused (it never reached Partner Center)', async () => {
    sim = await startSim({ scenario: 'demo' });
    const url = sim.url;
    await sim.close();
    const { client, retries } = realClient(url, { retry: { maxRetries: 2 } });
    const err = await rejection<ApiError>(client.createOrder(CONTOSO, order, 'order-request-2'));
    expect([err.kind, err.failure, err.attempts, retries.length]).toEqual(['network', 'transient', 3, 2]);
    expect(err.description).toContain('ECONNREFUSED');
  });
});
