import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

describe('pcsync import --all', () => {
  let sim: StartedSim;
  beforeAll(async () => (sim = await startSim({ scenario: 'tricky' })));
  afterAll(async () => sim?.close());

  /** A fresh partner directory: desired-state/ with the repo's pcsync.yaml and no customer files. */
  function partnerDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-import-all-'));
    mkdirSync(join(dir, 'desired-state', 'customers'), { recursive: true });
    cpSync(join(repoRoot, 'desired-state', 'pcsync.yaml'), join(dir, 'desired-state', 'pcsync.yaml'));
    return dir;
  }

  it('writes one file per customer with a retired subscription in use, skips existing ones, and the result validates and plans', async () => {
    const dir = partnerDir();
    const existing = join(dir, 'desired-state', 'customers', 'keep-me.yaml');
    const first = await runCli(['import', '--all'], { cwd: dir, env: demoEnv(sim) });
    expect(first.code, first.stderr).toBe(0);
    const files = [...first.stderr.matchAll(/^Wrote (\S+):/gm)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(existsSync(join(dir, f))).toBe(true);
    expect(first.stderr).toMatch(/import --all: \d+ customer\(s\) read; \d+ file\(s\) written, 0 skipped/);

    // An edited file is not overwritten without --force.
    const one = join(dir, files[0]!);
    writeFileSync(one, `${readFileSync(one, 'utf8')}# reviewed by hand\n`);
    writeFileSync(existing, 'not a customer file of this import\n');
    const again = await runCli(['import', '--all'], { cwd: dir, env: demoEnv(sim) });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`${files.length} skipped \\(exist\\)`));
    expect(readFileSync(one, 'utf8')).toContain('# reviewed by hand');

    const validate = await runCli(['validate', 'desired-state'], { cwd: dir, env: demoEnv(sim) });
    expect(validate.code, validate.stderr).toBe(1); // keep-me.yaml is not a customer file
    writeFileSync(existing, '');
    const { rmSync } = await import('node:fs');
    rmSync(existing);
    expect((await runCli(['validate', 'desired-state'], { cwd: dir, env: demoEnv(sim) })).code).toBe(0);
    const plan = await runCli(['plan', '--dir', 'desired-state'], { cwd: dir, env: demoEnv(sim) });
    expect([2, 3]).toContain(plan.code);
  });

  it('refuses --all together with --customer, and neither, before any request', async () => {
    const before = sim.audit.requests().length;
    const both = await runCli(['import', '--all', '--customer', 'x'], { cwd: partnerDir(), env: demoEnv(sim) });
    const none = await runCli(['import'], { cwd: partnerDir(), env: demoEnv(sim) });
    expect([both.code, none.code]).toEqual([1, 1]);
    expect(both.stderr).toMatch(/either --customer <id> or --all/);
    expect(none.stderr).toMatch(/--customer <id or domain> \(one customer\) or --all/);
    expect(sim.audit.requests().length).toBe(before);
  });
});
