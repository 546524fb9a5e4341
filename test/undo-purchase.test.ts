import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { leavingSalesEnterprise, salesProNewCommerce } from './helpers/nce.js';
import { emptyDesiredState, planThenApplySaved } from './helpers/reviewed-path.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';
import { SKU } from '../src/sim/scenarios/catalog.js';
import { billedUntil, ordersPerCustomer, usersEverUnlicensed, writeRequests } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const DAY = 24 * 3600 * 1000;
const GROUPS = [[NCE.salesEnterpriseSku, SKU.salesPro]];
/** Wingtip leaves its new-commerce Sales Enterprise (past its own window: it ends at term, seats kept) for new-commerce Sales Professional. */
const wingtipToSalesPro = () => leavingSalesEnterprise({ wingtip: { id: NCE_CUSTOMERS.pastWindow, replacement: salesProNewCommerce() } });
const subs = () => sim.state.customer(NCE_CUSTOMERS.pastWindow)!.subscriptions;
const bought = () => subs().find((s) => s.offerId.startsWith(NCE.salesProOffer.split(':')[0]!) && s.friendlyName?.startsWith('pcsync'))!;
const users = () => sim.state.customer(NCE_CUSTOMERS.pastWindow)!.users;

/** issue 25 Done-when 4: `pcsync undo` of an applied plan, through the reviewed path (undo --out, apply --approved-hash). */
describe('pcsync undo takes back a purchase while it can be undone', () => {
  it('inside the window: users go back to their old licence in one call each (never unlicensed), the purchase is cancelled, billing stops', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = wingtipToSalesPro();
    const run = await planThenApplySaved(sim, dir);
    expect(run.apply.code, run.apply.stdout + run.apply.stderr).toBe(0);
    // the plan that bought it already said how long it could be taken back
    expect(run.plan.stdout).toContain('can be undone (pcsync undo) until 7 days after the order');
    expect(users().filter((u) => u.licenses.includes(SKU.salesPro)).length).toBeGreaterThan(0);
    const movedOnto = users().filter((u) => u.licenses.includes(SKU.salesPro)).map((u) => u.upn).sort();
    const purchase = bought();
    expect(purchase.status).toBe('active');

    const work = mkdtempSync(join(tmpdir(), 'pcsync-undo-'));
    const undoFile = join(work, 'undo.json');
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: join(work, 'state'), PCSYNC_POLL_MS: '20' });
    const writesBefore = writeRequests(sim.audit.entries).length;
    const undo = await runCli(['undo', run.planFile, '--dir', dir, '--out', undoFile], { env });
    expect(undo.code, undo.stdout + undo.stderr).toBe(2);
    expect(writeRequests(sim.audit.entries)).toHaveLength(writesBefore);
    expect(undo.stdout).toMatch(/cancel .*Dynamics 365 (for )?Sales Professional/);
    expect(undo.stdout).toContain('goes back to Dynamics 365 Sales Enterprise');
    expect(undo.stdout).toMatch(/^Undo of the applied plan sha256:[0-9a-f]{64}/);
    // the old subscription the users go back to was set to end at its term by the applied plan: said, with the date
    expect(undo.stdout).toMatch(/undo-back-to-ending-subscription: users go back to a licence whose subscription is set to end/);
    const hash = String(JSON.parse(readFileSync(undoFile, 'utf8')).actionsHash);

    const apply = await runCli(['apply', undoFile, '--dir', dir, '--approved-hash', hash], { env });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const after = subs().find((s) => s.id === purchase.id)!;
    expect(after.status).toBe('deleted');
    expect(Date.parse(billedUntil(after).until)).toBeLessThanOrEqual(Date.now());
    // every user the run moved holds Sales Enterprise again and not Sales Professional; nobody was ever unlicensed
    for (const upn of movedOnto) {
      const u = users().find((x) => x.upn === upn)!;
      expect([upn, u.licenses.includes(NCE.salesEnterpriseSku), u.licenses.includes(SKU.salesPro)]).toEqual([upn, true, false]);
    }
    expect(usersEverUnlicensed(sim.audit.entries, GROUPS)).toEqual([]);
    // undoing again finds nothing left to take back
    const again = await runCli(['undo', run.planFile, '--dir', dir], { env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    // buying again after the undo places a new order at once: the cancelled one with the same nickname is not "it"
    const rebuy = await planThenApplySaved(sim, dir);
    expect(rebuy.apply.code, rebuy.apply.stdout + rebuy.apply.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [NCE_CUSTOMERS.pastWindow]: 2 });
    expect(usersEverUnlicensed(sim.audit.entries, GROUPS)).toEqual([]);
  });

  it('an undo plan applied after the window closed is refused before anyone is moved back (the cancel would fail and the seats stay paid)', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = wingtipToSalesPro();
    const run = await planThenApplySaved(sim, dir);
    expect(run.apply.code, run.apply.stdout + run.apply.stderr).toBe(0);
    const work = mkdtempSync(join(tmpdir(), 'pcsync-undo-'));
    const undoFile = join(work, 'undo.json');
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: join(work, 'state'), PCSYNC_POLL_MS: '20' });
    expect((await runCli(['undo', run.planFile, '--dir', dir, '--out', undoFile], { env })).code).toBe(2);
    const later = new Date(Date.now() + 8 * DAY).toISOString();
    await api(sim.url, 'POST', `/_sim/clock?to=${encodeURIComponent(later)}`, { token: null });
    const writesBefore = writeRequests(sim.audit.entries).length;
    const hash = String(JSON.parse(readFileSync(undoFile, 'utf8')).actionsHash);
    const apply = await runCli(['apply', undoFile, '--dir', dir, '--approved-hash', hash], { env: { ...env, PCSYNC_NOW: later } });
    expect(apply.code, apply.stdout + apply.stderr).not.toBe(0);
    expect(apply.stdout + apply.stderr).toMatch(/can no longer be undone: its cancellation window closed/);
    expect(writeRequests(sim.audit.entries)).toHaveLength(writesBefore);
    expect(bought().status).toBe('active');
  });

  it('a customer whose desired-state file is gone is named, not "nothing to undo" (exit 3)', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const run = await planThenApplySaved(sim, wingtipToSalesPro());
    expect(run.apply.code, run.apply.stdout + run.apply.stderr).toBe(0);
    const undo = await runCli(['undo', run.planFile, '--dir', emptyDesiredState()], { env: demoEnv(sim) });
    expect(undo.code, undo.stdout + undo.stderr).toBe(3);
    expect(undo.stderr).toContain(`bought something but have no file in`);
    expect(undo.stderr).toContain(NCE_CUSTOMERS.pastWindow);
  });

  it('after the window: refused before anything is sent, naming what can still be done (end at term)', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = wingtipToSalesPro();
    const run = await planThenApplySaved(sim, dir);
    expect(run.apply.code, run.apply.stdout + run.apply.stderr).toBe(0);
    const later = new Date(Date.now() + 8 * DAY).toISOString();
    await api(sim.url, 'POST', `/_sim/clock?to=${encodeURIComponent(later)}`, { token: null });
    const writesBefore = writeRequests(sim.audit.entries).length;
    const undo = await runCli(['undo', run.planFile, '--dir', dir, '--out', join(mkdtempSync(join(tmpdir(), 'pcsync-undo-')), 'undo.json')], { env: demoEnv(sim, { PCSYNC_NOW: later }) });
    expect(undo.code, undo.stdout + undo.stderr).toBe(3);
    expect(undo.stdout).toMatch(/can no longer be undone: its cancellation window closed on/);
    expect(undo.stdout).toMatch(/end it at its term end/);
    expect(writeRequests(sim.audit.entries)).toHaveLength(writesBefore);
    expect(bought().status).toBe('active');
  });
});
