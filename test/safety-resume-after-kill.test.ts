import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, journal, licences, onAudit, posts, stateDir } from './helpers/safety.js';
import { ordersPerCustomer, suspendsWithConsumedUnits, usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const TOKEN = 'tok-d0-not-leak-7f3a9c';

/** plan --out, then apply plan.json killed (SIGKILL) the moment the simulator applies Contoso's second licence move. */
async function planAndCrash(state: string): Promise<{ env: Record<string, string>; planFile: string }> {
  sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 200 } });
  const env = demoEnv(sim, { PARTNER_CENTER_TOKEN: TOKEN, PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '50' });
  const planFile = join(state, 'plan.json');
  const plan = await runCli(['plan', '--out', planFile], { env, cwd: repoRoot });
  expect(plan.code, plan.stderr).toBe(2);

  let child: ChildProcess | undefined;
  let moves = 0;
  const stop = onAudit(sim, (e) => {
    if (e.type === 'licenses-changed' && e.customerId === CONTOSO && ++moves === 2) child?.kill('SIGKILL');
  });
  const crashed = await runCli(['apply', planFile], { env, cwd: repoRoot, onSpawn: (c) => (child = c) });
  stop();
  expect(crashed.code, crashed.stdout + crashed.stderr).toBe(128);
  return { env, planFile };
}

describe('apply plan.json after a crash', () => {
  it('continues from the journal and live state: nothing is done twice, and the rest of the approved plan is applied', async () => {
    const state = stateDir();
    const { env, planFile } = await planAndCrash(state);
    const ordersBefore = posts(sim, '/orders').length;
    const movedBefore = sim.audit.entries.filter((e) => e.type === 'licenses-changed').length;
    expect(movedBefore).toBeGreaterThanOrEqual(2);

    const resumed = await runCli(['apply', planFile], { env, cwd: repoRoot });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/Resuming: the last run \(.+\) did not finish/);

    // nothing twice: no further order POST, one licence change per user, one suspend per old subscription
    expect(posts(sim, '/orders')).toHaveLength(ordersBefore);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    const changes = sim.audit.entries.filter((e) => e.type === 'licenses-changed');
    expect(changes).toHaveLength(8);
    expect(new Set(changes.map((c) => c.type === 'licenses-changed' && c.upn)).size).toBe(8);
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-changed' && e.field === 'status')).toHaveLength(2);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    for (const [upn, held] of licences(sim, CONTOSO)) {
      if (/^(frank|grace)@/.test(upn)) continue;
      expect(held).toContain(SKU.salesPro);
      expect(held).not.toContain(SKU.oldSales);
    }

    const plan = await runCli(['plan'], { env, cwd: repoRoot });
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('the journal is what makes the difference: without it the changed customer is refused as stale', async () => {
    const { env, planFile } = await planAndCrash(stateDir());
    const contosoWrites = () => sim.audit.writes().filter((w) => w.customerId === CONTOSO).length;
    const before = contosoWrites();
    const elsewhere = await runCli(['apply', planFile], { env: { ...env, PCSYNC_STATE_DIR: stateDir() }, cwd: repoRoot });
    expect(elsewhere.code).toBe(4);
    expect(elsewhere.stdout).toMatch(/skipped-stale +Contoso Ltd .*pcsync plans something else for this customer now: .*purchase\/sales-pro is no longer needed/);
    expect(contosoWrites()).toBe(before);
  });

  it('journals each action before its request is sent, with its request id, and never a secret', async () => {
    const state = stateDir();
    const { env, planFile } = await planAndCrash(state);
    await runCli(['apply', planFile], { env, cwd: repoRoot });
    const records = journal(state);

    const starts = records.filter((r) => r.type === 'action-start');
    for (const post of [...posts(sim, '/orders'), ...posts(sim, '/licenseupdates')]) {
      const start = starts.find((r) => r.type === 'action-start' && r.requestId === post.requestId);
      expect(start, `no journal line for ${post.path} ${post.requestId}`).toBeDefined();
      expect(Date.parse(start!.at)).toBeLessThanOrEqual(post.at);
    }
    // the crashed run started actions it never finished; the resumed run finished everything it started
    const runs = [...new Set(records.map((r) => r.run))];
    expect(runs).toHaveLength(2);
    const [crashedRun, resumedRun] = runs;
    const count = (run: string | undefined, type: string) => records.filter((r) => r.run === run && r.type === type).length;
    expect(count(crashedRun, 'run-end')).toBe(0);
    expect(count(resumedRun, 'action-start')).toBe(count(resumedRun, 'action-end'));
    expect(count(resumedRun, 'run-end')).toBe(1);

    for (const dir of ['journal', 'locks']) {
      for (const f of readdirSync(join(state, dir))) expect(readFileSync(join(state, dir, f), 'utf8')).not.toContain(TOKEN);
    }
  });
});
