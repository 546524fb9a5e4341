import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, licences, posts, stateDir } from './helpers/safety.js';
import { OFFER } from '../src/sim/scenarios/catalog.js';
import { ordersPerCustomer, usersEverUnlicensed, writeRequests } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const contosoPosts = () => posts(sim, '/orders').filter((e) => e.path.includes(CONTOSO));

describe('an order for the replacement that pcsync did not place is still provisioning', () => {
  it('shows in the plan, stops a second purchase at that customer, and its seats are used once it is provisioned', async () => {
    // Someone bought Sales Professional ×5 for Contoso in the portal; its subscription is not visible yet.
    sim = await startSim({
      scenario: 'demo',
      options: { foreignOrders: [{ customerId: CONTOSO, offerId: OFFER.salesPro, quantity: 5, friendlyName: 'Sales Pro for the sales team' }] },
    });
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: stateDir() });

    const plan = await runCli(['plan'], { env, cwd: repoRoot });
    expect(plan.code, plan.stdout + plan.stderr).toBe(3);
    expect(plan.stdout).toContain('order-pending');
    expect(plan.stdout).toMatch(/order [0-9a-f-]+ for 5 × "Dynamics 365 for Sales Professional" at Contoso Ltd .* not provisioned yet/);
    expect(plan.stdout).toContain('Sales Pro for the sales team');
    expect(writeRequests(sim.audit.entries)).toEqual([]);

    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    // Exactly one order at Contoso: the foreign one. pcsync sent none there, and nothing else changed there.
    expect(sim.state.customer(CONTOSO)!.orders).toHaveLength(1);
    expect(contosoPosts()).toEqual([]);
    expect(writeRequests(sim.audit.entries).filter((e) => e.path.includes(CONTOSO))).toEqual([]);
    // Fabrikam is not affected by Contoso's pending order.
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [FABRIKAM]: 1 });

    // The order completes: its subscription is now listed, so its five seats serve the five movers.
    for (const s of sim.state.customer(CONTOSO)!.subscriptions) s.visibleFrom = 0;
    const again = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(contosoPosts()).toEqual([]);
    expect(sim.state.customer(CONTOSO)!.orders).toHaveLength(1);
    const held = licences(sim, CONTOSO);
    for (const u of ['alice', 'bob', 'carol', 'dave', 'erin']) expect(held.get(`${u}@contoso.onmicrosoft.com`)).toContain(SKU.salesPro);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });

  it('does not stop a purchase of another offer, and a completed foreign order is not pending', async () => {
    // A pending order for Office 365 E3 (another offer) and none for the replacement: Contoso is bought as usual.
    sim = await startSim({ scenario: 'demo', options: { foreignOrders: [{ customerId: CONTOSO, offerId: OFFER.e3, quantity: 2 }] } });
    const res = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim), cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
  });

  it('placed after a saved plan was reviewed: apply refuses that customer as stale and orders nothing there', async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayByCustomer: { [CONTOSO]: 3_600_000 } } });
    const planFile = join(mkdtempSync(join(tmpdir(), 'pcsync-foreign-')), 'plan.json');
    const plan = await runCli(['plan', '--out', planFile], { env: demoEnv(sim), cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(2);

    // Meanwhile someone buys Sales Professional for Contoso in the portal; it is still provisioning.
    const bought = await api(sim.url, 'POST', `/v1/customers/${CONTOSO}/orders`, {
      body: { lineItems: [{ lineItemNumber: 0, offerId: OFFER.salesPro, quantity: 5, friendlyName: 'bought in the portal' }] },
    });
    expect(bought.status).toBe(201);
    const mark = contosoPosts().length;

    const apply = await runCli(['apply', planFile], { env: demoEnv(sim), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    expect(apply.stdout).toMatch(/skipped-stale +Contoso Ltd/);
    expect(contosoPosts()).toHaveLength(mark);
    expect(ordersPerCustomer(sim.audit.entries)[CONTOSO]).toBe(1);
  });
});
