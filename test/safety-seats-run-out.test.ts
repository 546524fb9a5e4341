import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, licences, stateDir } from './helpers/safety.js';
import { ordersPerCustomer, suspendsWithConsumedUnits, usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const MOVERS = ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => `${n}@contoso.onmicrosoft.com`);

describe('seats run out midway (60012)', () => {
  it('stops that customer cleanly: moved users stay moved, the rest keep the old licence, no suspend, and the summary says who is where', async () => {
    // After the second licence move at Contoso, someone else gives the new licence to frank and grace:
    // of the 5 seats bought only 1 is left for the 3 users still to move.
    sim = await startSim({
      scenario: 'demo',
      options: { faults: { seatsTaken: { customerId: CONTOSO, skuId: SKU.salesPro, after: 2, users: ['frank@contoso.onmicrosoft.com', 'grace@contoso.onmicrosoft.com'] } } },
    });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state });
    const res = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(4);

    // live state: every mover holds exactly one of the two licences; three moved, two kept the old one
    const held = licences(sim, CONTOSO);
    const moved = MOVERS.filter((u) => held.get(u)!.includes(SKU.salesPro));
    const kept = MOVERS.filter((u) => held.get(u)!.includes(SKU.oldSales));
    expect(moved).toHaveLength(3);
    expect(kept).toHaveLength(2);
    expect([...moved, ...kept].sort()).toEqual([...MOVERS].sort());
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);

    // the summary says exactly that, per user
    expect(res.stdout).toMatch(/failed-terminal +Contoso Ltd \(8f2b1c3d-[^)]+\): stopped: .+no licences left on the new subscription/);
    expect(res.stdout).toContain('Who holds what now:');
    for (const u of moved) expect(res.stdout).toMatch(new RegExp(`moved +${u}: Dynamics 365 for Sales Professional`));
    for (const u of kept) expect(res.stdout).toMatch(new RegExp(`not-moved +${u}: Dynamics 365 for Sales Enterprise Edition CRMOL Basic`));
    expect(res.stdout).toMatch(/not-started +8f2b1c3d-[^ ]+\/suspend\/legacy-sales/);

    // no suspend at Contoso (its old subscription still serves two users); Fabrikam went ahead on its own
    const statusChanges = sim.audit.entries.filter((e) => e.type === 'subscription-changed' && e.field === 'status');
    expect(statusChanges.map((e) => e.type === 'subscription-changed' && e.customerId)).toEqual([FABRIKAM]);
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    expect(res.stdout).toMatch(/applied +Fabrikam Government/);

    // the next apply buys the two missing seats, moves the rest and only then suspends
    const again = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const after = licences(sim, CONTOSO);
    for (const u of MOVERS) expect(after.get(u)).not.toContain(SKU.oldSales);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });

  it('with --json the customer-end event lists every user with where they are', async () => {
    sim = await startSim({
      scenario: 'demo',
      options: { faults: { seatsTaken: { customerId: CONTOSO, skuId: SKU.salesPro, after: 1, users: ['frank@contoso.onmicrosoft.com', 'grace@contoso.onmicrosoft.com'] } } },
    });
    const res = await runCli(['apply', '--auto-approve', '--json'], { env: demoEnv(sim), cwd: repoRoot });
    expect(res.code, res.stderr).toBe(4);
    const end = res.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'customer-end' && e.customerId === CONTOSO);
    const held = licences(sim, CONTOSO);
    expect(end.users).toHaveLength(5);
    for (const u of end.users) {
      expect(u.where).toBe(held.get(u.upn)!.includes(SKU.salesPro) ? 'moved' : 'not-moved');
    }
    expect(end.users.filter((u: { where: string }) => u.where === 'moved').length).toBeGreaterThanOrEqual(1);
  });
});
