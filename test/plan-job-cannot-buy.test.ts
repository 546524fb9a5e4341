import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/sim.js';
import { INIT_ACTION } from './helpers/workflows.js';
import { repoRoot } from './helpers/demo.js';
import { hasAppOnly, readAuthSettings } from '../src/partner-center/auth-config.js';

/**
 * Issue 22, kind 2: the job that runs on pull requests holds nothing that can buy. A `pull_request` run uses the
 * pull request's own workflow file (partner-center-2026-12.md §3), so whatever that job can reach, any writer can
 * spend with, unreviewed. App-only Partner Center tokens can order (§2, learn:create-a-cart): the plan and drift
 * jobs must get no app secret, no federated credential (no `id-token`), no environment, and no secret the apply
 * job buys with. Checked on the files `pcsync init` writes (parsed YAML) and on pcsync's own workflows.
 */
type Step = { uses?: string; env?: Record<string, string>; with?: Record<string, string> };
type Job = { environment?: unknown; permissions?: Record<string, string>; steps: Step[] };
type Workflow = { permissions?: Record<string, string>; jobs: Record<string, Job> };

/** What `pcsync init` writes, read back from disk. */
async function initWorkflows(flags: string[]): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-init-'));
  const res = await runCli(['init', dir, '--action', INIT_ACTION, ...flags]);
  expect(res.code, res.stderr).toBe(0);
  const read = (f: string) => readFileSync(join(dir, '.github', 'workflows', f), 'utf8');
  return { plan: read('pcsync-plan.yml'), drift: read('pcsync-drift.yml'), apply: read('pcsync-apply.yml') };
}

/** Names of the secrets the apply job buys with. */
const BUYING_SECRETS = ['PARTNER_CENTER_CLIENT_SECRET', 'PARTNER_CENTER_CLIENT_ID', 'PARTNER_CENTER_REFRESH_TOKEN', 'PARTNER_CENTER_TOKEN', 'PARTNER_CENTER_PRICES_TOKEN'];
/** Variables that give pcsync an app-only (buying) credential or a token of a buying user. */
const BUYING_VARIABLES = ['PARTNER_CENTER_CLIENT_SECRET', 'PARTNER_CENTER_CLIENT_ASSERTION', 'PARTNER_CENTER_TOKEN', 'PARTNER_CENTER_PRICES_TOKEN'];

function expectCannotBuy(name: string, text: string): void {
  const w = parse(text) as Workflow;
  const secrets = [...text.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]!);
  expect(secrets.length, `${name} reads no secret at all`).toBeGreaterThan(0);
  for (const s of secrets) expect(BUYING_SECRETS, `${name} reads secrets.${s}`).not.toContain(s);
  expect(w.permissions?.['id-token'], `${name}: id-token for the workflow`).toBeUndefined();
  for (const [id, job] of Object.entries(w.jobs)) {
    expect(job.permissions?.['id-token'], `${name}: id-token for job ${id}`).toBeUndefined();
    // An environment would hand its secrets (and its OIDC subject) to this job.
    expect(job.environment, `${name}: job ${id} uses an environment`).toBeUndefined();
    for (const s of job.steps) {
      for (const v of BUYING_VARIABLES) expect(s.env?.[v], `${name}: ${v} in a step`).toBeUndefined();
      if (!s.env) continue;
      // What pcsync itself makes of that step's variables (secrets as stand-in values, literals as written, and
      // the runner's OIDC variables as if the job could request a token): App+User only, never an app-only token.
      const oidc = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' };
      const env = { ...oidc, ...Object.fromEntries(Object.entries(s.env).map(([k, v]) => [k, String(v).includes('${{') ? `value-of-${k}` : String(v)])) };
      const { settings } = readAuthSettings(env);
      expect(hasAppOnly(settings), `${name}: pcsync could get an app-only token`).toBe(false);
    }
  }
}

describe('the pull-request plan job (and drift) hold no credential that can buy', () => {
  for (const flags of [[], ['--federated'], ['--hide-users', '--federated']]) {
    it(`pcsync init ${flags.join(' ')}: plan and drift get the reader only; apply keeps the buying credential behind its environment`, async () => {
      const w = await initWorkflows(flags);
      expectCannotBuy('pcsync-plan.yml', w.plan!);
      expectCannotBuy('pcsync-drift.yml', w.drift!);
      const apply = parse(w.apply!) as Workflow;
      const job = Object.values(apply.jobs)[0]!;
      expect(job.environment).toBe('partner-center');
      expect(apply.permissions?.['id-token']).toBeUndefined();
      expect(job.permissions?.['id-token']).toBe(flags.includes('--federated') ? 'write' : undefined);
      expect(w.apply).toContain(flags.includes('--federated') ? 'PARTNER_CENTER_CLIENT_ASSERTION: github-oidc' : 'secrets.PARTNER_CENTER_CLIENT_SECRET');
    });
  }

  it("pcsync's own plan.yml and drift.yml", () => {
    for (const f of ['plan.yml', 'drift.yml']) expectCannotBuy(f, readFileSync(join(repoRoot, '.github', 'workflows', f), 'utf8'));
  });
});
