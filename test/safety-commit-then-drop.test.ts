import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, licences, posts } from './helpers/safety.js';
import { ordersPerCustomer, suspendsWithConsumedUnits, usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());


describe('commit then drop: the write is applied, the reply never arrives', () => {
  it('an order POST whose connection drops after commit leaves one order, not two, and is never POSTed again', async () => {
    // The provisioning delay hides the new subscription from the subscriptions list, so only the orders list can tell.
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 400, faults: { dropAfterCommit: { route: 'order.create', times: 1 } } } });
    const res = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim, { PCSYNC_POLL_MS: '50' }), cwd: repoRoot });

    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stderr).toMatch(/order outcome was unknown \(.+\); re-listing found subscription/);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    const orderPosts = posts(sim, '/orders');
    expect(orderPosts).toHaveLength(2);
    expect(new Set(orderPosts.map((p) => p.customerId))).toEqual(new Set([CONTOSO, FABRIKAM]));
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
    for (const [upn, held] of licences(sim, CONTOSO)) if (['frank', 'grace'].every((n) => !upn.startsWith(n))) expect(held).toContain(SKU.salesPro);
  });

  it('dropped licence updates and a dropped suspend are read back instead of being sent again', async () => {
    sim = await startSim({
      scenario: 'demo',
      options: {
        faults: {
          dropAfterCommit: [
            { route: 'licenses.update', times: 2 },
            { route: 'subscription.patch', times: 1 },
          ],
        },
      },
    });
    const res = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim), cwd: repoRoot });

    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stderr.match(/reading the user's licences back shows the move happened/g)).toHaveLength(2);
    expect(res.stderr).toMatch(/reading it back shows it suspended/);
    // one licence update per user, each one change; one suspend PATCH per old subscription
    const updates = posts(sim, '/licenseupdates');
    expect(updates).toHaveLength(8);
    expect(new Set(updates.map((u) => u.path)).size).toBe(8);
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toHaveLength(8);
    expect(sim.audit.requests().filter((e) => e.method === 'PATCH')).toHaveLength(2);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);

    const again = await runCli(['plan'], { env: demoEnv(sim), cwd: repoRoot });
    expect(again.code, again.stdout).toBe(0);
  });
});
