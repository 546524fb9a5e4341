import { afterEach, describe, expect, it } from 'vitest';
import { retriedWrites } from '../src/sim/invariants.js';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { expectMigratedSafely, FAST } from './helpers/resilience.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

/**
 * An order answered `status: "pending"` whose line items do not name their subscription yet (order status
 * `pending` is documented, API reference §4) is an order still being fulfilled, not a failed purchase:
 * await-provisioning finds the subscription by the order's nickname tag and waits for it.
 */
describe('a new order answered as pending, without its subscription id', () => {
  it('is waited for and the migration completes, with one order per customer', async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 300, replies: { pendingOrders: true } } });
    const env = demoEnv(sim, FAST);
    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    const out = apply.stdout + apply.stderr;

    expect(apply.code, out).toBe(0);
    expect(out).not.toMatch(/did not report a subscription id/);
    expectMigratedSafely(sim.audit.entries);
    expect(retriedWrites(sim.audit.entries)).toEqual([]);
  });
});
