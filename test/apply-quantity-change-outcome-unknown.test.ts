import { afterEach, describe, expect, it } from 'vitest';
import { retriedWrites, suspendsWithConsumedUnits, usersEverUnlicensed } from '../src/sim/invariants.js';
import { CONTOSO, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import { demoWithTooFewSeats, SALES_PRO_SUB } from './helpers/quantity.js';
import { FAST } from './helpers/resilience.js';
import { DEMO_SKU_GROUPS, licences, posts } from './helpers/safety.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

/**
 * A quantity change whose reply never comes (dropped connection) or says 5xx although Partner Center made the
 * change: pcsync reads the subscription back before deciding, as it does for purchases, licence moves and
 * suspends — it neither fails the customer for a change that happened nor sends the PATCH again.
 */
describe('a quantity change with an unknown outcome is read back before deciding', () => {
  const cases = [
    { name: 'the connection drops after the change was made', rule: {} },
    { name: 'Partner Center answers 503 after making the change', rule: { status: 503 as const } },
  ];
  for (const c of cases) {
    it(`${c.name}: the read-back shows the new quantity, the users move, nothing is sent twice`, async () => {
      sim = await startSim({
        scenario: demoWithTooFewSeats(),
        options: { faults: { dropAfterCommit: { route: 'subscription.patch', customerId: CONTOSO, times: 1, ...c.rule } } },
      });
      const env = demoEnv(sim, FAST);
      const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
      const out = apply.stdout + apply.stderr;

      expect(apply.code, out).toBe(0);
      expect(out).toMatch(/reading it back shows quantity 5/);
      const quantityPatches = sim.audit.requests().filter((e) => e.method === 'PATCH' && e.path.endsWith(SALES_PRO_SUB));
      expect(quantityPatches).toHaveLength(1);
      expect(retriedWrites(sim.audit.entries)).toEqual([]);
      expect(sim.audit.entries.filter((e) => e.type === 'subscription-changed' && e.field === 'quantity')).toHaveLength(1);
      expect(posts(sim, '/licenseupdates').filter((p) => p.status !== 201)).toEqual([]);
      for (const upn of ['alice', 'bob', 'carol', 'dave', 'erin']) expect(licences(sim, CONTOSO).get(`${upn}@contoso.onmicrosoft.com`)).toContain(SKU.salesPro);
      expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
      expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    });
  }

  it('a change that did not happen is reported as not confirmed, and nothing after it is sent', async () => {
    // The connection drops before the PATCH is processed: the read-back shows the old quantity.
    sim = await startSim({ scenario: demoWithTooFewSeats(), options: { dropConnections: { match: ['PATCH'], times: 1 } } });
    const apply = await runCli(['apply', '--auto-approve', '--customer', CONTOSO], { env: demoEnv(sim, FAST), cwd: repoRoot });
    const out = apply.stdout + apply.stderr;

    expect(apply.code, out).toBe(4);
    expect(out).toMatch(/quantity change to 5 not confirmed: .*Read back: it does not show quantity 5 \(quantity 2/);
    expect(sim.audit.requests().filter((e) => e.method === 'PATCH')).toHaveLength(1);
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toEqual([]);
  });
});
