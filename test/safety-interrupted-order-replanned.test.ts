import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv, replaced, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, journal, onAudit, stateDir } from './helpers/safety.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../src/sim/invariants.js';
import type { Plan } from '../src/plan/types.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * An apply killed right after its first order, then a plan made from other inputs while that order is still being
 * provisioned: the purchase's nickname differs from the one the killed run ordered under. Found by a flake of
 * safety-ctrl-c: the second run read the subscribed SKUs just after the order's subscription showed there, but the
 * subscriptions list just before — one seat fewer to buy, another nickname, and the customer was blocked by "an order
 * placed by another pcsync run" that was its own. Here a seat of headroom added to the desired state does: the
 * order found has the seats the users need, and the next plan adds the headroom.
 */
describe('an order of an interrupted apply, re-planned under another nickname', () => {
  it('is its own, not a foreign pending order: the reviewed plan buys nothing twice and apply waits for that order', async () => {
    // the order stays invisible for 6 s: plan and the re-plan of apply see it only in the orders list
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 6_000 } });
    const state = stateDir();
    const dir = copyDesiredState();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '100' });
    let child: ChildProcess | undefined;
    const stop = onAudit(sim, (e) => {
      if (e.type === 'order-created') child?.kill('SIGKILL');
    });
    const first = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot, onSpawn: (c) => (child = c) });
    stop();
    expect(first.code, first.stderr).toBe(128); // killed (runCli: 128 for a signal)
    const ordered = Object.keys(ordersPerCustomer(sim.audit.entries));
    expect(ordered.length).toBeGreaterThanOrEqual(1);
    const startedTags = journal(state).flatMap((r) => (r.type === 'action-start' && r.tag ? [r.tag] : []));
    expect(startedTags.length).toBeGreaterThanOrEqual(1);

    // the pull request gains a commit: one seat of headroom, so each purchase is one seat larger, under another nickname
    const config = join(dir, 'pcsync.yaml');
    writeFileSync(config, replaced(readFileSync(config, 'utf8'), 'seatHeadroom: 0', 'seatHeadroom: 1'));
    const planFile = join(dir, 'plan.json');
    const planned = await runCli(['plan', '--out', planFile, '--dir', dir], { env, cwd: repoRoot });
    expect(planned.code, planned.stdout + planned.stderr).toBe(2);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    for (const id of ordered) {
      const c = plan.customers.find((x) => x.customerId === id)!;
      // still being provisioned (else this test proves nothing): the purchase is planned again, under a new nickname
      const purchase = c.actions.find((a) => a.kind === 'purchase');
      expect(purchase, `${id}: the order of the killed run was provisioned before plan read it; raise provisioningDelayMs`).toBeDefined();
      expect(startedTags).not.toContain(purchase!.kind === 'purchase' && purchase!.friendlyName);
      expect(c.blockers.map((b) => b.code)).not.toContain('order-pending');
    }

    const applied = await runCli(['apply', planFile, '--approved-hash', plan.actionsHash, '--dir', dir], { env, cwd: repoRoot });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr).toMatch(/already exists \(found by its nickname\)/);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toHaveLength(8);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });
});
