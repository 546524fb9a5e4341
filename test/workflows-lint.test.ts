import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { demoDesired, demoLive } from './fixtures/plan/demo.js';
import { plan } from './fixtures/plan/edit.js';
import { repoRoot } from './helpers/demo.js';
import { actionAsWorkflow, actionText, allWorkflows, runLint } from './helpers/workflows.js';
// The apply workflow's approval script, word for word.
import { MARKER } from '../.github/scripts/approval.mjs';

type Step = { id?: string; uses?: string; run?: string; if?: string; with?: Record<string, string>; env?: Record<string, string> };
const workflows = allWorkflows();
const own = (f: string) => parse(workflows[`.github/workflows/${f}`]!);
const steps = (w: { jobs: Record<string, { steps: Step[] }> }) => Object.values(w.jobs).flatMap((j) => j.steps);

describe('workflows and action.yml pass actionlint 1.7', () => {
  it('lints the files it should: pcsync\'s three workflows and the three init writes (three variants)', () => {
    expect(Object.keys(workflows).filter((p) => p.startsWith('.github/'))).toEqual(['.github/workflows/apply.yml', '.github/workflows/drift.yml', '.github/workflows/plan.yml']);
    expect(Object.keys(workflows)).toHaveLength(12);
  });

  it.each(Object.keys(workflows))('%s', async (p) => {
    expect(await runLint(workflows[p]!, p.replace(/^init.*: /, ''))).toEqual([]);
  });

  it('action.yml (its steps, expressions and outputs, linted as a workflow)', async () => {
    expect(await runLint(actionAsWorkflow(actionText()), 'action.yml')).toEqual([]);
    const a = parse(actionText());
    expect(a.runs.using).toBe('composite');
    for (const s of a.runs.steps as Step[]) if (s.run) expect((s as { shell?: string }).shell).toBe('bash');
    expect(Object.keys(a.inputs)).toEqual(expect.arrayContaining(['command', 'directory', 'pcsync-version']));
  });

  it('catches what the old 1.6 build missed: an undefined step output, an outdated action, and still syntax errors', async () => {
    const broken = workflows['.github/workflows/plan.yml']!
      .replace('timeout-minutes: 30', 'timeout-minute: 30')
      .replace("steps.plan.outputs.exit-code == '3'", "steps.plann.outputs.exit-code == '3'")
      .replace(/actions\/upload-artifact@[0-9a-f]{40}/, 'actions/upload-artifact@v2');
    const kinds = (await runLint(broken, 'broken.yml')).map((e) => e.kind).sort();
    expect(kinds).toEqual(['action', 'expression', 'syntax-check']);
    const undefinedOutput = actionAsWorkflow(actionText()).replace('steps.run.outputs.exit-code', 'steps.runn.outputs.exit-code');
    expect((await runLint(undefinedOutput, 'action.yml')).map((e) => e.kind)).toEqual(['expression']);
  });
});

describe("pcsync's own workflows", () => {
  it('plan.yml: on pull requests touching desired-state/, runs the BASE commit\'s pcsync on the PR\'s desired state, one sticky comment', () => {
    const w = own('plan.yml');
    expect(w.on.pull_request.paths).toEqual(['desired-state/**']);
    expect(w.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', checks: 'write' });
    const s = steps(w);
    const tool = s.find((x) => x.with?.path === 'pcsync-tool')!;
    expect(tool.with!.ref).toBe('${{ github.event.pull_request.base.sha }}');
    // Every pcsync step is the action from the base checkout, never the pull request's tree.
    const pcsync = s.filter((x) => x.uses?.startsWith('./'));
    expect(pcsync.map((x) => [x.uses, x.with?.command, x.with?.['working-directory']])).toEqual([
      ['./pcsync-tool', 'validate', 'pr'],
      ['./pcsync-tool', 'plan', 'pr'],
    ]);
    expect(s.some((x) => /\bnpm\b|node /.test(x.run ?? ''))).toBe(false);
    const comment = s.find((x) => x.uses?.startsWith('marocchino/sticky-pull-request-comment@'))!;
    expect(comment.with).toEqual({ header: 'pcsync-plan', path: 'pr/plan.md' });
  });

  it('apply.yml: on push to main, behind a protected environment, never two at once, approval then apply, .pcsync/ kept', () => {
    const w = own('apply.yml');
    expect(w.on.push.branches).toEqual(['main']);
    expect(w.concurrency).toEqual({ group: 'pcsync-apply', 'cancel-in-progress': false });
    expect(w.jobs.apply.environment).toBe('partner-center');
    const s = steps(w);
    const approval = s.find((x) => x.id === 'approval')!;
    expect(approval.with).toEqual({ command: 'approval' });
    const apply = s.find((x) => x.id === 'apply')!;
    expect(apply.with!['approved-hash']).toBe('${{ steps.approval.outputs.approved-hash }}');
    const restore = s.findIndex((x) => x.uses?.startsWith('actions/cache/restore@'));
    const save = s.find((x) => x.uses?.startsWith('actions/cache/save@'))!;
    expect(restore).toBeGreaterThan(-1);
    expect(restore).toBeLessThan(s.indexOf(apply));
    expect([s[restore]!.with!.path, save.with!.path, save.if]).toEqual(['.pcsync', '.pcsync', 'always()']);
    const upload = s.find((x) => x.uses?.startsWith('actions/upload-artifact@'))!;
    expect([upload.if, upload.with!.path]).toEqual(['always()', '${{ steps.apply.outputs.artifact-paths }}']);
  });

  it('the approval script reads the hash with the marker the markdown plan starts with', () => {
    const p = plan(demoDesired(), demoLive());
    const md = render(p, 'markdown');
    expect(MARKER.exec(md)?.[1]).toBe(p.actionsHash);
    expect(MARKER.exec(`quoted\n${md}`)).toBeNull();
  });

  it('drift.yml: on a schedule, drift only, read-only permissions (plus issues: write for the renewals and unused seats issue)', () => {
    const w = own('drift.yml');
    expect(w.on.schedule).toHaveLength(1);
    expect(w.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(steps(w).filter((x) => x.uses === './').map((x) => x.with?.command)).toEqual(['drift']);
  });

  it('README "Use in CI" names the three workflows and every secret they use', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## Use in CI');
    expect(start).toBeGreaterThan(0);
    const next = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, next < 0 ? undefined : next);
    for (const f of ['plan.yml', 'apply.yml', 'drift.yml']) expect(section).toContain(`.github/workflows/${f}`);
    const secrets = new Set(Object.values(workflows).flatMap((t) => [...t.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]!)));
    // the buying credential (apply) and the reader (plan, drift) under their own names
    expect(secrets.size).toBe(6);
    expect(section).toContain('PARTNER_CENTER_CLIENT_ASSERTION');
    for (const s of secrets) expect(section).toContain(s);
    expect(section).toContain('partner-center');
  });

  it('README "Set up your partner repository": from init to the first merged migration, each workflow\'s secrets or federated credential', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## Set up your partner repository');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    for (const p of ['pcsync init', 'pcsync doctor', 'pcsync import', 'validate and plan', 'partner-center', 'merge']) expect(section).toContain(p);
    const initFiles = Object.keys(workflows).filter((p) => p.startsWith('init: ')).map((p) => p.replace(/^init: \.github\/workflows\//, ''));
    for (const f of initFiles) expect(section).toContain(f);
    const secrets = new Set(Object.entries(workflows).filter(([p]) => p.startsWith('init')).flatMap(([, t]) => [...t.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]!)));
    for (const sName of secrets) expect(section).toContain(sName);
    for (const p of ['PARTNER_CENTER_CLIENT_ASSERTION: github-oidc', 'id-token: write', 'repo:<owner>/<repo>:environment:partner-center', 'api://AzureADTokenExchange', 'What still needs App+User']) expect(section).toContain(p);
  });
});
