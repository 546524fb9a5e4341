import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFleetDesiredState } from '../src/sim/index.js';
import { throttleClassOf } from '../src/sim/behaviours/throttle-classes.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../src/sim/invariants.js';
import type { AuditEntry } from '../src/sim/audit.js';
import { generateFleet, repoRoot, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';

/**
 * Issue 24, "Fewer documented calls for the same safety": the documented class (orders, subscriptions, carts,
 * customer by id) is what bounds a fleet run, and it was 9 calls per migrated customer — the lists read just
 * before a purchase and the GET before the suspend repeated reads made moments earlier in the same run. Counted
 * here in the simulator's audit log, with the simulator's own copy of the documented list.
 */
let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

const CUSTOMERS = 12;

function documentedPerCustomer(entries: readonly AuditEntry[], migrated: number): number {
  const documented = entries.filter((e) => e.type === 'request' && throttleClassOf(e.method, e.path) === 'documented').length;
  return documented / migrated;
}

async function fleet() {
  const scenario = generateFleet({ customers: CUSTOMERS, usersMin: 2, usersMax: 6, seed: 24 });
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-documented-'));
  const migrated = writeFleetDesiredState(scenario, dir, { concurrency: 4 });
  sim = await startSim({ scenario, options: { provisioningDelayMs: 0 } });
  return { dir, migrated, sim };
}

describe('documented-class calls per migrated customer', () => {
  it('reviewed path (plan --out, then apply plan.json): apply makes ≤ 7 per customer, every customer bought once and nobody unlicensed', async () => {
    const { dir, migrated, sim: s } = await fleet();
    expect(migrated).toBeGreaterThan(5);
    let applyFrom = 0;
    const run = await planThenApplySaved(s, dir, { between: () => void (applyFrom = s.audit.entries.length) });
    expect(run.apply.code, run.apply.stdout + run.apply.stderr).toBe(0);
    const apply = s.audit.entries.slice(applyFrom);
    const perCustomer = documentedPerCustomer(apply, migrated);
    console.log(`  reviewed path: ${perCustomer.toFixed(2)} documented-class calls per migrated customer in apply (plan: ${documentedPerCustomer(s.audit.entries.slice(0, applyFrom), migrated).toFixed(2)})`);
    expect(perCustomer).toBeLessThanOrEqual(7);
    expect(Object.values(ordersPerCustomer(s.audit.entries)).every((n) => n === 1)).toBe(true);
    expect(usersEverUnlicensed(s.audit.entries)).toEqual([]);
  });

  it('apply --auto-approve: ≤ 7 per customer for the whole run (its plan included)', async () => {
    const { dir, migrated, sim: s } = await fleet();
    const env = { PARTNER_CENTER_ENDPOINT: s.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_POLL_MS: '20', PCSYNC_STATE_DIR: join(dir, '.pcsync') };
    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot, timeoutMs: 120_000 });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const perCustomer = documentedPerCustomer(s.audit.entries, migrated);
    console.log(`  auto-approve: ${perCustomer.toFixed(2)} documented-class calls per migrated customer`);
    expect(perCustomer).toBeLessThanOrEqual(7);
    expect(Object.values(ordersPerCustomer(s.audit.entries)).every((n) => n === 1)).toBe(true);
  });

  it('with PCSYNC_FRESH_READ_MS=0 every purchase and suspend reads again: the same run costs more calls (the test can fail)', async () => {
    const { dir, migrated, sim: s } = await fleet();
    const env = { PARTNER_CENTER_ENDPOINT: s.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_POLL_MS: '20', PCSYNC_STATE_DIR: join(dir, '.pcsync'), PCSYNC_FRESH_READ_MS: '0' };
    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot, timeoutMs: 120_000 });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    // the orders list before each purchase and the GET before each suspend come back
    expect(documentedPerCustomer(s.audit.entries, migrated)).toBeGreaterThanOrEqual(8);
  });
});
