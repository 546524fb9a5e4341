import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstCheckDelayMs } from '../src/apply/provisioning-times.js';
import { writeFleetDesiredState } from '../src/sim/index.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../src/sim/invariants.js';
import { SKU } from '../src/sim/scenarios/catalog.js';
import { FLEET_SKU_GROUPS } from './helpers/fleet-desired.js';
import { generateFleet, repoRoot, runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim;
afterEach(() => sim?.close());

describe('the first check of a wait comes when the run learned it is likely ready (pure)', () => {
  it('provisioning: at once before anything was learned; then at max(pollMs, estimate) after the order reply, within the time limit', () => {
    expect(firstCheckDelayMs({ estimateMs: undefined, pollMs: 1000, sinceMs: 0, leftMs: 600_000 })).toBe(0);
    expect(firstCheckDelayMs({ estimateMs: 31_000, pollMs: 1000, sinceMs: 0, leftMs: 600_000 })).toBe(31_000);
    expect(firstCheckDelayMs({ estimateMs: 31_000, pollMs: 1000, sinceMs: 400, leftMs: 600_000 })).toBe(30_600);
    expect(firstCheckDelayMs({ estimateMs: 200, pollMs: 1000, sinceMs: 0, leftMs: 600_000 })).toBe(1000);
    expect(firstCheckDelayMs({ estimateMs: 31_000, pollMs: 1000, sinceMs: 40_000, leftMs: 600_000 })).toBe(0);
    expect(firstCheckDelayMs({ estimateMs: 31_000, pollMs: 1000, sinceMs: 0, leftMs: 5000 })).toBe(5000);
  });

  it('202 polls and consumed-unit re-checks: pollMs before anything was learned (as before)', () => {
    expect(firstCheckDelayMs({ estimateMs: undefined, pollMs: 1000, sinceMs: 0, leftMs: 600_000, unlearnedMs: 1000 })).toBe(1000);
    expect(firstCheckDelayMs({ estimateMs: 6000, pollMs: 1000, sinceMs: 0, leftMs: 600_000, unlearnedMs: 1000 })).toBe(6000);
  });
});

describe('e2e: customers migrated one after another under a provisioning delay', () => {
  it('later customers find their new subscription provisioned at the first check; every holder licensed, one order each', async () => {
    const scenario = generateFleet({ customers: 5, usersMin: 2, usersMax: 4, seed: 14 });
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-learned-'));
    expect(writeFleetDesiredState(scenario, dir, { concurrency: 1 })).toBe(5);
    sim = await startSim({ scenario, options: { provisioningDelayMs: 1000 } });
    // Checks at 0, 0.5 s and 1.5 s after the order find the first customer's subscription at the third check.
    const env = { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_POLL_MS: '500' };
    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot, timeoutMs: 120_000 });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    const entries = sim.audit.entries;
    const orders = entries.filter((e) => e.type === 'order-created');
    // Provisioning checks: lists of the customer's subscriptions after its order, in the order customers were migrated.
    const checks = orders.map((o) => {
      const path = `/v1/customers/${o.customerId}/subscriptions`.toLowerCase();
      const after = entries.indexOf(o);
      return entries.filter((e, i) => i > after && e.type === 'request' && e.method === 'GET' && e.path.toLowerCase() === path).length;
    });
    console.log(`  provisioning checks per customer, in order: ${checks.join(', ')}`);
    expect(checks[0]).toBeGreaterThanOrEqual(2);
    const later = checks.slice(1);
    expect(later.every((n) => n <= 2)).toBe(true);
    expect(later.filter((n) => n === 1).length).toBeGreaterThanOrEqual(later.length - 1);

    expect(Object.values(ordersPerCustomer(entries))).toEqual([1, 1, 1, 1, 1]);
    expect(usersEverUnlicensed(entries, FLEET_SKU_GROUPS)).toEqual([]);
    for (const c of scenario.customers) {
      const retired = c.users.filter((u) => u.licenses.length > 0);
      const live = sim.state.customer(c.id)!.users;
      for (const u of retired) {
        const now = live.find((l) => l.id === u.id)!.licenses.map((l) => l.toLowerCase());
        expect(now.some((l) => [SKU.salesPro, SKU.cepTier1].map((s) => s.toLowerCase()).includes(l)), u.upn).toBe(true);
        expect(now).not.toContain(u.licenses[0]!.toLowerCase());
      }
    }
  });
});
