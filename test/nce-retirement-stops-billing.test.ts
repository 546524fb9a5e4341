import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { leavingSalesEnterprise } from './helpers/nce.js';
import { byOutcome, planThenApplySaved } from './helpers/reviewed-path.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';
import { billedUntil } from '../src/sim/invariants.js';
import { usersEverUnlicensed } from '../src/sim/invariants.js';
import { SKU } from '../src/sim/scenarios/catalog.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** A desired-state directory with one customer moving off the new-commerce Sales Enterprise subscription. */
const desired = (customerId: string, status: string) =>
  leavingSalesEnterprise({ customer: { id: customerId, replacement: '    offer: Dynamics 365 for Sales Professional', status } });

const oldSub = (customerId: string) => sim.state.customer(customerId)!.subscriptions.find((s) => s.offerId === NCE.salesEnterpriseOffer)!;
const statusChanges = (to: string) => sim.audit.entries.filter((e) => e.type === 'subscription-changed' && e.field === 'status' && e.after === to);
const GROUPS = [[NCE.salesEnterpriseSku, SKU.salesPro]];

describe('retiring a new-commerce subscription stops its billing', () => {
  it('inside the cancellation window: bought, users moved, the old subscription cancelled (not suspended), billing stops now', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = desired(NCE_CUSTOMERS.inWindow, 'retired');
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/! cancel .*Dynamics 365 Sales Enterprise/);
    // The comment reviewers approve names the cancel as a cancel, not as a suspend.
    const md = await runCli(['plan', '--dir', dir, '--format', 'markdown'], { env: demoEnv(sim) });
    expect(md.stdout).toContain('✖️ **cancel**');
    expect(md.stdout).not.toContain('⏸️ **suspend**');

    const { apply } = await planThenApplySaved(sim, dir);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(oldSub(NCE_CUSTOMERS.inWindow).status).toBe('deleted');
    expect(statusChanges('suspended')).toEqual([]);
    expect(usersEverUnlicensed(sim.audit.entries, GROUPS)).toEqual([]);
    const billed = billedUntil(oldSub(NCE_CUSTOMERS.inWindow));
    expect(billed.until).not.toBe('open-ended');
    expect(Date.parse(billed.until)).toBeLessThanOrEqual(Date.now());
    expect((await runCli(['plan', '--dir', dir], { env: demoEnv(sim) })).code).toBe(0);
  });

  it('past the window: auto-renew off with a cancel at term end, the plan says until when the seats are paid', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const termEnd = oldSub(NCE_CUSTOMERS.pastWindow).commitmentEndDate;
    const dir = desired(NCE_CUSTOMERS.pastWindow, 'retired');
    const plan = await runCli(['plan', '--dir', dir, '--format', 'json'], { env: demoEnv(sim) });
    expect(plan.code, plan.stderr).toBe(2);
    const retire = (JSON.parse(plan.stdout) as { customers: { actions: { kind: string; retirement?: string; paidUntil?: string; paidSeats?: number }[]; warnings: { code: string }[] }[] }).customers[0]!;
    // The plan JSON names the action for what it does: a tool reading it never sees a suspension.
    expect(retire.actions.map((a) => a.kind)).not.toContain('suspend');
    expect(retire.actions.find((a) => a.kind === 'end-at-term')).toMatchObject({ paidUntil: termEnd, paidSeats: 3 });
    expect(retire.actions.find((a) => a.kind === 'end-at-term')).not.toHaveProperty('retirement');
    expect(retire.warnings.map((w) => w.code)).toContain('paid-until-term-end');
    const text = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(text.stdout).toContain(`3 seat(s) paid until ${termEnd}`);

    const { apply } = await planThenApplySaved(sim, dir);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const sub = oldSub(NCE_CUSTOMERS.pastWindow);
    expect(sub).toMatchObject({ status: 'active', autoRenewEnabled: false, cancelAtTermEnd: true });
    expect(billedUntil(sub)).toEqual({ until: termEnd, why: 'ends at term end' });
    expect(statusChanges('suspended')).toEqual([]);
    expect(usersEverUnlicensed(sim.audit.entries, GROUPS)).toEqual([]);
    expect((await runCli(['plan', '--dir', dir], { env: demoEnv(sim) })).code).toBe(0);
  });

  it('status: suspended on a new-commerce subscription is blocked with the reason; apply writes nothing for it', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = desired(NCE_CUSTOMERS.pastWindow, 'suspended');
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(plan.code).toBe(3);
    expect(plan.stdout).toMatch(/suspend-keeps-billing: .*suspending it does not stop billing/);
    expect(plan.stdout).toMatch(/status: ends-at-term/);
    const { apply } = await planThenApplySaved(sim, dir);
    expect(apply.code).toBe(4);
    expect(sim.audit.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('status: cancelled past the window is blocked, naming the date and the way out', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const plan = await runCli(['plan', '--dir', desired(NCE_CUSTOMERS.pastWindow, 'cancelled')], { env: demoEnv(sim) });
    expect(plan.code).toBe(3);
    expect(plan.stdout).toMatch(/cancellation-window-passed: .*its cancellation window ended \d{4}-/);
  });
});

/** The new-commerce scenario with Tailspin's cancellation window ending `ms` after start-up. */
function windowEndingIn(ms: number) {
  const scenario = loadScenario('new-commerce');
  const tailspin = scenario.customers.find((c) => c.id === NCE_CUSTOMERS.inWindow)!;
  tailspin.subscriptions[0]!.cancellationAllowedUntilDate = new Date(Date.now() + ms).toISOString();
  return scenario;
}

describe('a cancel whose window closes before it runs takes the end-at-term fallback the reviewer approved', () => {
  it('the plan carries the fallback; the window closes while the replacement provisions; apply ends it at term end instead, and it never renews', async () => {
    sim = await startSim({ scenario: windowEndingIn(4_000), options: { provisioningDelayMs: 5_000 } });
    const termEnd = oldSub(NCE_CUSTOMERS.inWindow).commitmentEndDate;
    const dir = desired(NCE_CUSTOMERS.inWindow, 'retired');
    const run = await planThenApplySaved(sim, dir, { env: { PCSYNC_POLL_MS: '500' } });
    // What the reviewer approved names both: the cancel, and what happens if the window has closed by then.
    expect(run.plan.stdout).toMatch(/! cancel .*cancelled now \(possible until .*\); if the window has closed by then: auto-renew off and cancelled at term end, 3 seat\(s\) paid until/);
    expect(byOutcome(run, 'applied').map((c) => c.customerId)).toEqual([NCE_CUSTOMERS.inWindow]);
    expect(run.apply.stdout).toMatch(/not cancelled — its cancellation window closed .*; took the approved fallback instead: set to end at term end/);
    const sub = oldSub(NCE_CUSTOMERS.inWindow);
    expect(sub).toMatchObject({ status: 'active', autoRenewEnabled: false, cancelAtTermEnd: true });
    expect(billedUntil(sub)).toEqual({ until: termEnd, why: 'ends at term end' });
    // pcsync saw the window closed and did not send a cancel the service would refuse
    expect(statusChanges('deleted')).toEqual([]);
    expect(sim.audit.entries.filter((e) => e.type === 'request' && e.status === 400)).toEqual([]);
    expect(usersEverUnlicensed(sim.audit.entries, GROUPS)).toEqual([]);
  }, 30_000);

  it("Partner Center's clock says the window has closed (400, 900117) although pcsync's says open: the fallback is taken, exit 0", async () => {
    sim = await startSim({ scenario: windowEndingIn(3_600_000), options: { clockSkewMs: 2 * 3_600_000 } });
    const dir = desired(NCE_CUSTOMERS.inWindow, 'retired');
    const run = await planThenApplySaved(sim, dir);
    expect(run.apply.code, run.apply.stdout).toBe(0);
    expect(run.apply.stdout).toMatch(/not cancelled — Partner Center refused the cancel: .*900117.*; took the approved fallback instead: set to end at term end/);
    expect(oldSub(NCE_CUSTOMERS.inWindow)).toMatchObject({ status: 'active', autoRenewEnabled: false, cancelAtTermEnd: true });
  });
});
