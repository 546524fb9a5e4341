import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, copyDesiredState, demoEnv } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, licences, stateDir } from './helpers/safety.js';
import { ordersPerCustomer, suspendsWithConsumedUnits, usersEverUnlicensed } from '../src/sim/invariants.js';
import type { AuditEntry } from '../src/sim/index.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const MOVERS = ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => `${n}@contoso.onmicrosoft.com`);
const FRANK = 'frank@contoso.onmicrosoft.com';

describe('seats of a new subscription are taken by someone else while apply waits for them', () => {
  it('stops waiting as soon as the seats show up in use, says so, moves nobody; the next apply buys what is missing', async () => {
    // As with a second apply from another state directory: the moment Contoso's new Sales Professional
    // subscription is provisioned, someone else gives one of its five seats to frank. Five movers, four seats.
    sim = await startSim({
      scenario: 'demo',
      options: {
        provisioningDelayByCustomer: { [CONTOSO]: 300 },
        faults: { seatsTaken: { customerId: CONTOSO, skuId: SKU.salesPro, after: 0, users: [FRANK] } },
      },
    });
    // A provisioning limit far above what the test waits: only stopping early lets the run end in time.
    const dir = copyDesiredState((f) => (f['pcsync.yaml'] += '\npolicy:\n  provisioningTimeoutSeconds: 600\n'));
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: stateDir(), PCSYNC_POLL_MS: '100', PCSYNC_MAX_POLL_MS: '400' });
    const res = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: dir, timeoutMs: 45_000 });
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stdout).toMatch(/failed-terminal +Contoso Ltd .*stopped waiting: subscription [0-9A-F-]{36} \(5 seat\(s\)\) is provisioned, but only 4 of the 5 seat\(s\) needed are free: 1 of 5 are in use\. Someone else/);

    // Nobody at Contoso was moved by pcsync (the only licence change there is frank's), nothing suspended there.
    const changes = sim.audit.entries.filter((e): e is Extract<AuditEntry, { type: 'licenses-changed' }> => e.type === 'licenses-changed' && e.customerId === CONTOSO);
    expect(changes.map((e) => e.upn.toLowerCase())).toEqual([FRANK]);
    const held = licences(sim, CONTOSO);
    for (const u of MOVERS) expect(held.get(u)).toContain(SKU.oldSales);
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-changed' && e.customerId === CONTOSO)).toEqual([]);
    expect(res.stdout).toMatch(/applied +Fabrikam Government/);

    // The next apply counts frank's seat, raises the quantity by one (no second order) and finishes.
    const again = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: dir, timeoutMs: 45_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    const after = licences(sim, CONTOSO);
    for (const u of MOVERS) expect(after.get(u)).toContain(SKU.salesPro);
    expect(after.get(FRANK)).toContain(SKU.salesPro);
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });
});
