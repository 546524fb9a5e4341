import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { FABRIKAM } from './helpers/demo.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } });

/** Issue 23, Done-when 3: a repository made by `pcsync init` gets plans with money in them and keeps the plan out of git. */
describe('the first day with pcsync init', { timeout: 120_000 }, () => {
  it('init --local → import --all → plan --format markdown shows prices; plan.json and the other outputs are ignored by git', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pcsync-first-day-')), 'partner');
    // local mode: a trial on this machine needs no pinned action, and writes no workflows
    const init = await runCli(['init', dir, '--local']);
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(dir, '.github'))).toBe(false);
    const partner = readFileSync(join(dir, 'desired-state/pcsync.yaml'), 'utf8');
    expect(partner).toMatch(/^prices:\n {2}priceSheet: true$/m);
    expect(partner).toMatch(/^# policy:\n# {3}maxSpendPerRun: \{ amount: \d+, currency: USD \}$/m);

    sim = await startSim({ scenario: 'demo' });
    // a credential that may read the price sheet (Admin agent or Sales agent): the simulator serves it on its own URL
    const env = { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', PARTNER_CENTER_PRICES_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token', PCSYNC_NOW: '2026-03-01T09:30:00Z' };
    const imported = await runCli(['import', '--all'], { cwd: dir, env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(readdirSync(join(dir, 'desired-state/customers')).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(0);

    const plan = await runCli(['plan', '--format', 'markdown', '--out', 'plan.json'], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(2);
    const top = plan.stdout.split('\n').slice(0, 40).join('\n');
    expect(top).toMatch(/\| \*\*total USD\*\* \| \| \| \| \| \*\*USD [\d,]+\.\d\d\*\* \| \*\*USD [\d,]+\.\d\d\*\* \|/);
    expect(top).toContain('Prices: Partner Center price sheet (US, updatedlicensebased)');
    expect(top).not.toContain('price unknown');
    // what import wrote, plan accepts: no warning about the offer names it chose
    expect(plan.stdout).not.toContain('offer-name-differs');
    // the Government customer is still told it moves to commercial pricing
    expect(plan.stdout).toContain('`price-group-changed` **Fabrikam Government**');
    expect(plan.stdout).toContain(FABRIKAM);

    // git: the plan (it names every user) and the other files pcsync writes here are ignored; the desired state is not
    git(dir, 'init', '-q');
    for (const f of ['plan.md', 'plan-full.md', 'drift.md', 'apply.log']) writeFileSync(join(dir, f), 'x');
    git(dir, 'add', '-A');
    const staged = git(dir, 'diff', '--cached', '--name-only').split('\n');
    for (const f of ['plan.json', 'plan.md', 'plan-full.md', 'drift.md', 'apply.log']) expect(staged).not.toContain(f);
    expect(existsSync(join(dir, 'plan.json'))).toBe(true);
    expect(staged).toContain('desired-state/pcsync.yaml');
    expect(staged.some((f) => f.startsWith('desired-state/customers/') && f.endsWith('.yaml'))).toBe(true);
    expect(staged.some((f) => f.startsWith('.pcsync/'))).toBe(false);
  });

  it('init without --action and without --local says how to try it locally; --local with --action is refused', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pcsync-first-day-')), 'partner');
    const missing = await runCli(['init', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('pcsync init --local');
    const both = await runCli(['init', dir, '--local', '--action', 'o/pcsync@0123456789abcdef0123456789abcdef01234567']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--local writes no workflows');
    expect(existsSync(dir)).toBe(false);
  });
});
