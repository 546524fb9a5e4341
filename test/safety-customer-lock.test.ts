import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, demoEnv, repoRoot } from './helpers/demo.js';
import { locksLeft, stateDir } from './helpers/safety.js';
import { ordersPerCustomer } from '../src/sim/invariants.js';

let sim: StartedSim;
const servers: Server[] = [];
afterEach(async () => {
  await sim?.close();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

function lockFile(state: string, customerId: string, holder: { pid: number; host: string; since: string; ci?: { repository: string; runId: string; runAttempt: number } }): string {
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
    expect(res.stderr).toContain(`${CONTOSO}: released the lock of pcsync pid ${pid} on ${hostname()} (since 2030-01-01T00:00:00.000Z): pcsync pid ${pid} no longer runs on ${hostname()}.`);
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

/**
 * Issue 22, kind 4: every CI run is a new host, so a lock left in the cached `.pcsync/` by a cancelled or timed-out
 * apply names a host that is gone. The lock records its GitHub Actions run; a later apply asks GitHub whether that
 * run attempt is still in progress (a loopback server answering like "Get a workflow run attempt") and releases
 * the lock only when it is over. Through the saved-plan path.
 */
describe('locks of CI runs', () => {
  const REPO = 'example-partner/partner-desired-state';
  const TOKEN = 'ghs_locktesttoken000000000000000000000';
  const RUNNER = 'fv-az1234-567';

  async function github(status: string, conclusion: string | null): Promise<{ url: string; asked: string[] }> {
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('{"message":"Bad credentials"}');
      const m = new RegExp(`^/repos/${REPO}/actions/runs/(\\d+)/attempts/(\\d+)`).exec(req.url ?? '');
      if (!m) return void res.writeHead(404).end('{"message":"Not Found"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: Number(m[1]), run_attempt: Number(m[2]), status, conclusion, event: 'push', path: '.github/workflows/pcsync-apply.yml' }));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, asked };
  }

  /** `plan --out` then `apply plan.json` as a job of run `runId` attempt `attempt`, with a lock of run 1001 attempt 1 on Contoso. */
  async function applyInCi(api: string | undefined, runId: string, attempt = '1') {
    sim = await startSim({ scenario: 'demo' });
    const state = stateDir();
    lockFile(state, CONTOSO, { pid: 4242, host: RUNNER, since: '2026-12-01T10:00:00.000Z', ci: { repository: REPO, runId: '1001', runAttempt: 1 } });
    const ci = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: REPO, GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: attempt, ...(api ? { GITHUB_API_URL: api, GITHUB_TOKEN: TOKEN } : {}) };
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state, ...ci });
    const planFile = join(state, 'plan.json');
    const plan = await runCli(['plan', '--out', planFile], { env, cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(2);
    const res = await runCli(['apply', planFile], { env, cwd: repoRoot });
    return { res, state };
  }

  it('a lock of a finished (cancelled) CI run is released with a line saying so, and the apply goes on', async () => {
    const gh = await github('completed', 'cancelled');
    const { res, state } = await applyInCi(gh.url, '1002');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stderr).toContain(`${CONTOSO}: released the lock of pcsync pid 4242 on ${RUNNER} (since 2026-12-01T10:00:00.000Z): GitHub Actions run 1001 attempt 1 is completed (cancelled) on GitHub.`);
    expect(gh.asked).toEqual([`GET /repos/${REPO}/actions/runs/1001/attempts/1?exclude_pull_requests=true`]);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(locksLeft(state)).toEqual([]);
    expect(res.stdout + res.stderr).not.toContain(TOKEN);
  });

  it('a lock of a CI run still in progress is kept, naming the run', async () => {
    const gh = await github('in_progress', null);
    const { res, state } = await applyInCi(gh.url, '1002');
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stderr).toContain(`${CONTOSO}: locked by pcsync pid 4242 on ${RUNNER} since 2026-12-01T10:00:00.000Z (GitHub Actions run 1001 attempt 1 of ${REPO})`);
    expect(sim.audit.writes().filter((w) => w.customerId === CONTOSO)).toEqual([]);
    expect(locksLeft(state)).toEqual([`${CONTOSO}.lock`]);
  });

  it('a lock of an earlier attempt of the same run is released without asking GitHub (attempts never overlap)', async () => {
    const { res, state } = await applyInCi(undefined, '1001', '2');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stderr).toContain('GitHub Actions run 1001 attempt 1 ended before this attempt (2) of the same run started.');
    expect(locksLeft(state)).toEqual([]);
  });

  it('without a token, a lock of another CI run is kept (never guessed dead)', async () => {
    const { res } = await applyInCi(undefined, '1002');
    expect(res.code).toBe(4);
    expect(res.stderr).toContain(`pcsync unlock ${CONTOSO}`);
  });
});
