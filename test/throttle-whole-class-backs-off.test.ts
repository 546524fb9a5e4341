import { afterEach, describe, expect, it } from 'vitest';
import type { ThrottledEntry } from '../src/sim/audit.js';
import { throttleClassOf } from '../src/sim/behaviours/throttle-classes.js';
import { classRequestsDuringRetryAfter, ordersPerCustomer, requestsBeforeRetryAfter, retriedWrites, usersEverUnlicensed } from '../src/sim/invariants.js';
import { FLEET_SKU_GROUPS, writeFleetDesired } from './helpers/fleet-desired.js';
import { generateFleet, repoRoot, runCli, startSim, type StartedSim } from './helpers/sim.js';

/**
 * Partner Center throttling pcsync harder than it is configured for, on a clock running TIME_SCALE times faster:
 * the documented class (orders, subscriptions, customer by id) at a quarter of PCSYNC_RATE_PER_MINUTE, and a hidden
 * limit on every other API (users, licences, subscribed SKUs, offers) at half of the adaptive limiter's start
 * rate (by default twice PCSYNC_RATE_PER_MINUTE). After a 429 the whole class must pause for the Retry-After and
 * slow down, so 429s stay rare; before, every worker kept its pace and a fifth of all calls were refused.
 */
const TIME_SCALE = 10;
const CLIENT_PER_MINUTE = 500;
const ADAPTIVE_START = 2 * CLIENT_PER_MINUTE;
const CUSTOMERS = 60;

let sim: StartedSim;
afterEach(() => sim?.close());

describe('a 429 slows the whole API class down, not only the request that got it', () => {
  it('with the service below the configured rates: the run finishes, 429s < 2 % of calls, no request before its Retry-After', async () => {
    const scenario = generateFleet({ customers: CUSTOMERS, usersMin: 2, usersMax: 6, seed: 11 });
    const dir = writeFleetDesired(scenario, { customers: 30, users: 4 });
    const throttle = { perMinute: CLIENT_PER_MINUTE / 4, otherPerMinute: ADAPTIVE_START / 2, timeScale: TIME_SCALE, retryAfter: 'fractional' as const };
    sim = await startSim({ scenario, options: { throttle } });
    const env = {
      PARTNER_CENTER_ENDPOINT: sim.url,
      PARTNER_CENTER_TOKEN: 'test-token',
      PCSYNC_POLL_MS: '50',
      PCSYNC_MAX_RETRIES: '10',
      PCSYNC_RATE_PER_MINUTE: String(CLIENT_PER_MINUTE * TIME_SCALE),
    };
    const apply = await runCli(['apply', '--auto-approve', '--json', '--dir', dir], { env, cwd: repoRoot, timeoutMs: 240_000 });

    const entries = sim.audit.entries;
    const requests = sim.audit.requests();
    const throttled = entries.filter((e): e is ThrottledEntry => e.type === 'throttled');
    const share = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(2)} %`;
    const byClass = (cls: 'documented' | 'other') => {
      const calls = requests.filter((r) => throttleClassOf(r.method, r.path) === cls).length;
      const refused = throttled.filter((t) => throttleClassOf(t.method, t.path) === cls).length;
      return `${cls}: ${refused} of ${calls} (${share(refused, calls)})`;
    };
    const early = requestsBeforeRetryAfter(entries);
    const classEarly = classRequestsDuringRetryAfter(entries);
    console.log(
      `  ${CUSTOMERS} customers, service below the configured rates: ${requests.length} calls, 429s ${throttled.length} (${share(throttled.length, requests.length)}; ${byClass('documented')}; ${byClass('other')})\n` +
        `  retries sent before their Retry-After: ${early.length}; other requests of a throttled class inside a Retry-After: ${classEarly.length}`,
    );

    expect(apply.code, apply.stderr.slice(-2000)).toBe(0);
    const ends = apply.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; outcome?: string }).filter((e) => e.type === 'customer-end');
    expect(ends.map((e) => e.outcome)).toEqual(Array(CUSTOMERS).fill('applied'));
    expect(Object.values(ordersPerCustomer(entries))).toEqual(Array(CUSTOMERS).fill(1));
    expect(usersEverUnlicensed(entries, FLEET_SKU_GROUPS)).toEqual([]);
    expect(retriedWrites(entries)).toEqual([]);
    // the documented limit (a quarter of the client's) was really hit, so the figures below measure the back-off;
    // after the first documented-class 429 both classes share that one budget (issue 24), so whether the hidden
    // limit on the other APIs is reached as well depends on timing — either way the totals below must hold
    expect(throttled.filter((t) => throttleClassOf(t.method, t.path) === 'documented').length).toBeGreaterThan(0);
    expect(throttled.length / requests.length).toBeLessThan(0.02);
    expect(early).toEqual([]);
  });
});
