import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, demoEnv, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, onAudit, posts, stateDir } from './helpers/safety.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * A CI apply whose runner is lost mid-run: the workflow's save of `.pcsync/` at the end never runs, so the journal
 * is gone. Without --resume the re-run (the approved plan again, an empty journal) refuses the customer the lost run
 * had changed as stale; with --resume it goes on with what is left, and nothing is bought twice.
 */
describe('a re-run after a lost runner applies the same approved plan', () => {
  async function crashedWithoutJournal(): Promise<{ env: Record<string, string>; planFile: string; hash: string }> {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 200 } });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '50' });
    const planFile = join(mkdtempSync(join(tmpdir(), 'pcsync-rerun-')), 'plan.json');
    expect((await runCli(['plan', '--out', planFile], { env, cwd: repoRoot })).code).toBe(2);
    const hash = String(JSON.parse(readFileSync(planFile, 'utf8')).actionsHash);
    let child: ChildProcess | undefined;
    let moves = 0;
    const stop = onAudit(sim, (e) => {
      if (e.type === 'licenses-changed' && e.customerId === CONTOSO && ++moves === 2) child?.kill('SIGKILL');
    });
    const crashed = await runCli(['apply', planFile, '--approved-hash', hash], { env, cwd: repoRoot, onSpawn: (c) => (child = c) });
    stop();
    expect(crashed.code).toBe(128);
    rmSync(state, { recursive: true, force: true }); // the runner is gone, and its .pcsync/ with it
    return { env, planFile, hash };
  }

  it('apply plan.json --resume finishes the approved plan from live state alone; without it the started customer is stale', async () => {
    const { env, planFile, hash } = await crashedWithoutJournal();
    const orders = posts(sim, '/orders').length;

    const refused = await runCli(['apply', planFile, '--approved-hash', hash, '--json'], { env, cwd: repoRoot });
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/"outcome":"skipped-stale"/);

    const resumed = await runCli(['apply', planFile, '--approved-hash', hash, '--resume'], { env, cwd: repoRoot });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(posts(sim, '/orders').length - orders).toBeLessThanOrEqual(1); // Fabrikam's, if the lost run had not placed it
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    const changes = sim.audit.entries.filter((e) => e.type === 'licenses-changed');
    expect(new Set(changes.map((c) => c.type === 'licenses-changed' && c.upn)).size).toBe(changes.length);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });

  it('--resume needs a saved plan', async () => {
    const r = await runCli(['apply', '--auto-approve', '--resume'], { env: { PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_ENDPOINT: 'http://127.0.0.1:9' }, cwd: repoRoot });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--resume goes on with a saved plan/);
  });
});

const steps = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')).runs.steps as { id?: string; name?: string; uses?: string; if?: string; run: string }[];

async function step(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; log: string; outputs: Record<string, string> }> {
  const tmp = mkdtempSync(join(tmpdir(), 'pcsync-step-'));
  const [file, out] = [join(tmp, 'step.sh'), join(tmp, 'output')];
  writeFileSync(file, script);
  writeFileSync(out, '');
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env: { PATH: process.env.PATH, ...env, GITHUB_OUTPUT: out }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  const outputs: Record<string, string> = {};
  const text = readFileSync(out, 'utf8');
  for (const m of text.matchAll(/^([\w-]+)=(.*)$/gm)) outputs[m[1]!] = m[2]!;
  for (const m of text.matchAll(/^([\w-]+)<<(\w+)\n([\s\S]*?)\n?\2$/gm)) outputs[m[1]!] = m[3]!;
  return { code, log, outputs };
}

describe('the action keeps the approved plan before applying it, and a re-run applies that plan', () => {
  it('saves the state directory (with the approved plan) before the apply step', () => {
    const ids = steps.map((s) => s.id ?? s.name);
    const save = steps.findIndex((s) => s.uses?.startsWith('actions/cache/save@'));
    expect(save).toBeGreaterThan(ids.indexOf('run'));
    expect(save).toBeLessThan(ids.indexOf('apply'));
    expect(steps[save]!.if).toContain("steps.run.outputs.save-state == 'true'");
  });

  it('a re-run of the same commit applies the kept approved plan with --resume instead of re-planning the half-changed fleet', async () => {
    sim = await startSim({ scenario: 'demo' });
    const repo = mkdtempSync(join(tmpdir(), 'pcsync-partner-'));
    cpSync(join(repoRoot, 'desired-state'), join(repo, 'desired-state'), { recursive: true });
    const base = {
      PCSYNC_CLI: join(repoRoot, 'dist', 'cli', 'main.js'),
      DIR: 'desired-state',
      WORKDIR: '.',
      HIDE_USERS: 'false',
      FULL_PLAN_LINK: '',
      PCSYNC_STATE_DIR: '.pcsync',
      GITHUB_SHA: 'a'.repeat(40),
      PARTNER_CENTER_ENDPOINT: sim.url,
      PARTNER_CENTER_TOKEN: 'test-token',
      PCSYNC_POLL_MS: '20',
    };
    const runStep = steps.find((s) => s.id === 'run')!.run;
    const applyStep = steps.find((s) => s.id === 'apply')!.run;
    const reviewed = await step(runStep, repo, { ...base, COMMAND: 'plan' });
    const hash = /<!-- pcsync:actions-hash (sha256:[0-9a-f]{64}) -->/.exec(readFileSync(join(repo, 'plan.md'), 'utf8'))![1]!;
    expect(reviewed.outputs['exit-code']).toBe('2');

    // Attempt 1: plans, keeps the approved plan, asks for the state to be saved; then its runner is lost after
    // Contoso was applied (here: only Contoso is applied, and its journal goes with the runner).
    const first = await step(runStep, repo, { ...base, COMMAND: 'apply', APPROVED_HASH: hash });
    expect(first.code, first.log).toBe(0);
    expect(first.outputs).toMatchObject({ 'apply-plan': 'plan.json', resume: 'false', 'save-state': 'true', 'state-path': '.pcsync' });
    const kept = join(repo, '.pcsync', 'approved', `${hash.slice('sha256:'.length)}-${'a'.repeat(40)}.json`);
    expect(existsSync(kept)).toBe(true);
    const lost = mkdtempSync(join(tmpdir(), 'pcsync-lost-'));
    const partial = await runCli(['apply', 'plan.json', '--approved-hash', hash, '--customer', CONTOSO, '--state-dir', lost], { env: { ...base }, cwd: repo });
    expect(partial.code, partial.stdout + partial.stderr).toBe(0);
    rmSync(join(repo, 'plan.json'));

    // Attempt 2 (the re-run): the kept plan is applied again, resuming; nothing is planned again.
    const again = await step(runStep, repo, { ...base, COMMAND: 'apply', APPROVED_HASH: hash });
    expect(again.code, again.log).toBe(0);
    expect(again.log).toMatch(/Re-run: an earlier attempt kept the approved plan/);
    expect(again.outputs).toMatchObject({ 'apply-plan': 'plan.json', resume: 'true' });
    expect(again.outputs['save-state']).toBeUndefined();
    const applied = await step(applyStep, repo, { ...base, APPROVED_HASH: hash, APPLY_PLAN: 'plan.json', RESUME: 'true', PLAN_PATHS: again.outputs['plan-paths'] ?? '' });
    expect(applied.code, applied.log).toBe(0);
    expect(applied.outputs['exit-code']).toBe('0');
    expect(applied.outputs['artifact-paths']).toBe('plan.json\nplan-full.md\napply.log');
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });
});
