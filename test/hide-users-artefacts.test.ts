import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, repoRoot, SKU } from './helpers/demo.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** The action's "Run pcsync" and "Apply the approved plan" step scripts, word for word, as GitHub runs `shell: bash`. */
const steps = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')).runs.steps as { id?: string; run: string }[];
const runStep = steps.find((s) => s.id === 'run')!.run;
const applyStep = steps.find((s) => s.id === 'apply')!.run;
const UPN = /[a-z]+@(contoso|fabrikamgov)\.onmicrosoft\.com/i;

interface StepResult {
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

/** The "run" step, then (as the action does when "run" hands over an approved plan) the "apply" step. */
async function actionStep(repo: string, s: StartedSim, inputs: Record<string, string>): Promise<StepResult> {
  const first = await oneStep(runStep, repo, s, inputs);
  if (!first.outputs['apply-plan']) return first;
  const second = await oneStep(applyStep, repo, s, { ...inputs, APPLY_PLAN: first.outputs['apply-plan'], RESUME: first.outputs['resume'] ?? '', PLAN_PATHS: first.outputs['plan-paths'] ?? '' });
  return { ...second, log: first.log + second.log, outputs: { ...first.outputs, ...second.outputs }, summary: first.summary + second.summary };
}

async function oneStep(runStep: string, repo: string, s: StartedSim, inputs: Record<string, string>): Promise<StepResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'pcsync-step-'));
  const [script, out, summary] = ['step.sh', 'output', 'summary'].map((f) => join(tmp, f)) as [string, string, string];
  writeFileSync(script, runStep);
  writeFileSync(out, '');
  writeFileSync(summary, '');
  const env = {
    PATH: process.env.PATH,
    PCSYNC_CLI: join(repoRoot, 'dist', 'cli', 'main.js'),
    DIR: 'desired-state',
    WORKDIR: '.',
    HIDE_USERS: 'true',
    APPROVED_HASH: '',
    FULL_PLAN_LINK: '',
    PCSYNC_STATE_DIR: '.pcsync',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: summary,
    PARTNER_CENTER_ENDPOINT: s.url,
    PARTNER_CENTER_TOKEN: 'test-token',
    ...inputs,
  };
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  const outputs: Record<string, string> = {};
  const text = readFileSync(out, 'utf8');
  for (const m of text.matchAll(/^([\w-]+)=(.*)$/gm)) outputs[m[1]!] = m[2]!;
  for (const m of text.matchAll(/^([\w-]+)<<(\w+)\n([\s\S]*?)\n?\2$/gm)) outputs[m[1]!] = m[3]!;
  return { code, log, outputs, summary: readFileSync(summary, 'utf8') };
}

describe('hide-users: nothing that leaves the runner names a user', () => {
  it('action plan then apply with hide-users: comment, summary, log and every uploaded file count users instead of naming them; plan.json stays out', async () => {
    sim = await startSim({
      scenario: 'demo',
      // Seats run out at Contoso after two moves, so the apply summary lists who holds what.
      options: { faults: { seatsTaken: { customerId: CONTOSO, skuId: SKU.salesPro, after: 2, users: ['frank@contoso.onmicrosoft.com', 'grace@contoso.onmicrosoft.com'] } } },
    });
    const repo = mkdtempSync(join(tmpdir(), 'pcsync-partner-'));
    cpSync(join(repoRoot, 'desired-state'), join(repo, 'desired-state'), { recursive: true });

    const plan = await actionStep(repo, sim, { COMMAND: 'plan' });
    expect(plan.code, plan.log).toBe(0);
    expect(plan.outputs['exit-code']).toBe('2');
    expect(plan.outputs['artifact-paths']).toBe('plan.md\nplan-full.md');
    expect(readFileSync(join(repo, 'plan-full.md'), 'utf8')).not.toMatch(UPN);
    // The full plan exists on the runner (apply needs the names), it is just not uploaded.
    expect(readFileSync(join(repo, 'plan.json'), 'utf8')).toMatch(UPN);
    const comment = readFileSync(join(repo, 'plan.md'), 'utf8');
    for (const text of [comment, plan.summary, plan.log]) expect(text).not.toMatch(UPN);
    const hash = /<!-- pcsync:actions-hash (sha256:[0-9a-f]{64}) -->/.exec(comment)![1]!;

    const apply = await actionStep(repo, sim, { COMMAND: 'apply', APPROVED_HASH: hash });
    expect(apply.outputs['exit-code'], apply.log).toBe('4');
    expect(apply.code).toBe(4);
    const uploaded = apply.outputs['artifact-paths']!.split('\n');
    expect(uploaded).toEqual(['plan.md', 'plan-full.md', 'apply.log']);
    for (const f of uploaded) expect(readFileSync(join(repo, f), 'utf8'), f).not.toMatch(UPN);
    const log = readFileSync(join(repo, 'apply.log'), 'utf8');
    expect(log).toContain('Who holds what now');
    expect(log).toContain('[user]');
    for (const text of [apply.summary, apply.log]) expect(text).not.toMatch(UPN);
    // The work itself is unchanged by hiding names.
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(usersEverUnlicensed(sim.audit.entries, [[SKU.oldSales, SKU.salesPro], [SKU.oldCep, SKU.cep]])).toEqual([]);
    expect(existsSync(join(repo, '.pcsync'))).toBe(true);
  });

  it('without hide-users the artefact keeps plan.json, and the apply log names users (private repositories)', async () => {
    sim = await startSim({ scenario: 'demo' });
    const repo = mkdtempSync(join(tmpdir(), 'pcsync-partner-'));
    cpSync(join(repoRoot, 'desired-state'), join(repo, 'desired-state'), { recursive: true });
    const plan = await actionStep(repo, sim, { COMMAND: 'plan', HIDE_USERS: 'false' });
    expect([plan.code, plan.outputs['artifact-paths']]).toEqual([0, 'plan.json\nplan.md\nplan-full.md']);
    const hash = /<!-- pcsync:actions-hash (sha256:[0-9a-f]{64}) -->/.exec(readFileSync(join(repo, 'plan.md'), 'utf8'))![1]!;
    const wrong = await actionStep(repo, sim, { COMMAND: 'apply', HIDE_USERS: 'false', APPROVED_HASH: `sha256:${'0'.repeat(64)}` });
    expect(wrong.code).toBe(1);
    expect(wrong.log).toMatch(/approved/i);
    const apply = await actionStep(repo, sim, { COMMAND: 'apply', HIDE_USERS: 'false', APPROVED_HASH: hash });
    expect(apply.code, apply.log).toBe(0);
    expect(apply.outputs['artifact-paths']).toBe('plan.json\nplan.md\nplan-full.md\napply.log');
    expect(readFileSync(join(repo, 'apply.log'), 'utf8')).toMatch(UPN);
  });

  it('apply refuses to run without an approved hash, before any request', async () => {
    sim = await startSim({ scenario: 'demo' });
    const repo = mkdtempSync(join(tmpdir(), 'pcsync-partner-'));
    cpSync(join(repoRoot, 'desired-state'), join(repo, 'desired-state'), { recursive: true });
    const res = await actionStep(repo, sim, { COMMAND: 'apply' });
    expect(res.code).toBe(1);
    expect(res.log).toMatch(/^::error::apply needs approved-hash/m);
    expect(sim.audit.requests()).toEqual([]);
  });
});
