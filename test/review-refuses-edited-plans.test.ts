import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { writeRequests } from '../src/sim/invariants.js';
import { CONTOSO, copyDesiredState, demoEnv, repoRoot, replaced } from './helpers/demo.js';

let sim: StartedSim;
let planFile: string;
beforeEach(async () => {
  sim = await startSim({ scenario: 'demo' });
  planFile = join(mkdtempSync(join(tmpdir(), 'pcsync-review-')), 'plan.json');
  const plan = await runCli(['plan', '--out', planFile], { env: demoEnv(sim), cwd: repoRoot });
  expect(plan.code, plan.stderr).toBe(2);
});
afterEach(async () => sim?.close());

/** Runs apply and returns its result with the audit entries it caused. */
async function applyAfterPlan(args: string[]) {
  const mark = sim.audit.entries.length;
  const res = await runCli(['apply', ...args], { env: demoEnv(sim), cwd: repoRoot });
  return { ...res, entries: sim.audit.entries.slice(mark) };
}

describe('apply refuses a plan file it cannot trust, before any request', () => {
  it('one action edited by hand (integrity hash no longer matches)', async () => {
    const saved = JSON.parse(readFileSync(planFile, 'utf8'));
    const purchase = saved.customers.find((c: { customerId: string }) => c.customerId === CONTOSO).actions.find((a: { kind: string }) => a.kind === 'purchase');
    expect(purchase.quantity).toBe(5);
    purchase.quantity = 50;
    writeFileSync(planFile, JSON.stringify(saved, null, 2));

    const res = await applyAfterPlan([planFile]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${planFile}: was changed after pcsync saved it`);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.entries).toEqual([]);
  });

  it('a plan printed with --format json instead of saved with --out (no integrity hash)', async () => {
    const printed = await runCli(['plan', '--format', 'json'], { env: demoEnv(sim), cwd: repoRoot });
    writeFileSync(planFile, printed.stdout);
    const res = await applyAfterPlan([planFile]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('has no integrity hash');
    expect(res.entries).toEqual([]);
  });

  it('a plan made from other desired state', async () => {
    const dir = copyDesiredState((files) => {
      files['pcsync.yaml'] = replaced(files['pcsync.yaml']!, 'seatHeadroom: 0', 'seatHeadroom: 1');
    });
    const res = await applyAfterPlan([planFile, '--dir', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('was made from different desired state');
    expect(res.entries).toEqual([]);
  });

  it('a plan whose actions hash is not the approved one; the approved one is applied', async () => {
    const { actionsHash } = JSON.parse(readFileSync(planFile, 'utf8'));
    const other = `sha256:${'0'.repeat(64)}`;
    const refused = await applyAfterPlan([planFile, '--approved-hash', other]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`its actions hash ${actionsHash} is not the approved ${other}`);
    expect(refused.entries).toEqual([]);

    const withoutPlan = await applyAfterPlan(['--auto-approve', '--approved-hash', actionsHash]);
    expect(withoutPlan.code).toBe(1);
    expect(withoutPlan.stderr).toContain('--approved-hash checks a saved plan');
    expect(withoutPlan.entries).toEqual([]);

    const applied = await applyAfterPlan([planFile, '--approved-hash', actionsHash]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(writeRequests(applied.entries).length).toBeGreaterThan(0);
  });
});
