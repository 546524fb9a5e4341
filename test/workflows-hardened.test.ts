import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { actionText, allWorkflows } from './helpers/workflows.js';
import { CREDENTIAL_VARIABLES } from '../src/core/inert.js';
import { READER_SECRETS } from '../src/init/workflows.js';

type Step = { id?: string; name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> };
type Job = { env?: Record<string, string>; environment?: string; permissions?: Record<string, string>; steps: Step[] };
type Workflow = { env?: Record<string, string>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const workflows = allWorkflows();
const action = parse(actionText()) as { runs: { steps: Step[] } };
/** `uses:` values of every step, with the text of the line (for the tag comment). */
const usesLines = (text: string) => [...text.matchAll(/^\s*(?:- )?uses: (\S+)(.*)$/gm)].map((m) => ({ uses: m[1]!, rest: m[2]! }));
/** The buying credential of apply: each from the environment secret of the same name. */
const BUYER = ['PARTNER_CENTER_TENANT_ID', 'PARTNER_CENTER_CLIENT_ID', 'PARTNER_CENTER_REFRESH_TOKEN', 'PARTNER_CENTER_CLIENT_SECRET'];

describe.each(Object.keys(workflows))('%s is hardened', (p) => {
  const text = workflows[p]!;
  const w = parse(text) as Workflow;
  const allSteps = Object.values(w.jobs).flatMap((j) => j.steps);

  it('no secrets in workflow- or job-level env; secrets only in the env of steps that run pcsync: the reader for plan and drift, the buyer for apply', () => {
    expect(JSON.stringify(w.env ?? {})).not.toContain('secrets.');
    for (const job of Object.values(w.jobs)) expect(JSON.stringify(job.env ?? {})).not.toContain('secrets.');
    expect(allSteps.map((s) => s.run ?? '').join('\n')).not.toContain('secrets.');
    for (const [, job] of Object.entries(w.jobs)) {
      for (const s of job.steps) {
        const secretEnv = Object.entries(s.env ?? {}).filter(([, v]) => String(v).includes('secrets.'));
        if (secretEnv.length === 0) continue;
        // The step is the pcsync action (local or pinned), running a command that talks to Partner Center.
        expect(s.uses).toMatch(/^(\.\/(pcsync-tool)?|[\w-]+\/pcsync@[0-9a-f]{40})$/);
        expect(['plan', 'apply', 'drift']).toContain(s.with?.command);
        const federated = s.env?.PARTNER_CENTER_CLIENT_ASSERTION === 'github-oidc';
        if (s.with?.command === 'apply') {
          // only behind the protected environment; msal sign-in that lasts, the app secret unless federated
          expect(job.environment).toBe('partner-center');
          for (const [name, v] of secretEnv) expect(v).toBe(`\${{ secrets.${name} }}`);
          expect(secretEnv.map(([n]) => n).sort()).toEqual(BUYER.filter((c) => !(federated && c === 'PARTNER_CENTER_CLIENT_SECRET')).sort());
          if (federated) expect(job.permissions?.['id-token']).toBe('write');
        } else {
          expect(Object.fromEntries(secretEnv.map(([n, v]) => [n, v]))).toEqual(Object.fromEntries(Object.entries(READER_SECRETS).map(([n, secret]) => [n, `\${{ secrets.${secret} }}`])));
          expect(federated).toBe(false);
        }
      }
    }
    // Every `secrets.` in the file is one of those env lines.
    expect((text.match(/secrets\./g) ?? []).length).toBe(allSteps.reduce((n, s) => n + Object.values(s.env ?? {}).filter((v) => String(v).includes('secrets.')).length, 0));
  });

  it('id-token: write only on the job that signs in with it (apply, behind its environment), never for the whole workflow', () => {
    expect(w.permissions?.['id-token']).toBeUndefined();
    for (const job of Object.values(w.jobs)) {
      if (job.permissions?.['id-token'] === undefined) continue;
      expect(job.environment).toBe('partner-center');
      expect(job.steps.some((s) => s.env?.PARTNER_CENTER_CLIENT_ASSERTION === 'github-oidc')).toBe(true);
    }
  });

  it('every action from outside the repository is pinned to a 40-hex commit SHA with its tag in a comment', () => {
    const uses = usesLines(text);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) {
      if (u.uses.startsWith('./')) continue;
      expect(u.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(u.rest).toMatch(/^ # v\d+(\.\d+)*$/);
    }
  });

  it('runs no dependency install scripts (no npm/yarn/pnpm install at all; the action installs pcsync)', () => {
    const scripts = allSteps.map((s) => s.run ?? '').join('\n');
    expect(scripts).not.toMatch(/\b(npm|yarn|pnpm|npx)\b/);
  });
});

describe('action.yml is hardened', () => {
  const steps = action.runs.steps;

  it('pins its third-party actions to commit SHAs', () => {
    for (const u of usesLines(actionText())) expect(u.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  it('installs with --ignore-scripts, and blanks every secret pcsync reads (the redaction list) in each step that does not run pcsync', () => {
    const installs = steps.filter((s) => /\bnpm (ci|install|i)\b/.test(s.run ?? ''));
    expect(installs.length).toBeGreaterThan(0);
    for (const s of installs) {
      for (const l of s.run!.split('\n').filter((x) => /\bnpm (ci|install|i)\b/.test(x))) expect(l).toContain('--ignore-scripts');
    }
    // PARTNER_CENTER_PRICES_TOKEN is one of them (issue 22); GITHUB_TOKEN only where the step talks to GitHub.
    expect(CREDENTIAL_VARIABLES).toContain('PARTNER_CENTER_PRICES_TOKEN');
    const githubSteps = steps.filter((s) => /^node .*(approval|plan-check|drift-issue)\.mjs"$/.test(s.run ?? ''));
    expect(githubSteps).toHaveLength(3);
    for (const s of steps) {
      if (s.run && /PCSYNC_CLI/.test(s.run)) continue;
      for (const c of CREDENTIAL_VARIABLES) {
        const want = c === 'GITHUB_TOKEN' && githubSteps.includes(s) ? '${{ inputs.github-token }}' : '';
        expect(s.env?.[c], `${s.name}: ${c}`).toBe(want);
      }
    }
  });

  it('never pastes an input into a script (inputs reach scripts as environment variables)', () => {
    for (const s of steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
  });
});
