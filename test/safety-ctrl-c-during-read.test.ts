import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFleetDesired } from './helpers/fleet-desired.js';
import { journal, runInterrupted, stateDir } from './helpers/safety.js';
import { generateFleet, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const CUSTOMERS = 40;
const AT_ONCE = 4;

/**
 * The fleet's desired state with a run-wide cap (policy.maxSeatsPerRun, far above what it buys): `apply
 * --auto-approve` then reads every customer before it writes anything (the cap needs the whole plan), so there is a
 * read phase to interrupt. Without a cap it plans each customer as it applies it (see the second describe).
 */
function fleetReadFirst(scenario: ReturnType<typeof generateFleet>): string {
  const dir = writeFleetDesired(scenario, { customers: AT_ONCE, users: 4 });
  appendFileSync(join(dir, 'pcsync.yaml'), 'policy:\n  maxSeatsPerRun: 100000\n');
  return dir;
}

/** 30 requests a minute per class: the workers' next requests wait seconds each for their turn. */
function slowLimitEnv(): Record<string, string> {
  return {
    PARTNER_CENTER_ENDPOINT: sim.url,
    PARTNER_CENTER_TOKEN: 'test-token',
    PCSYNC_STATE_DIR: stateDir(),
    PCSYNC_RATE_PER_MINUTE: '30',
    PCSYNC_ADAPTIVE_RATE_PER_MINUTE: '30',
    PCSYNC_ADAPTIVE_MAX_PER_MINUTE: '30',
  };
}

/** Runs `apply --auto-approve` and sends it SIGINT when the `after`-th request reaches the simulator. */
async function applyInterruptedAfter(after: number, dir: string, env: Record<string, string>) {
  let seen = 0;
  const { res, signalledAt } = await runInterrupted(sim, ['apply', '--auto-approve', '--dir', dir], { env }, (e) => e.type === 'request' && ++seen === after);
  return { res, signalledAt, exitedAfterMs: Date.now() - signalledAt };
}

describe('Ctrl-C while live state is read (a run-wide cap: the whole fleet is read before anything is written)', () => {
  it('the first SIGINT stops reading at once (no queued request is sent) and the summary says the run wrote nothing', async () => {
    // every reply takes 100 ms, so reading 40 customers 4 at a time takes many seconds
    const scenario = generateFleet({ customers: CUSTOMERS, usersMin: 5, usersMax: 15, seed: 3 });
    const dir = fleetReadFirst(scenario);
    sim = await startSim({ scenario, options: { slowReplies: { ms: 100 } } });
    const state = stateDir();
    const env = { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_STATE_DIR: state };
    const { res, signalledAt } = await applyInterruptedAfter(40, dir, env);

    const requests = sim.audit.requests();
    const after = requests.filter((r) => r.at > signalledAt);
    const lastMs = Math.max(0, ...after.map((r) => r.at - signalledAt));
    const customersTouched = new Set(requests.map((r) => r.customerId).filter(Boolean)).size;
    console.log(`  SIGINT after 40 requests: ${after.length} request(s) arrived after it, the last ${lastMs} ms later; ${customersTouched} of ${CUSTOMERS} customers were touched`);

    expect(res.stdout).toContain('Stopped while reading live state of 40 customer(s); nothing was planned and nothing was written to Partner Center.');
    expect(res.stdout).not.toMatch(/not-moved|Who holds what now/);
    expect(res.code, res.stderr).toBe(4);
    expect(sim.audit.writes()).toEqual([]);
    // only requests already on the wire (at most one per worker: customers × users at once) may arrive after the signal
    expect(after.length).toBeLessThanOrEqual(AT_ONCE * 4);
    expect(customersTouched).toBeLessThan(CUSTOMERS);
    const records = journal(state);
    expect(records.filter((r) => r.type === 'action-start')).toEqual([]);
    expect(records.at(-1)?.type).toBe('run-end');
  });

  it('with a client-side rate limit, requests queued for their turn end unsent at once: the process exits, it does not wait out the queue', async () => {
    // 30 requests a minute per class: the workers' next requests wait seconds each for their turn
    const scenario = generateFleet({ customers: CUSTOMERS, usersMin: 5, usersMax: 15, seed: 3 });
    const dir = fleetReadFirst(scenario);
    sim = await startSim({ scenario });
    const env = slowLimitEnv();
    const { res, signalledAt, exitedAfterMs } = await applyInterruptedAfter(6, dir, env);
    console.log(`  SIGINT with a full rate-limiter queue: the process exited ${exitedAfterMs} ms later`);

    expect(res.stdout).toContain('nothing was planned and nothing was written to Partner Center');
    expect(res.code, res.stderr).toBe(4);
    expect(sim.audit.requests().filter((r) => r.at > signalledAt + 50)).toEqual([]);
    expect(sim.audit.writes()).toEqual([]);
    // waiting out the queue took ~15 s after the signal here; the test's own time limit is 15 s
  }, 15_000);
});

describe('Ctrl-C while customers are planned as they are applied (no run-wide cap)', () => {
  /** Customers by the requests that reached the simulator before and after `at`. */
  function touched(at: number) {
    const before = new Set<string>();
    const after = new Set<string>();
    for (const r of sim.audit.requests()) if (r.customerId) (r.at <= at ? before : after).add(r.customerId);
    return { before, after };
  }

  it('the first SIGINT: no customer is started after it, reads of customers not yet planned end unsent, no order goes out after it', async () => {
    const scenario = generateFleet({ customers: CUSTOMERS, usersMin: 5, usersMax: 15, seed: 3 });
    const dir = writeFleetDesired(scenario, { customers: AT_ONCE, users: 4 });
    sim = await startSim({ scenario, options: { slowReplies: { ms: 100 } } });
    const state = stateDir();
    const env = { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_STATE_DIR: state };
    const { res, signalledAt } = await applyInterruptedAfter(40, dir, env);

    // requests already on the wire (sent before the signal) may still arrive a moment after it
    const settled = signalledAt + 50;
    const { before, after } = touched(settled);
    const lateOrders = sim.audit.writes().filter((r) => r.at > settled && r.method === 'POST' && r.path.endsWith('/orders'));
    console.log(`  SIGINT after 40 requests: ${before.size} customer(s) touched before it, ${[...after].filter((c) => !before.has(c)).length} new after it; ${lateOrders.length} order(s) after it`);
    expect([...after].filter((c) => !before.has(c))).toEqual([]);
    expect(lateOrders).toEqual([]);
    expect(before.size).toBeLessThan(CUSTOMERS);
    // an apply stopped by Ctrl-C (README exit codes)
    expect(res.code, res.stderr).toBe(130);
    expect(res.stdout).toMatch(/Apply summary/);
    // the summary counts every selected customer, not only those planned before the stop
    expect(res.stdout).toMatch(/\(of 40 applied in this run\)/);
    expect(res.stdout).not.toMatch(/pcsync plan: 0 customer\(s\)/);
    const records = journal(state);
    expect(records.at(-1)?.type).toBe('run-end');
    // every action journaled as started ended too: what the run began, it finished or recorded as unknown
    const started = records.filter((r) => r.type === 'action-start').length;
    expect(records.filter((r) => r.type === 'action-end')).toHaveLength(started);
  });

  it('with a client-side rate limit, reads queued for their turn end unsent at once: the process exits, it does not wait out the queue', async () => {
    const scenario = generateFleet({ customers: CUSTOMERS, usersMin: 5, usersMax: 15, seed: 3 });
    const dir = writeFleetDesired(scenario, { customers: AT_ONCE, users: 4 });
    sim = await startSim({ scenario });
    const env = slowLimitEnv();
    const { res, signalledAt, exitedAfterMs } = await applyInterruptedAfter(6, dir, env);
    console.log(`  SIGINT with a full rate-limiter queue: the process exited ${exitedAfterMs} ms later`);
    // an apply stopped by Ctrl-C (README exit codes)
    expect(res.code, res.stderr).toBe(130);
    expect(sim.audit.requests().filter((r) => r.at > signalledAt + 50)).toEqual([]);
    expect(sim.audit.writes()).toEqual([]);
    // waiting out the queue would take ~15 s after the signal here; the test's own time limit is 15 s
  }, 15_000);

  it('with a client-side rate limit, writes waiting for their turn are not sent after the first SIGINT: the customers end not-started or partly applied, never bought after it', async () => {
    // each customer's documented calls 2 s apart (30 a minute per customer): every purchase waits for its turn
    // after its customer's reads, so at the first order the others' orders are queued
    const scenario = generateFleet({ customers: 16, usersMin: 5, usersMax: 15, seed: 3 });
    const dir = writeFleetDesired(scenario, { customers: 16, users: 4 });
    sim = await startSim({ scenario });
    const state = stateDir();
    const env = { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_STATE_DIR: state, PCSYNC_RATE_PER_MINUTE: '500', PCSYNC_CUSTOMER_RATE_PER_MINUTE: '30' };
    let orders = 0;
    const { res, signalledAt } = await runInterrupted(sim, ['apply', '--auto-approve', '--dir', dir], { env }, (e) => e.type === 'order-created' && ++orders === 1);
    const late = sim.audit.writes().filter((r) => r.at > signalledAt + 50);
    console.log(`  SIGINT at the first order: ${sim.audit.writes().filter((r) => r.method === 'POST' && r.path.endsWith('/orders')).length} order(s) in all, ${late.length} write(s) after the signal`);
    expect(late).toEqual([]);
    expect(res.code, res.stderr).toBe(130);
    // every action the journal started ended, and the ones cut in the queue say they were not sent
    const records = journal(state);
    const started = records.filter((r) => r.type === 'action-start').length;
    expect(records.filter((r) => r.type === 'action-end')).toHaveLength(started);
    expect(records.at(-1)?.type).toBe('run-end');
  }, 30_000);
});
