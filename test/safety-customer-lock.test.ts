import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, demoEnv, repoRoot } from './helpers/demo.js';
import { stateDir } from './helpers/safety.js';
import { ordersPerCustomer } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

function lockFile(state: string, customerId: string, holder: { pid: number; host: string; since: string }): string {
  mkdirSync(join(state, 'locks'), { recursive: true });
  const path = join(state, 'locks', `${customerId}.lock`);
  writeFileSync(path, JSON.stringify(holder));
  return path;
}

/** A pid that surely ran on this host and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('one apply per customer at a time (lock file)', () => {
  it('a customer locked by a running apply is left alone with a message naming the holder; `pcsync unlock` breaks it', async () => {
    sim = await startSim({ scenario: 'demo' });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state });
    const path = lockFile(state, CONTOSO, { pid: process.pid, host: hostname(), since: '2030-01-01T00:00:00.000Z' });

    const res = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(4);
    const message = `locked by pcsync pid ${process.pid} on ${hostname()} since 2030-01-01T00:00:00.000Z`;
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain(`pcsync unlock ${CONTOSO}`);
    expect(res.stdout).toMatch(new RegExp(`failed-transient +Contoso Ltd \\(${CONTOSO}\\): locked by pcsync pid ${process.pid}`));
    expect(sim.audit.writes().filter((w) => w.customerId === CONTOSO)).toEqual([]);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [FABRIKAM]: 1 });
    expect(existsSync(path)).toBe(true);

    const unlock = await runCli(['unlock', CONTOSO], { env, cwd: repoRoot });
    expect(unlock.code).toBe(0);
    expect(unlock.stdout).toContain(`${CONTOSO}: removed the lock of pcsync pid ${process.pid} on ${hostname()}`);
    expect(existsSync(path)).toBe(false);

    const again = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(existsSync(path)).toBe(false);
  });

  it('a lock left by a process that no longer runs on this host is broken automatically, and said so', async () => {
    sim = await startSim({ scenario: 'demo' });
    const state = stateDir();
    const pid = deadPid();
    lockFile(state, CONTOSO, { pid, host: hostname(), since: '2030-01-01T00:00:00.000Z' });
    const res = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim, { PCSYNC_STATE_DIR: state }), cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stderr).toContain(`${CONTOSO}: removed a stale lock of pcsync pid ${pid}`);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
  });

  it('a lock from another host is never guessed stale', async () => {
    sim = await startSim({ scenario: 'demo' });
    const state = stateDir();
    lockFile(state, FABRIKAM, { pid: 1, host: 'build-agent-7', since: '2030-01-01T00:00:00.000Z' });
    const res = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim, { PCSYNC_STATE_DIR: state }), cwd: repoRoot });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain(`${FABRIKAM}: locked by pcsync pid 1 on build-agent-7`);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1 });
  });

  it('two applies started together on the same customers still buy once each', async () => {
    sim = await startSim({ scenario: 'demo' });
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: stateDir() });
    const [a, b] = await Promise.all([runCli(['apply', '--auto-approve'], { env, cwd: repoRoot }), runCli(['apply', '--auto-approve'], { env, cwd: repoRoot })]);
    expect([a.code, b.code].sort()).toContain(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    const locked = `${a.stderr}${b.stderr}`.includes('locked by pcsync pid');
    if (locked) expect([a.code, b.code].sort()).toEqual([0, 4]);
  });
});
