import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, demoEnv, repoRoot } from './helpers/demo.js';

/** `--out` writes one kind of file whatever `--format` says; a name claiming another kind is refused up front. */
let sim: StartedSim;
let dir: string;
beforeAll(async () => {
  sim = await startSim({ scenario: 'demo' });
  dir = mkdtempSync(join(tmpdir(), 'pcsync-out-'));
});
afterAll(async () => sim?.close());

describe('--out says what it writes', () => {
  it('plan --format markdown --out p.md is refused before anything is read: --out is the sealed JSON plan', async () => {
    const mark = sim.audit.entries.length;
    const res = await runCli(['plan', '--format', 'markdown', '--out', 'p.md'], { env: demoEnv(sim), cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('--out p.md: --out always writes the sealed JSON plan for pcsync apply');
    expect(res.stderr).toContain('pcsync plan --format markdown --out plan.json > plan.md');
    expect(existsSync(join(dir, 'p.md'))).toBe(false);
    expect(sim.audit.entries.slice(mark)).toEqual([]);
  });

  it('plan --out - is refused (it wrote a file named "-"): --out names a file, stdout already carries the rendering', async () => {
    const mark = sim.audit.entries.length;
    const res = await runCli(['plan', '--out', '-'], { env: demoEnv(sim), cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('--out "-": --out names a file');
    expect(existsSync(join(dir, '-'))).toBe(false);
    expect(sim.audit.entries.slice(mark)).toEqual([]);
  });

  it('plan --format markdown --out p.json prints markdown and saves the sealed JSON plan', async () => {
    const res = await runCli(['plan', '--format', 'markdown', '--out', join(dir, 'p.json'), '--dir', join(repoRoot, 'desired-state')], { env: demoEnv(sim), cwd: dir });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stdout).toMatch(/^## pcsync plan/m);
    expect(JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'))).toHaveProperty('integrity');
  });

  it('import --out contoso.json is refused: import writes YAML', async () => {
    const mark = sim.audit.entries.length;
    const res = await runCli(['import', '--customer', CONTOSO, '--out', 'contoso.json', '--dir', join(repoRoot, 'desired-state')], { env: demoEnv(sim), cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('--out contoso.json: --out always writes a YAML desired-state file');
    expect(sim.audit.entries.slice(mark)).toEqual([]);
  });
});
