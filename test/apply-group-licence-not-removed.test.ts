import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, type Scenario } from '../src/sim/index.js';
import { suspendsWithConsumedUnits, usersEverUnlicensed } from '../src/sim/invariants.js';
import { CONTOSO, FABRIKAM, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import { FAST } from './helpers/resilience.js';
import { DEMO_SKU_GROUPS, licences, posts } from './helpers/safety.js';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

const ALICE = 'alice@contoso.onmicrosoft.com';
const CONTOSO_OLD_SUB = 'A1B2C3D4-0000-4000-8000-000000000101';

/** The demo, with Alice holding the retired Sales licence through a group instead of directly. */
function demoWithGroupLicence(): Scenario {
  const s = structuredClone(loadScenario('demo'));
  const alice = s.customers.find((c) => c.id === CONTOSO)!.users.find((u) => u.upn === ALICE)!;
  alice.groupLicenses = [SKU.oldSales];
  return s;
}

/**
 * A licence inherited from a group cannot be removed from one user; Partner Center refuses the licence update
 * (API reference, 2026-11 additions). The user must keep access, the old subscription must not be suspended,
 * and the summary must name the cause.
 */
describe('a licence assigned through a group is never removed per user', () => {
  it('the refused move leaves the user licensed, the old subscription active, and the summary names the group', async () => {
    sim = await startSim({ scenario: demoWithGroupLicence() });
    const apply = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim, FAST), cwd: repoRoot });
    const out = apply.stdout + apply.stderr;

    expect(apply.code, out).toBe(4);
    expect(out).toContain(`${ALICE}: licence assigned through a group: change the group's licence`);
    const aliceUpdates = posts(sim, '/licenseupdates').filter((p) => p.path.includes(sim!.state.customer(CONTOSO)!.users.find((u) => u.upn === ALICE)!.id));
    expect(aliceUpdates.map((p) => p.status)).toEqual([400]);

    // Alice was never without the licence and still holds it; the retired subscription was never touched.
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
    expect(licences(sim, CONTOSO).get(ALICE)).toContain(SKU.oldSales);
    expect(sim.audit.requests().filter((e) => e.method === 'PATCH' && e.path.endsWith(CONTOSO_OLD_SUB))).toEqual([]);
    expect(sim.state.customer(CONTOSO)!.subscriptions.find((s) => s.id === CONTOSO_OLD_SUB)!.status).toBe('active');
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);

    // The refusal concerns Alice alone: everyone else at Contoso is moved (but the suspend still waits for her).
    for (const upn of ['bob', 'carol', 'dave', 'erin']) {
      const held = licences(sim, CONTOSO).get(`${upn}@contoso.onmicrosoft.com`);
      expect([upn, held?.includes(SKU.salesPro), held?.includes(SKU.oldSales)]).toEqual([upn, true, false]);
    }
    expect(out).toMatch(/suspend\/legacy-sales: not started: an earlier action of this customer failed/);

    // The other customer is not held up by it.
    expect(sim.state.customer(FABRIKAM)!.subscriptions.every((s) => s.offerId.startsWith('0D365') ? s.status === 'suspended' : true)).toBe(true);
  });

  it('the simulator refuses removing a group licence with a licence-update failure and changes nothing', async () => {
    sim = await startSim({ scenario: demoWithGroupLicence() });
    const alice = sim.state.customer(CONTOSO)!.users.find((u) => u.upn === ALICE)!;
    const res = await api(sim.url, 'POST', `/v1/customers/${CONTOSO}/users/${alice.id}/licenseupdates`, {
      body: { licensesToAssign: [{ skuId: SKU.salesPro }], licensesToRemove: [SKU.oldSales] },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(60000);
    expect(res.body.description).toMatch(/inherited from a group/);
    // Partner Center's licence listing has no assignment-source field: the group licence shows like any other.
    const held = await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/users/${alice.id}/licenses`);
    expect(held.body.items.map((l: { productSku: { id: string } }) => l.productSku.id)).toContain(SKU.oldSales);
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toEqual([]);
  });
});
