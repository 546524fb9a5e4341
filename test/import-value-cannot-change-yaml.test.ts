import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, copyDesiredState, demoEnv } from './helpers/demo.js';
import { expectInert, HOSTILE_UPN, hostileScenario } from './helpers/hostile.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

/**
 * import wrote live UPNs raw into YAML comments: a UPN holding a newline added a licence entry, so the plan
 * bought 7 seats while import's own message said 5. No value may change the structure of the written file.
 */
describe('import: a live value cannot change the YAML it writes', () => {
  it('a UPN with a newline and a licence entry in it stays one comment line; the plan buys what import said', async () => {
    sim = await startSim({ scenario: hostileScenario() });
    const dir = copyDesiredState();
    rmSync(join(dir, 'customers', 'contoso.yaml'));
    const out = join(dir, 'customers', 'contoso.yaml');
    const env = demoEnv(sim, { PCSYNC_NOW: '2026-12-01T00:00:00Z' });
    const imported = await runCli(['import', '--dir', dir, '--customer', CONTOSO, '--out', out], { env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/move 5 user\(s\)/);
    const yaml = readFileSync(out, 'utf8');
    expectInert('imported file', yaml);
    // Every line is a comment, blank, or YAML that import itself wrote: the UPN's "- subscription:" stays in a comment.
    expect(yaml.split('\n').filter((l) => /^\s*- subscription:/.test(l))).toHaveLength(1);
    const doc = parse(yaml) as { licenses: { subscription: string; from?: string; users?: string[] }[] };
    expect(doc.licenses).toHaveLength(1);
    expect(doc.licenses[0]!.users).toBeUndefined();
    expect(yaml).toContain(HOSTILE_UPN.split('\n')[0]);

    const planDir = mkdtempSync(join(tmpdir(), 'pcsync-import-plan-'));
    const plan = await runCli(['plan', '--dir', dir, '--customer', CONTOSO, '--format', 'json', '--out', join(planDir, 'plan.json')], { env });
    expect(plan.code, plan.stderr).toBe(2);
    const actions = (JSON.parse(plan.stdout) as { customers: { actions: { kind: string; quantity?: number }[] }[] }).customers[0]!.actions;
    expect(actions.filter((a) => a.kind === 'purchase').map((a) => a.quantity)).toEqual([5]);
    expect(actions.filter((a) => a.kind === 'reassign')).toHaveLength(5);
  });
});
