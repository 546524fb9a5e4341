import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, FaultEntry } from '../src/sim/audit.js';
import { requestsBeforeRetryAfter, retriedWrites } from '../src/sim/invariants.js';
import { CONTOSO } from './helpers/demo.js';
import { api, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim;
afterEach(() => sim?.close());

const SALES_PRO = 'F28514F0-6516-4EF9-8222-1C605A05D245';
const order = { lineItems: [{ lineItemNumber: 0, offerId: SALES_PRO, quantity: 1 }] };
const faults = () => sim.audit.entries.filter((e): e is FaultEntry => e.type === 'fault');

describe('simulator fault switches (before processing: nothing changes)', () => {
  it('answers 5xx ApiFaults on the matching route only, as many times as asked', async () => {
    sim = await startSim({ scenario: 'demo', options: { serverErrors: { match: ['POST /v1/customers/:customerId/orders'], times: 2, status: 502 } } });
    const other = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions`);
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push(await api(sim.url, 'POST', `/v1/customers/${CONTOSO}/orders`, { body: order, headers: { 'MS-RequestId': `o${i}` } }));
    expect([other.status, ...tries.map((t) => t.status)]).toEqual([200, 502, 502, 201]);
    expect(tries[0]!.body).toMatchObject({ code: 800003, source: 'PartnerFD' });
    expect(sim.audit.entries.filter((e) => e.type === 'order-created')).toHaveLength(1);
    expect(faults().map((f) => [f.fault, f.requestId])).toEqual([['server-error', 'o0'], ['server-error', 'o1']]);
  });

  it('draws rate-based faults from a seeded generator: the same seed hits the same requests', async () => {
    const hits = async (seed: number) => {
      sim = await startSim({ scenario: 'demo', options: { seed, serverErrors: { rate: 0.3 } } });
      const statuses = [];
      for (let i = 0; i < 30; i++) statuses.push((await api(sim.url, 'GET', '/v1/offers?country=US')).status);
      await sim.close();
      return statuses.map((s) => (s === 503 ? 'x' : '.')).join('');
    };
    const [a, b, c] = [await hits(7), await hits(7), await hits(8)];
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toContain('x');
    expect(a).toContain('.');
  });

  it('drops the connection without a reply and records the request with status 0', async () => {
    sim = await startSim({ scenario: 'demo', options: { dropConnections: { match: ['POST'], times: 1 } } });
    await expect(api(sim.url, 'POST', `/v1/customers/${CONTOSO}/orders`, { body: order, headers: { 'MS-RequestId': 'd1' } })).rejects.toThrow();
    expect(sim.audit.requests().map((e) => [e.method, e.status])).toEqual([['POST', 0]]);
    expect(sim.audit.entries.filter((e) => e.type === 'order-created')).toHaveLength(0);
    const again = await api(sim.url, 'POST', `/v1/customers/${CONTOSO}/orders`, { body: order, headers: { 'MS-RequestId': 'd2' } });
    expect(again.status).toBe(201);
  });

  it('holds a slow request before processing it', async () => {
    sim = await startSim({ scenario: 'demo', options: { slowReplies: { match: ['GET /v1/offers'], ms: 150 } } });
    const started = Date.now();
    const res = await api(sim.url, 'GET', '/v1/offers?country=US');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(faults()).toMatchObject([{ fault: 'slow', delayMs: 150, path: '/v1/offers' }]);
  });

  it('refuses nonsensical fault options before listening', async () => {
    await expect(startSim({ scenario: 'demo', options: { serverErrors: { rate: 2 } } })).rejects.toThrow('serverErrors.rate must be between 0 and 1');
    await expect(startSim({ scenario: 'demo', options: { dropConnections: { times: -1 } } })).rejects.toThrow('dropConnections.times must be a whole number');
  });
});

describe('audit invariants for retries', () => {
  const req = (seq: number, at: number, method: string, requestId: string, status: number): AuditEntry => ({
    seq, at, type: 'request', method, path: '/v1/customers/c/orders', query: '', status, requestId,
  });
  const throttled = (seq: number, at: number, requestId: string, retryAfterMs: number): AuditEntry => ({
    seq, at, type: 'throttled', method: 'GET', path: '/v1/x', requestId, scope: 'partner', retryAfterMs,
  });

  it('finds a request sent again before its Retry-After had elapsed', () => {
    const entries = [req(1, 1000, 'GET', 'a', 429), throttled(2, 1000, 'a', 500), req(3, 1400, 'GET', 'a', 429), req(4, 1600, 'GET', 'a', 200)];
    expect(requestsBeforeRetryAfter(entries)).toEqual([{ throttledSeq: 2, requestSeq: 3, requestId: 'a', earlyByMs: 100 }]);
    expect(requestsBeforeRetryAfter([entries[0]!, entries[1]!, entries[3]!])).toEqual([]);
  });

  it('finds a write sent again after an attempt that was not refused with 429', () => {
    const ok = [req(1, 0, 'POST', 'p', 429), req(2, 10, 'POST', 'p', 201), req(3, 20, 'GET', 'g', 503), req(4, 30, 'GET', 'g', 200)];
    expect(retriedWrites(ok)).toEqual([]);
    const blind = [req(1, 0, 'POST', 'p', 503), req(2, 10, 'POST', 'p', 201), req(3, 20, 'PATCH', 'q', 0), req(4, 30, 'PATCH', 'q', 200)];
    expect(retriedWrites(blind).map((e) => e.seq)).toEqual([2, 4]);
  });
});
