import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv, repoRoot, replaced } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, journal, onAudit, posts, stateDir } from './helpers/safety.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../src/sim/invariants.js';
import { Interrupted, onStopSignals } from '../src/apply/signals.js';

let sim: StartedSim;
afterEach(async () => sim?.close());


describe('Ctrl-C during apply', () => {
  it('the first SIGINT lets the running licence move finish and journals it, starts nothing new; the next apply finishes the job', async () => {
    // The first licence update is applied and then hangs for 400 ms before its connection drops: the signal
    // arrives while it is running, so "running" is exactly that one move.
    sim = await startSim({ scenario: 'demo', options: { faults: { dropAfterCommit: { route: 'licenses.update', times: 1, delayMs: 400 } } } });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state });
    const dir = copyDesiredState((f) => (f['pcsync.yaml'] = replaced(f['pcsync.yaml']!, '# concurrency: 256', 'concurrency: 1\nuserConcurrency: 1')));
    let child: ChildProcess | undefined;
    let moves = 0;
    const stop = onAudit(sim, (e) => {
      if (e.type === 'licenses-changed' && ++moves === 1) child?.kill('SIGINT');
    });
    const res = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot, onSpawn: (c) => (child = c) });
    stop();

    expect(res.code, res.stdout + res.stderr).toBe(130);
    expect(res.stderr).toMatch(/SIGINT: stopping — no new action starts; running ones finish/);
    expect(res.stdout).toContain('Stopped on request; run apply again to continue where it left off.');
    const records = journal(state);
    const starts = records.filter((r) => r.type === 'action-start');
    const ends = records.filter((r) => r.type === 'action-end');
    expect(ends.map((r) => r.actionId).sort()).toEqual(starts.map((r) => r.actionId).sort());
    expect(records.some((r) => r.type === 'stop' && r.signal === 'SIGINT' && !r.abort)).toBe(true);
    expect(records.at(-1)?.type).toBe('run-end');
    // the running move finished (its outcome read back after the drop), nothing else started, nothing was suspended
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toHaveLength(1);
    expect(starts.filter((r) => r.kind === 'reassign')).toHaveLength(1);
    expect(ends.find((r) => r.kind === 'reassign')).toMatchObject({ outcome: 'applied' });
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-changed')).toEqual([]);

    const again = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toHaveLength(8);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });

  it('a wait for provisioning is cut short by the first SIGINT (it changes nothing), instead of running to its time limit', async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 60_000 } });
    const state = stateDir();
    let child: ChildProcess | undefined;
    let orders = 0;
    const stop = onAudit(sim, (e) => {
      if (e.type === 'order-created' && ++orders === 2) setTimeout(() => child?.kill('SIGINT'), 100);
    });
    const res = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim, { PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '50' }), cwd: repoRoot, onSpawn: (c) => (child = c) });
    stop();
    expect(res.code, res.stdout + res.stderr).toBe(130);
    const awaits = journal(state).filter((r) => r.type === 'action-end' && r.kind === 'await-provisioning');
    expect(awaits).toHaveLength(2);
    for (const a of awaits) expect(a.type === 'action-end' && a.message).toMatch(/interrupted \(stop requested\) while waiting; nothing was changed/);
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toEqual([]);
  });
});

describe('SIGTERM (a CI runner cancelling the job)', () => {
  it('stops like the first Ctrl-C but says so in its own words and exits 143 (128 + 15), not 130', async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 60_000 } });
    const state = stateDir();
    let child: ChildProcess | undefined;
    let orders = 0;
    const stop = onAudit(sim, (e) => {
      if (e.type === 'order-created' && ++orders === 2) setTimeout(() => child?.kill('SIGTERM'), 100);
    });
    const res = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim, { PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '50' }), cwd: repoRoot, onSpawn: (c) => (child = c) });
    stop();
    expect(res.code, res.stdout + res.stderr).toBe(143);
    expect(res.stderr).toContain('SIGTERM: stopping — no new action starts; running ones finish and are journaled. Send SIGTERM again (or press Ctrl-C) to abort at once.');
    expect(res.stderr).not.toContain('Press Ctrl-C again');
    expect(journal(state).some((r) => r.type === 'stop' && r.signal === 'SIGTERM' && !r.abort)).toBe(true);
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toEqual([]);
  });
});

describe('Ctrl-C twice', () => {
  it('the second SIGINT aborts at once (exit 130) with an order in flight; the next apply finds that order instead of buying again', async () => {
    // The first order is applied, then its reply hangs for 5 s: the abort leaves it started but not finished. Its
    // subscription stays invisible for a while, so the next run can only learn about it from the orders list.
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 1_000, faults: { dropAfterCommit: { route: 'order.create', times: 1, delayMs: 5_000 } } } });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '50' });
    let child: ChildProcess | undefined;
    let orders = 0;
    const stop = onAudit(sim, (e) => {
      if (e.type === 'order-created' && ++orders === 1) child?.kill('SIGINT');
    });
    const onSpawn = (c: ChildProcess) => {
      child = c;
      let again = false;
      c.stderr?.on('data', (d: Buffer) => {
        if (!again && String(d).includes('SIGINT: stopping')) c.kill('SIGINT'), (again = true);
      });
    };
    const res = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot, onSpawn });
    stop();
    expect(res.code, res.stdout + res.stderr).toBe(130);
    expect(res.stderr).toMatch(/SIGINT: aborted/);
    // the order whose reply hangs is named, so the operator knows which purchase to look for
    expect(res.stderr).toMatch(/The outcome of \d+ action\(s\) in flight is unknown: purchase [0-9a-f-]+\/purchase\//);
    const records = journal(state);
    expect(records.filter((r) => r.type === 'stop').map((r) => r.type === 'stop' && r.abort)).toEqual([false, true]);
    expect(records.some((r) => r.type === 'run-end')).toBe(false);
    const unfinished = records.filter((r) => r.type === 'action-start' && !records.some((e) => e.type === 'action-end' && e.actionId === r.actionId));
    expect(unfinished.map((r) => r.type === 'action-start' && r.kind)).toContain('purchase');
    // the customers ordered for before the abort (the one in flight at least; the other may not have started)
    const orderedBefore = ordersPerCustomer(sim.audit.entries);
    expect(Object.keys(orderedBefore).length).toBeGreaterThanOrEqual(1);

    const again = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stderr).toMatch(/Resuming: the last run \(.+\) did not finish/);
    // one order per customer in all: the one in flight at the abort was found, not bought again
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(posts(sim, '/orders')).toHaveLength(2);
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toHaveLength(8);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });
});

describe('stop signals (unit)', () => {
  it('first signal: stopping and waits end early; second signal: the abort handler', async () => {
    const target = new EventEmitter();
    const seen: string[] = [];
    const stop = onStopSignals({ first: (s) => seen.push(`first ${s}`), second: (s) => seen.push(`second ${s}`) }, target);
    expect(stop.stopping()).toBe(false);
    await stop.sleep(1);
    const waiting = stop.sleep(60_000);
    target.emit('SIGTERM', 'SIGTERM');
    await expect(waiting).rejects.toBeInstanceOf(Interrupted);
    await expect(stop.sleep(1)).rejects.toBeInstanceOf(Interrupted);
    expect(stop.stopping()).toBe(true);
    target.emit('SIGINT', 'SIGINT');
    expect(seen).toEqual(['first SIGTERM', 'second SIGINT']);
    stop.dispose();
    target.emit('SIGINT', 'SIGINT');
    expect(seen).toHaveLength(2);
  });
});
