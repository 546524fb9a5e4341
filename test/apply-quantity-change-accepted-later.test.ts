import { afterEach, describe, expect, it } from 'vitest';
import { retriedWrites, suspendsWithConsumedUnits, usersEverUnlicensed } from '../src/sim/invariants.js';
import type { SubscriptionChangedEntry } from '../src/sim/audit.js';
import { CONTOSO, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import { demoWithTooFewSeats, SALES_PRO_SUB } from './helpers/quantity.js';
import { FAST } from './helpers/resilience.js';
import { DEMO_SKU_GROUPS, licences, posts } from './helpers/safety.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

/**
 * Partner Center may answer a subscription PATCH with 202 Accepted, a Location and no body, and apply the change
 * later (API reference §5 and its 2026-11 additions). pcsync must treat that as success-to-come: poll until the
 * change shows, then go on — for the quantity change before the licence moves, and for the suspend.
 */
describe('a subscription PATCH answered 202 Accepted is polled until the change shows', () => {
  it('raises the quantity, waits for it, moves every user and suspends the old subscriptions, all through 202s', async () => {
    sim = await startSim({ scenario: demoWithTooFewSeats(), options: { asyncPatch: { delayMs: 300 } } });
    const env = demoEnv(sim, FAST);
    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    const out = apply.stdout + apply.stderr;

    expect(apply.code, out).toBe(0);
    expect(out).not.toMatch(/must have required property/);
    const patches = sim.audit.requests().filter((e) => e.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([202, 202, 202]); // Contoso quantity + two suspends, none sent twice
    expect(retriedWrites(sim.audit.entries)).toEqual([]);

    const changes = sim.audit.entries.filter((e): e is SubscriptionChangedEntry => e.type === 'subscription-changed');
    const quantity = changes.find((e) => e.field === 'quantity');
    expect(quantity).toMatchObject({ subscriptionId: SALES_PRO_SUB, before: 2, after: 5 });
    // Every Contoso licence move came after the quantity change had landed: none was refused for want of seats.
    const contosoMoves = sim.audit.entries.filter((e) => e.type === 'licenses-changed' && e.customerId === CONTOSO);
    expect(contosoMoves).toHaveLength(5);
    for (const m of contosoMoves) expect(m.seq).toBeGreaterThan(quantity!.seq);
    expect(posts(sim, '/licenseupdates').filter((p) => p.status !== 201)).toEqual([]);

    expect(changes.filter((e) => e.field === 'status' && e.after === 'suspended')).toHaveLength(2);
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
    for (const upn of ['alice', 'bob', 'carol', 'dave', 'erin']) expect(licences(sim, CONTOSO).get(`${upn}@contoso.onmicrosoft.com`)).toContain(SKU.salesPro);
    expect(sim.state.customer(CONTOSO)!.subscriptions.find((s) => s.id === SALES_PRO_SUB)!.quantity).toBe(5);

    const again = await runCli(['plan'], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('stops waiting after PCSYNC_CHANGE_TIMEOUT_MS with a clear message, moves nobody and suspends nothing', async () => {
    sim = await startSim({ scenario: demoWithTooFewSeats(), options: { asyncPatch: { delayMs: 5_000 } } });
    const env = demoEnv(sim, { ...FAST, PCSYNC_CHANGE_TIMEOUT_MS: '400' });
    const apply = await runCli(['apply', '--auto-approve', '--customer', CONTOSO], { env, cwd: repoRoot });
    const out = apply.stdout + apply.stderr;

    expect(apply.code, out).toBe(4);
    expect(out).toMatch(/quantity change to 5 not confirmed: Partner Center accepted it \(HTTP 202\).*did not show within/);
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toEqual([]);
    expect(sim.audit.requests().filter((e) => e.method === 'PATCH')).toHaveLength(1);
  });
});
