import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFleetDesiredState } from '../src/sim/index.js';
import { ordersPerCustomer, requestsBeforeRetryAfter, retriedWrites } from '../src/sim/invariants.js';
import { generateFleet, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { repoRoot } from './helpers/demo.js';

/**
 * Partner Center's published 500 requests/minute, on a clock running TIME_SCALE times faster so the run takes
 * seconds: the simulator's buckets refill TIME_SCALE times faster, and the client's limit is raised by the
 * same factor (PCSYNC_RATE_PER_MINUTE). Everything else is the production code path.
 */
const TIME_SCALE = 60;
const PUBLISHED = 500;
/** "Near zero": a few 429s may come from scheduling jitter between two processes on one machine. */
const MAX_429 = 5;

let sim: StartedSim;
afterEach(() => sim?.close());

async function fleetRun(clientPerMinute: number, classes: 'documented' | 'all' = 'documented', clock?: () => number, customers = 50) {
  const scenario = generateFleet({ customers, usersMin: 3, usersMax: 12, seed: 4 });
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-fleet-'));
  expect(writeFleetDesiredState(scenario, dir, { concurrency: 8 })).toBe(customers);
  sim = await startSim({ scenario, options: { throttle: { perMinute: PUBLISHED, timeScale: TIME_SCALE, retryAfter: 'fractional', classes, ...(clock && { clock }) } } });
  const env = { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_POLL_MS: '50', PCSYNC_RATE_PER_MINUTE: String(clientPerMinute) };
  const apply = await runCli(['apply', '--auto-approve', '--json', '--dir', dir], { env, cwd: repoRoot, timeoutMs: 120_000 });
  const throttled = sim.audit.entries.filter((e) => e.type === 'throttled').length;
  return { apply, throttled, dir, env, requests: sim.audit.requests().length };
}

describe('50 customers against a simulator throttling at a scaled 500 requests/minute', () => {
  it('the rate limiter keeps the run just under the limit: zero failed actions, (almost) no 429s', async () => {
    const { apply, throttled, dir, env, requests } = await fleetRun(PUBLISHED * TIME_SCALE);
    console.log(`  50 customers: ${requests} requests, ${throttled} answered 429 (bound ${MAX_429})`);
    expect(apply.code, apply.stderr).toBe(0);
    const events = apply.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; outcome?: string });
    const ends = events.filter((e) => e.type === 'action-end');
    expect(ends.length).toBeGreaterThan(50 * 4);
    expect(ends.filter((e) => e.outcome?.startsWith('failed'))).toEqual([]);
    expect(events.filter((e) => e.type === 'customer-end').map((e) => e.outcome)).toEqual(Array(50).fill('applied'));
    expect(throttled).toBeLessThanOrEqual(MAX_429);
    expect(Object.keys(ordersPerCustomer(sim.audit.entries))).toHaveLength(50);
    expect(requestsBeforeRetryAfter(sim.audit.entries)).toEqual([]);
    expect(retriedWrites(sim.audit.entries)).toEqual([]);
    const plan = await runCli(['plan', '--dir', dir], { env, cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(0);
  });

  it('without the client limiter, against a service throttling every call at that rate, the run collects 429s by the hundred', async () => {
    // The buckets' clock moves 0.5 ms per request: to the service the client sends 2,000 requests per (scaled)
    // second, 4× the scaled limit, however fast this machine really runs it (a loaded machine could not send
    // them fast enough to be refused, and the test failed for the machine's sake). The limiter being off is the point.
    // 20 customers are enough to be refused by the hundred (the bucket is empty after ~70 requests).
    let ticks = 0;
    const { throttled } = await fleetRun(0, 'all', () => 0.5 * ticks++, 20);
    console.log(`  without a client limit: ${throttled} answered 429`);
    expect(throttled).toBeGreaterThan(20 * MAX_429);
  });
});
