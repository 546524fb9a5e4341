import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv, repoRoot, replaced } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, journal, locksLeft, onAudit, stateDir } from './helpers/safety.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * Issue 22, kind 4: a closed stdout (`| head`, a CI log that goes away) is EPIPE on pcsync's next write. It ends
 * the run like the first Ctrl-C: running actions finish and are journaled, the journal ends with run-end, no lock
 * is left, exit 4; and without --json, a reader gone by the summary does not crash a complete apply. Saved-plan
 * path; the reader closes its end of the pipe (the child's stdout) while the first licence move is running.
 */
async function savedPlan(env: Record<string, string>, dir: string): Promise<string> {
  const file = join(env.PCSYNC_STATE_DIR!, 'plan.json');
  const plan = await runCli(['plan', '--dir', dir, '--out', file], { env, cwd: repoRoot });
  expect(plan.code, plan.stderr).toBe(2);
  return file;
}

describe('the reader of stdout goes away', () => {
  it('mid-apply with --json: stops like the first Ctrl-C (journal complete, no locks, exit 4); the next apply finishes', async () => {
    sim = await startSim({ scenario: 'demo', options: { faults: { dropAfterCommit: { route: 'licenses.update', times: 1, delayMs: 400 } } } });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state });
    const dir = copyDesiredState((f) => (f['pcsync.yaml'] = replaced(f['pcsync.yaml']!, '# concurrency: 256', 'concurrency: 1\nuserConcurrency: 1')));
    const file = await savedPlan(env, dir);
    let child: ChildProcess | undefined;
    let moves = 0;
    const stop = onAudit(sim, (e) => {
      if (e.type === 'licenses-changed' && ++moves === 1) child?.stdout?.destroy();
    });
    const res = await runCli(['apply', file, '--dir', dir, '--json'], { env, cwd: repoRoot, onSpawn: (c) => (child = c) });
    stop();

    expect(res.code, res.stderr).toBe(4);
    expect(res.stderr).toMatch(/stdout was closed \(EPIPE\): stopping as on Ctrl-C/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    // the summary the closed stdout would have carried is on stderr, where the operator still looks
    expect(res.stderr).toMatch(/Apply summary/);
    const records = journal(state);
    const starts = records.filter((r) => r.type === 'action-start');
    const ends = records.filter((r) => r.type === 'action-end');
    expect(ends.map((r) => r.actionId).sort()).toEqual(starts.map((r) => r.actionId).sort());
    expect(records.some((r) => r.type === 'stop' && r.signal === 'output-closed' && !r.abort)).toBe(true);
    expect(records.at(-1)?.type).toBe('run-end');
    expect(locksLeft(state)).toEqual([]);
    // The closed pipe shows on the next write after the running move (its action-end event): at most the move that
    // started before that write landed follows it; the rest of the run never started.
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed').length).toBeLessThanOrEqual(2);
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-changed')).toEqual([]);

    const again = await runCli(['apply', file, '--dir', dir], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toHaveLength(8);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });

  it('without --json, gone before the summary: the complete apply ends normally (exit 0), no crash', async () => {
    sim = await startSim({ scenario: 'demo' });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state });
    const dir = copyDesiredState();
    const file = await savedPlan(env, dir);
    // Text mode writes its progress to stderr; stdout gets only the summary, after the last action.
    const res = await runCli(['apply', file, '--dir', dir], { env, cwd: repoRoot, onSpawn: (c) => c.stdout?.destroy() });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(journal(state).at(-1)?.type).toBe('run-end');
    expect(locksLeft(state)).toEqual([]);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
  });

  it('apply --auto-approve (one stream), stdout gone before the plan it prints after the run: the summary is on stderr, not lost (exit 0)', async () => {
    sim = await startSim({ scenario: 'demo' });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state });
    const dir = copyDesiredState();
    const res = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot, onSpawn: (c) => c.stdout?.destroy() });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stderr).toMatch(/Apply summary/);
    expect(res.stderr).toMatch(/Customers: 2 applied \(of 2 applied in this run\)/);
    expect(res.stderr).toMatch(/stdout was closed \(EPIPE\) after the run ended; the summary is here on stderr/);
    expect(res.stderr).not.toMatch(/run apply again to continue/);
    expect(journal(state).at(-1)?.type).toBe('run-end');
    expect(locksLeft(state)).toEqual([]);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
  });
});
