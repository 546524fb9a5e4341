import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { actionText, allWorkflows } from './helpers/workflows.js';

type Step = { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> };
type Workflow = { env?: Record<string, string>; jobs: Record<string, { env?: Record<string, string>; steps: Step[] }> };

const workflows = allWorkflows();
const CREDENTIALS = ['PARTNER_CENTER_TOKEN', 'PARTNER_CENTER_TENANT_ID', 'PARTNER_CENTER_CLIENT_ID', 'PARTNER_CENTER_REFRESH_TOKEN', 'PARTNER_CENTER_CLIENT_SECRET'];
const action = parse(actionText()) as { runs: { steps: Step[] } };
/** `uses:` values of every step, with the text of the line (for the tag comment). */
const usesLines = (text: string) => [...text.matchAll(/^\s*(?:- )?uses: (\S+)(.*)$/gm)].map((m) => ({ uses: m[1]!, rest: m[2]! }));

describe.each(Object.keys(workflows))('%s is hardened', (p) => {
  const text = workflows[p]!;
  const w = parse(text) as Workflow;
  const allSteps = Object.values(w.jobs).flatMap((j) => j.steps);

  it('no secrets in workflow- or job-level env; secrets only as same-named env of steps that run pcsync', () => {
    expect(JSON.stringify(w.env ?? {})).not.toContain('secrets.');
    for (const job of Object.values(w.jobs)) expect(JSON.stringify(job.env ?? {})).not.toContain('secrets.');
    expect(allSteps.map((s) => s.run ?? '').join('\n')).not.toContain('secrets.');
    for (const s of allSteps) {
      const secretEnv = Object.entries(s.env ?? {}).filter(([, v]) => String(v).includes('secrets.'));
      if (secretEnv.length === 0) continue;
      // The step is the pcsync action (local or pinned), running a command that talks to Partner Center.
      expect(s.uses).toMatch(/^(\.\/(pcsync-tool)?|[\w-]+\/pcsync@[0-9a-f]{40})$/);
      expect(['plan', 'apply', 'drift']).toContain(s.with?.command);
      for (const [name, v] of secretEnv) expect(v).toBe(`\${{ secrets.${name} }}`);
      // msal sign-in that lasts: tenant, client id, refresh token, and the client secret unless the app is federated.
      const names = secretEnv.map(([n]) => n).sort();
      const federated = s.env?.PARTNER_CENTER_CLIENT_ASSERTION === 'github-oidc';
      expect(names).toEqual(CREDENTIALS.filter((c) => c !== 'PARTNER_CENTER_TOKEN' && !(federated && c === 'PARTNER_CENTER_CLIENT_SECRET')).sort());
      if (federated) expect(JSON.stringify((w as { permissions?: unknown }).permissions)).toContain('"id-token":"write"');
    }
    // Every `secrets.` in the file is one of those env lines.
    expect((text.match(/secrets\./g) ?? []).length).toBe(allSteps.reduce((n, s) => n + Object.values(s.env ?? {}).filter((v) => String(v).includes('secrets.')).length, 0));
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

  it('installs with --ignore-scripts, and blanks every credential in each step that does not run pcsync', () => {
    const installs = steps.filter((s) => /\bnpm (ci|install|i)\b/.test(s.run ?? ''));
    expect(installs.length).toBeGreaterThan(0);
    for (const s of installs) {
      for (const l of s.run!.split('\n').filter((x) => /\bnpm (ci|install|i)\b/.test(x))) expect(l).toContain('--ignore-scripts');
    }
    for (const s of steps) {
      if (s.run && /PCSYNC_CLI/.test(s.run)) continue;
      for (const c of ['PARTNER_CENTER_TOKEN', 'PARTNER_CENTER_REFRESH_TOKEN', 'PARTNER_CENTER_CLIENT_SECRET', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']) expect(s.env?.[c]).toBe('');
    }
  });

  it('never pastes an input into a script (inputs reach scripts as environment variables)', () => {
    for (const s of steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
  });
});
