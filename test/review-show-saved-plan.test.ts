import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealPlanJson } from '../src/apply/plan-file.js';
import { render } from '../src/render/index.js';
import { fleetPlan } from './helpers/fleet-plan.js';
import { runCli, type CliResult } from './helpers/sim.js';

/** A 1,000-customer fleet plan saved as `plan --out` saves it, shown with the real CLI. */
describe('pcsync show <plan.json> renders a saved plan completely (issue 13, Done-when 2)', { timeout: 180_000 }, () => {
  const plan = fleetPlan(1000);
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-show-'));
  const file = join(dir, 'plan.json');
  // made once: sealing a 1,000-customer plan is seconds of CPU, and each edit below starts from the same text
  const saved = sealPlanJson(render(plan, 'json'));
  writeFileSync(file, saved);
  /** Every user principal name a rendering shows (one pass; a substring search per action took seconds on ~1 MB). */
  const upnsIn = (text: string) => new Set(text.match(/[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g));
  let text: CliResult;
  let markdown: CliResult;

  beforeAll(async () => {
    [text, markdown] = await Promise.all([runCli(['show', file, '--width', '100']), runCli(['show', file, '--format', 'markdown'])]);
  }, 180_000);

  it('prints every customer and every action of the fleet as text', () => {
    expect(text.code).toBe(0);
    const actions = plan.customers.flatMap((c) => c.actions);
    expect(actions.length).toBeGreaterThan(5000);
    for (const c of plan.customers) expect(text.stdout, c.customerId).toContain(c.customerId);
    const shown = upnsIn(text.stdout);
    for (const a of actions) {
      if (a.kind === 'reassign') expect(shown.has(a.upn), a.upn).toBe(true);
      if (a.kind === 'suspend') expect(text.stdout).toContain(a.subscriptionId);
    }
    const count = (re: RegExp) => (text.stdout.match(re) ?? []).length;
    expect(count(/\+ purchase /g)).toBe(actions.filter((a) => a.kind === 'purchase').length);
    expect(count(/~ reassign /g)).toBe(actions.filter((a) => a.kind === 'reassign').length);
    expect(count(/! suspend /g)).toBe(actions.filter((a) => a.kind === 'suspend').length);
    for (const line of text.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--format markdown is the untruncated markdown: a detail section for every changing or blocked customer', () => {
    expect(markdown.code).toBe(0);
    expect(markdown.stdout.length).toBeGreaterThan(65_536);
    expect(markdown.stdout).not.toContain('have no detail section here');
    for (const c of plan.customers.filter((x) => x.actions.length > 0 || x.blockers.length > 0)) {
      expect(markdown.stdout).toContain(`<code>${c.customerId}</code>`);
    }
    const shown = upnsIn(markdown.stdout);
    for (const a of plan.customers.flatMap((c) => c.actions)) if (a.kind === 'reassign') expect(shown.has(a.upn), a.upn).toBe(true);
  });

  it('--comment gives the pull-request comment of the same plan, linking to the complete rendering (plan.yml)', async () => {
    const res = await runCli(['show', file, '--comment', '--full-plan-link', 'https://github.com/o/r/actions/runs/1/artifacts/2']);
    expect(res.code).toBe(0);
    expect(res.stdout.length).toBeLessThan(65_000);
    expect(res.stdout).toBe(render(plan, 'markdown', { fullPlanLink: 'https://github.com/o/r/actions/runs/1/artifacts/2' }));
    expect(res.stdout).toContain('The complete plan (every customer and action): https://github.com/o/r/actions/runs/1/artifacts/2');
  });

  it('refuses a plan file that was edited after it was saved, and names the file', async () => {
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, saved.replace(/"quantity": ?5\b/, '"quantity":9000'));
    const res = await runCli(['show', edited]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('edited.json');
    expect(res.stderr).toContain('changed after pcsync saved it');
    expect(res.stdout).toBe('');
  });

  it('refuses an edited plan whose integrity was resealed but whose actions no longer hash to the hash it shows', async () => {
    const edited = join(dir, 'resealed.json');
    const json = JSON.parse(saved); // packed actions: a purchase is stored whole (the first of its kind in its customer)
    const purchase = json.customers.flatMap((c: any) => c.actions).find((a: any) => a.kind === 'purchase');
    purchase.quantity = 9000;
    writeFileSync(edited, sealPlanJson(JSON.stringify(json)));
    const res = await runCli(['show', edited, '--format', 'markdown']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('do not hash to its actionsHash field');
    expect(res.stdout).toBe('');
  });
});
