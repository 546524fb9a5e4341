import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSim, runCli, type StartedSim } from './helpers/sim.js';
import { ordersPerCustomer, suspendsWithConsumedUnits, usersEverUnlicensed, writeRequests } from '../src/sim/invariants.js';
import { CONTOSO, FABRIKAM, SKU, demoEnv, repoRoot } from './helpers/demo.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * Short waits between provisioning and consumed-unit checks (the defaults are a second, doubling): the checks
 * and their order are the same, only the pauses between them shorter. Nothing here is judged by time.
 */
const FAST = { PCSYNC_POLL_MS: '20', PCSYNC_RETRY_BASE_MS: '10' };
const env = () => demoEnv(sim, FAST);

describe('demo migration end to end (real CLI, real socket)', () => {
  beforeAll(() => expect(repoRoot).toBeTruthy());

  it('plan writes nothing; apply buys once, moves each user in one call, suspends only when no units are consumed', async () => {
    sim = await startSim({ scenario: 'demo' });
    const plan = await runCli(['plan'], { env: env(), cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(2);
    expect(writeRequests(sim.audit.entries)).toHaveLength(0);
    expect(plan.stdout).toContain('alice@contoso.onmicrosoft.com');

    const apply = await runCli(['apply', '--auto-approve'], { env: env(), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const entries = sim.audit.entries;

    // exactly one order per customer
    expect(ordersPerCustomer(entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });

    // every holder moved by ONE licenseupdates that adds the new SKU and removes the old one
    const updates = entries.filter((e) => e.type === 'request' && e.method === 'POST' && e.path.endsWith('/licenseupdates'));
    const changes = entries.filter((e) => e.type === 'licenses-changed');
    expect(updates).toHaveLength(8);
    expect(changes).toHaveLength(8);
    expect(new Set(updates.map((e) => e.type === 'request' && e.path)).size).toBe(8);
    for (const c of changes) {
      if (c.type !== 'licenses-changed') continue;
      const [oldSku, newSku] = c.customerId === CONTOSO ? [SKU.oldSales, SKU.salesPro] : [SKU.oldCep, SKU.cep];
      expect(c.before).toContain(oldSku);
      expect(c.after).toContain(newSku);
      expect(c.after).not.toContain(oldSku);
    }
    expect(usersEverUnlicensed(entries, [[SKU.oldSales, SKU.salesPro], [SKU.oldCep, SKU.cep]])).toEqual([]);

    // suspend only after the old SKU has zero consumed units, and after that customer's last licence move
    const suspends = entries.filter((e) => e.type === 'subscription-changed' && e.field === 'status' && e.after === 'suspended');
    expect(suspends).toHaveLength(2);
    expect(suspendsWithConsumedUnits(entries)).toEqual([]);
    for (const s of suspends) {
      const lastMove = Math.max(...changes.filter((c) => c.customerId === s.customerId).map((c) => c.seq));
      expect(s.seq).toBeGreaterThan(lastMove);
    }
  });

  it('a second apply --auto-approve makes no write request, and plan then reports no changes', async () => {
    sim = await startSim({ scenario: 'demo' });
    const first = await runCli(['apply', '--auto-approve'], { env: env(), cwd: repoRoot });
    expect(first.code, first.stderr).toBe(0);
    const writesAfterFirst = writeRequests(sim.audit.entries).length;
    expect(writesAfterFirst).toBeGreaterThan(0);

    const second = await runCli(['apply', '--auto-approve'], { env: env(), cwd: repoRoot });
    expect(second.code, second.stderr).toBe(0);
    expect(writeRequests(sim.audit.entries)).toHaveLength(writesAfterFirst);

    const plan = await runCli(['plan'], { env: env(), cwd: repoRoot });
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('npm run demo path: the demo script passes and says so', async () => {
    const { spawnSync } = await import('node:child_process');
    // a generous limit: with other test files running beside it, a loaded machine may take long, never wrongly
    const res = spawnSync(process.execPath, ['dist/cli/demo.js'], { cwd: repoRoot, encoding: 'utf8', timeout: 110_000, env: { ...process.env, ...FAST } });
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('Demo passed');
  }, 120_000);
});
