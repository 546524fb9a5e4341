import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type CliResult, type StartedSim } from './helpers/sim.js';
import { msalEnv } from './helpers/auth.js';
import { CONTOSO, repoRoot } from './helpers/demo.js';
import { connect } from '../src/cli/connect.js';

let sims: StartedSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

/** Distinctive values planted in every credential variable. */
const CANARY = {
  token: 'CANARYtokenQ7w8e9r0t1y2',
  clientSecret: 'CANARYsecretZ1x2c3v4b5n6',
  refreshToken: 'CANARYrefreshM9n8b7v6c5x4',
} as const;
const CANARIES = Object.values(CANARY);
/** An access token the simulator issued (a JWT), which a header-echoing gateway would repeat. */
const ISSUED_TOKEN = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function expectNoCanary(where: string, text: string): void {
  for (const c of CANARIES) expect(text.includes(c), `${where} holds a credential (${c.slice(0, 12)}…)`).toBe(false);
  // The configured values may also leak percent- or base64-encoded.
  for (const c of CANARIES) expect(text.includes(Buffer.from(c).toString('base64').slice(0, 16)), `${where} holds a base64 credential`).toBe(false);
  expect(ISSUED_TOKEN.test(text), `${where} holds an access token`).toBe(false);
}

const staticEnv = (sim: StartedSim, extra: Record<string, string> = {}) => ({ PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: CANARY.token, ...extra });

/**
 * Done-when 2 of issue 11: credentials planted in every variable never appear in stdout, stderr, plan files,
 * journals, locks, markdown, the step summary or error stacks — for every command, when sign-in fails and
 * echoes the form it was sent, and when a gateway echoes the Authorization header back.
 */
describe('no credential leaves pcsync, whatever the server echoes', () => {
  it('every command against a header-echoing gateway and an echoing sign-in endpoint', async () => {
    // Every /v1 read answered by a gateway that repeats the request headers (Authorization: Bearer <token>).
    const echoAll = await startSim({ scenario: 'demo', options: { echoHeaders: {} } });
    // Only the licence updates and suspends echo: apply gets far enough to write journal, locks and summary.
    const echoWrites = await startSim({ scenario: 'demo', options: { echoHeaders: { match: ['POST /v1/customers/:customerId/users/:userId/licenseupdates'] } } });
    // A sign-in endpoint that repeats the form (client_secret=…, refresh_token=…) in its refusals.
    const echoSignIn = await startSim({ scenario: 'demo', auth: { clientSecret: 'the-real-secret', refreshToken: 'the-real-refresh', echoRequest: true } });
    sims = [echoAll, echoWrites, echoSignIn];

    const cwd = mkdtempSync(join(tmpdir(), 'pcsync-canary-'));
    cpSync(join(repoRoot, 'desired-state'), join(cwd, 'desired-state'), { recursive: true });
    const stateDir = join(cwd, 'state');
    const summary = join(cwd, 'step-summary.md');
    const common = { PCSYNC_STATE_DIR: stateDir, GITHUB_STEP_SUMMARY: summary, PCSYNC_MAX_RETRIES: '1', PCSYNC_RETRY_BASE_MS: '5', PCSYNC_POLL_MS: '50' };
    const signIn = { ...msalEnv(echoSignIn, { clientSecret: CANARY.clientSecret, refreshToken: CANARY.refreshToken }), ...common };
    const signInRefresh = { ...msalEnv(echoSignIn, { refreshToken: CANARY.refreshToken }), ...common };

    const runs: [string, string[], Record<string, string | undefined>][] = [
      ['validate', ['validate', 'desired-state'], { ...staticEnv(echoAll), ...common, GITHUB_ACTIONS: 'true' }],
      ['plan text (echo)', ['plan', '--out', 'plan-a.json'], { ...staticEnv(echoAll), ...common }],
      ['plan markdown (echo)', ['plan', '--format', 'markdown'], { ...staticEnv(echoAll), ...common }],
      ['plan json (echo)', ['plan', '--format', 'json'], { ...staticEnv(echoAll), ...common }],
      ['report (echo)', ['report', '--format', 'markdown'], { ...staticEnv(echoAll), ...common }],
      ['import (echo)', ['import', '--customer', CONTOSO, '--out', 'imported.yaml'], { ...staticEnv(echoAll), ...common }],
      ['doctor (echo)', ['doctor'], { ...staticEnv(echoAll), ...common }],
      ['apply (echo)', ['apply', '--auto-approve'], { ...staticEnv(echoAll), ...common }],
      ['plan (writes echo)', ['plan', '--out', 'plan-b.json', '--format', 'markdown'], { ...staticEnv(echoWrites), ...common }],
      ['apply plan file (writes echo)', ['apply', 'plan-b.json'], { ...staticEnv(echoWrites), ...common }],
      ['apply --json (writes echo)', ['apply', '--auto-approve', '--json'], { ...staticEnv(echoWrites), ...common }],
      ['unlock', ['unlock', CONTOSO], { ...staticEnv(echoWrites), ...common }],
      ['plan (sign-in echoes form)', ['plan'], signIn],
      ['report (sign-in echoes form)', ['report'], signIn],
      ['import (sign-in echoes form)', ['import', '--customer', CONTOSO], signIn],
      ['apply (sign-in echoes form)', ['apply', '--auto-approve'], signIn],
      ['doctor (sign-in echoes form)', ['doctor'], signIn],
      ['plan (refresh only, echoes form)', ['plan'], signInRefresh],
    ];
    const results: [string, CliResult][] = [];
    for (const [name, args, env] of runs) results.push([name, await runCli(args, { env, cwd, timeoutMs: 120_000 })]);

    // The runs met what they are here for: the gateway's echo and the sign-in refusals happened.
    const out = (name: string) => { const r = results.find(([n]) => n === name)![1]; return r.stdout + r.stderr; };
    expect(echoAll.audit.entries.some((e) => e.type === 'fault' && e.fault === 'echo-headers')).toBe(true);
    expect(echoWrites.audit.entries.some((e) => e.type === 'fault' && e.fault === 'echo-headers')).toBe(true);
    expect(out('plan text (echo)')).toMatch(/Bad gateway/);
    expect(out('apply plan file (writes echo)')).toMatch(/Bad gateway/);
    expect(out('plan (sign-in echoes form)')).toMatch(/client secret was rejected|could not get/);

    for (const [name, res] of results) {
      expectNoCanary(`${name} stdout`, res.stdout);
      expectNoCanary(`${name} stderr`, res.stderr);
    }
    const files = filesUnder(cwd).filter((f) => !f.includes(`${join('desired-state', '')}`));
    // plan files, the imported file (none: import failed), journals, the step summary
    expect(files.some((f) => f.endsWith('plan-b.json'))).toBe(true);
    expect(files.some((f) => f.includes(join('state', 'journal')))).toBe(true);
    expect(files).toContain(summary);
    for (const f of files) expectNoCanary(f, readFileSync(f, 'utf8'));
  }, 300_000);

  it('errors from a header-echoing gateway carry no token in message, stack or inspect', async () => {
    const sim = await startSim({ scenario: 'demo', options: { echoHeaders: {} } });
    sims = [sim];
    const io = { stdout: () => {}, stderr: () => {}, cwd: process.cwd(), isTty: false };
    const { client } = connect({ ...io, env: { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: CANARY.token, PCSYNC_MAX_RETRIES: '0' } }, { readOnly: true });
    const err = await client.listCustomers().then(() => expect.fail('expected a failure'), (e: unknown) => e as Error & { userMessage?: string });
    expect(err.message).toMatch(/Bad gateway/);
    expectNoCanary('error', [err.message, err.stack ?? '', inspect(err, { depth: 5 }), JSON.stringify(err), err.userMessage ?? ''].join('\n'));
  });
});
