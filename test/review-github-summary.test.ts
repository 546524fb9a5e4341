import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { writeRequests } from '../src/sim/invariants.js';
import { ACTIONS_HASH_MARKER } from '../src/render/markdown.js';
import { CONTOSO, demoEnv, repoRoot } from './helpers/demo.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('pcsync in GitHub Actions', () => {
  it('plan --format markdown prints the PR comment and, with GITHUB_STEP_SUMMARY set, appends it to the job summary', async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-gh-'));
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    const planFile = join(dir, 'plan.json');
    const res = await runCli(['plan', '--format', 'markdown', '--out', planFile], { env: demoEnv(sim, { GITHUB_STEP_SUMMARY: summary }), cwd: repoRoot });
    expect(res.code, res.stderr).toBe(2);
    const { actionsHash } = JSON.parse(readFileSync(planFile, 'utf8'));
    expect(res.stdout.split('\n')[0]).toBe(`<!-- ${ACTIONS_HASH_MARKER} ${actionsHash} -->`);
    expect(res.stdout).toContain(`<code>${CONTOSO}</code>`);
    expect(readFileSync(summary, 'utf8')).toBe(`earlier step\n${res.stdout}\n`);
    expect(res.stderr).toContain(`actions hash ${actionsHash}`);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });

  it('the job summary follows --hide-users, also when the plan is printed as text', async () => {
    sim = await startSim({ scenario: 'demo' });
    const summary = join(mkdtempSync(join(tmpdir(), 'pcsync-gh-')), 'step-summary.md');
    const res = await runCli(['plan', '--hide-users'], { env: demoEnv(sim, { GITHUB_STEP_SUMMARY: summary }), cwd: repoRoot });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stdout).toContain('pcsync plan: 2 customer(s)');
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('🔁 **reassign** 5 users:');
    expect(md).not.toContain('alice@contoso.onmicrosoft.com');
  });

  it('validate switches to annotations when GITHUB_ACTIONS=true', async () => {
    const res = await runCli(['validate', 'test/fixtures/desired/three-mistakes'], { cwd: repoRoot, env: { GITHUB_ACTIONS: 'true' } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^::error file=test\/fixtures\/desired\/three-mistakes\/customers\/contoso\.yaml,line=\d+,col=\d+::/m);
  });
});
