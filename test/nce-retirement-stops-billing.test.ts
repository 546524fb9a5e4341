import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';
import { billedUntil } from '../src/sim/invariants.js';
import { usersEverUnlicensed } from '../src/sim/invariants.js';
import { SKU } from '../src/sim/scenarios/catalog.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** A desired-state directory with one customer moving off the new-commerce Sales Enterprise subscription. */
function desired(customerId: string, status: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-nce-'));
  mkdirSync(join(dir, 'customers'));
  writeFileSync(
    join(dir, 'customers', 'customer.yaml'),
    `apiVersion: pcsync/v1
kind: Customer
customer:
  id: ${customerId}
subscriptions:
  sales-pro:
    offer: Dynamics 365 for Sales Professional
    quantity: auto
  old-sales:
    match:
      offerName: ${NCE.salesEnterpriseName}
    status: ${status}
licenses:
  - subscription: sales-pro
    from: old-sales
`,
  );
  return dir;
}

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

    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim) });
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
    expect(retire.actions.find((a) => a.kind === 'suspend')).toMatchObject({ retirement: 'end-at-term', paidUntil: termEnd, paidSeats: 3 });
    expect(retire.warnings.map((w) => w.code)).toContain('paid-until-term-end');
    const text = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(text.stdout).toContain(`3 seat(s) paid until ${termEnd}`);

    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim) });
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
    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim) });
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
