import { afterEach, describe, expect, it } from 'vitest';
import { retriedWrites } from '../src/sim/invariants.js';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { expectMigratedSafely, FAST } from './helpers/resilience.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

/**
 * A successful write whose reply has no body (a 2xx without the resource: 202 Accepted is documented for the
 * subscription PATCH, and nothing promises a body on the others) is a success to confirm, not a failure: the
 * order is found by its nickname, the licence update counts as made, the subscription change is polled.
 */
describe('successful writes answered without a body', () => {
  it('the demo migration completes: one order per customer, every user moved, both old subscriptions suspended', async () => {
    sim = await startSim({ scenario: 'demo', options: { replies: { emptyWriteBodies: true } } });
    const env = demoEnv(sim, FAST);
    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    const out = apply.stdout + apply.stderr;

    expect(apply.code, out).toBe(0);
    expect(out.match(/the reply had no body, the orders list shows subscription/g)).toHaveLength(2);
    expectMigratedSafely(sim.audit.entries);
    expect(retriedWrites(sim.audit.entries)).toEqual([]);
    expect(sim.audit.writes().every((w) => w.status >= 200 && w.status < 300)).toBe(true);

    const again = await runCli(['plan'], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });
});
