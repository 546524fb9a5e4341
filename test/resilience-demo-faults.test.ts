import { afterEach, describe, expect, it } from 'vitest';
import { retriedWrites } from '../src/sim/invariants.js';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { count, expectMigratedSafely, FAST, migrateDemoUnder, type Behaviour } from './helpers/resilience.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const behaviours: Behaviour[] = [
  {
    // A loopback endpoint has no client-side limit; one token at a time (one request every 100 ms of real time)
    // makes the two customers' first reads collide on any machine, however loaded.
    name: 'throttling with Retry-After (no client limit, tight scaled buckets)',
    options: { throttle: { perMinute: 60, burst: 1, timeScale: 10, retryAfter: 'fractional' } },
    happened: (s) => expect(count(s.audit.entries, 'throttled')).toBeGreaterThan(0),
    replan: true,
  },
  {
    name: 'injected 503s on reads',
    options: { seed: 3, serverErrors: { match: ['GET'], rate: 0.2 } },
    happened: (s) => expect(count(s.audit.entries, 'fault')).toBeGreaterThan(3),
  },
  {
    name: 'dropped connections on reads',
    options: { seed: 4, dropConnections: { match: ['GET'], rate: 0.15 } },
    happened: (s) => expect(count(s.audit.entries, 'fault')).toBeGreaterThan(3),
  },
  {
    name: 'slow replies',
    options: { seed: 5, slowReplies: { rate: 0.3, ms: 30 } },
    happened: (s) => expect(count(s.audit.entries, 'fault')).toBeGreaterThan(5),
  },
  {
    name: 'reads slower than the client timeout',
    options: { seed: 6, slowReplies: { match: ['GET'], rate: 0.1, ms: 400 } },
    env: { PCSYNC_TIMEOUT_MS: '150' },
    happened: (s) => expect(count(s.audit.entries, 'fault')).toBeGreaterThan(0),
  },
];

describe('the demo migration completes against a throttling, failing simulator (real CLI)', () => {
  for (const b of behaviours) it(b.name, () => migrateDemoUnder(b, (s) => (sim = s)));

  it('writes whose outcome is unknown are never retried blindly; the next apply finishes the job without buying twice', async () => {
    sim = await startSim({
      scenario: 'demo',
      options: { serverErrors: { match: ['POST /v1/customers/:customerId/orders'], times: 1 }, dropConnections: { match: ['PATCH'], times: 1 } },
    });
    const env = demoEnv(sim, FAST);
    const first = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(first.code, first.stdout + first.stderr).toBe(4);
    expect(first.stdout).toContain('order outcome unknown');
    expect(first.stdout).toContain('whether Partner Center carried out the change is unknown');
    const firstRun = [...sim.audit.entries];
    expect(retriedWrites(firstRun)).toEqual([]);
    expect(count(firstRun, 'fault')).toBe(2);

    const second = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(retriedWrites(sim.audit.entries.filter((e) => e.seq > firstRun.length))).toEqual([]);
    expectMigratedSafely(sim.audit.entries);
    expect((await runCli(['plan'], { env, cwd: repoRoot })).code).toBe(0);
  });
});
