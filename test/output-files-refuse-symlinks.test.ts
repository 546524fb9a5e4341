import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { copyDesiredState, demoEnv, repoRoot } from './helpers/demo.js';
import { actionText } from './helpers/workflows.js';

/**
 * Issue 22, kind 4: a committed symlink named like an output (`plan.json`, `plan.md`, `plan-full.md`, `apply.log`,
 * `drift.md`, an `import --out` file) must not redirect pcsync's write to wherever it points. Each is refused, and
 * the file the link points at is untouched.
 */
let sim: StartedSim;
beforeAll(async () => (sim = await startSim({ scenario: 'demo' })));
afterAll(async () => sim?.close());

/** A directory holding `target.txt` and a symlink `name` → target.txt. */
function linked(name: string): { dir: string; target: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-link-'));
  const target = join(dir, 'target.txt');
  writeFileSync(target, 'precious\n');
  symlinkSync(target, join(dir, name));
  return { dir, target };
}

describe('pcsync never writes through a symlink', () => {
  it('plan --out <symlink> is refused with exit 1; the link target is untouched', async () => {
    const { dir, target } = linked('plan.json');
    const res = await runCli(['plan', '--dir', join(repoRoot, 'desired-state'), '--out', 'plan.json'], { env: demoEnv(sim), cwd: dir });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain('--out plan.json is a symbolic link; pcsync never writes through a link');
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'plan.json')).isSymbolicLink()).toBe(true);
  });

  it('plan --out to a plain file still works, and overwrites an older plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-out-'));
    writeFileSync(join(dir, 'plan.json'), 'old');
    const res = await runCli(['plan', '--dir', join(repoRoot, 'desired-state'), '--out', 'plan.json'], { env: demoEnv(sim), cwd: dir });
    expect(res.code, res.stderr).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).actionsHash).toMatch(/^sha256:/);
  });

  it('import --out <symlink> is refused', async () => {
    const { dir, target } = linked('contoso.yaml');
    const desired = copyDesiredState();
    const res = await runCli(['import', '--dir', desired, '--customer', '8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d', '--out', join(dir, 'contoso.yaml'), '--force'], { env: demoEnv(sim) });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain('is a symbolic link');
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  /** The action's run step (action.yml), word for word, in bash; `node` is never reached when it refuses. */
  const runStep = (parse(actionText()) as { runs: { steps: { id?: string; run?: string }[] } }).runs.steps.find((s) => s.id === 'run')!.run!;

  for (const [command, name] of [['plan', 'plan.md'], ['plan', 'plan-full.md'], ['plan', 'plan.json'], ['apply', 'apply.log'], ['drift', 'drift.md']] as const) {
    it(`the action refuses a symlinked ${name} before running pcsync ${command}`, () => {
      const { dir, target } = linked(name);
      const output = join(dir, 'github_output');
      writeFileSync(output, '');
      const marker = join(dir, 'pcsync-ran');
      const fakeCli = join(dir, 'fake-cli.js');
      writeFileSync(fakeCli, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');`);
      const res = spawnSync('bash', ['-e', '-c', runStep], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, PCSYNC_CLI: fakeCli, COMMAND: command, DIR: 'desired-state', WORKDIR: '.', HIDE_USERS: 'false', APPROVED_HASH: `sha256:${'0'.repeat(64)}`, FULL_PLAN_LINK: '', GITHUB_OUTPUT: output },
      });
      expect(res.status, res.stdout + res.stderr).toBe(1);
      expect(res.stdout).toContain(`::error::${name} in . is a symbolic link or not a regular file; pcsync never writes through a link. Nothing was run.`);
      expect(existsSync(marker)).toBe(false);
      expect(readFileSync(target, 'utf8')).toBe('precious\n');
    });
  }

  it('the action runs pcsync when the names are free (the check does not stop the normal case)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-free-'));
    mkdirSync(join(dir, 'desired-state'));
    const output = join(dir, 'github_output');
    writeFileSync(output, '');
    const fakeCli = join(dir, 'fake-cli.js');
    writeFileSync(fakeCli, `process.exit(0);`);
    const res = spawnSync('bash', ['-e', '-c', runStep], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, PCSYNC_CLI: fakeCli, COMMAND: 'validate', DIR: 'desired-state', WORKDIR: '.', HIDE_USERS: 'false', APPROVED_HASH: '', FULL_PLAN_LINK: '', GITHUB_OUTPUT: output } });
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(readFileSync(output, 'utf8')).toContain('exit-code=0');
  });
});
