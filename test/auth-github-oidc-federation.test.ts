import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { APP_USER_PATH, msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { CONTOSO, FABRIKAM, repoRoot } from './helpers/demo.js';
import { ordersPerCustomer, writeRequests } from '../src/sim/invariants.js';

/**
 * GitHub OIDC workload identity federation: the app's credential is the runner's OIDC token (client assertion),
 * no stored client secret. A loopback server stands in for the runner's token service (ACTIONS_ID_TOKEN_REQUEST_URL),
 * signing with the key of the simulator's federated credential.
 */
const SUBJECT = 'repo:example-partner/partner-desired-state:environment:partner-center';
const REQUEST_TOKEN = 'runner-request-token-4f1a';

let sim: StartedSim | undefined;
let oidc: Server | undefined;
afterEach(async () => {
  await sim?.close();
  await new Promise<void>((r) => (oidc ? oidc.close(() => r()) : r()));
  sim = oidc = undefined;
});

/** The runner's OIDC token service: checks the request token and audience, answers `{ value: <jwt> }` for `subject`. */
async function runnerOidc(s: StartedSim, subject: string): Promise<{ url: string; calls: string[] }> {
  const calls: string[] = [];
  oidc = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    calls.push(url.searchParams.get('audience') ?? '');
    if (req.headers.authorization !== `Bearer ${REQUEST_TOKEN}`) return void res.writeHead(401).end();
    const now = Math.floor(Date.now() / 1000);
    const f = s.auth.federation!;
    const value = f.sign({ iss: f.issuer, aud: url.searchParams.get('audience'), sub: subject, iat: now, nbf: now, exp: now + 300, repository: 'example-partner/partner-desired-state', environment: 'partner-center' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value }));
  });
  await new Promise<void>((r) => oidc!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(oidc.address() as { port: number }).port}/_apis/token?api-version=2.0`, calls };
}

const start = () => startSim({ scenario: 'demo', auth: { federatedCredential: { subject: SUBJECT } } });
const federated = (s: StartedSim, url: string, secrets: { refreshToken?: string } = {}, extra: Record<string, string | undefined> = {}) =>
  msalEnv(s, secrets, { PARTNER_CENTER_CLIENT_ASSERTION: 'github-oidc', ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN, ...extra });

describe('GitHub OIDC workload identity federation (no client secret)', () => {
  it('app-only operations sign in with the runner\'s OIDC token; users and licences still use the App+User refresh token', async () => {
    sim = await start();
    const runner = await runnerOidc(sim, SUBJECT);
    const apply = await runCli(['apply', '--auto-approve'], { env: federated(sim, runner.url, { refreshToken: SIM_SECRETS.refreshToken }), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(runner.calls.length).toBeGreaterThan(0);
    expect(new Set(runner.calls)).toEqual(new Set(['api://AzureADTokenExchange']));
    expect(sim.auth.issued.map((t) => `${t.grant}/${t.kind}/${t.federated ?? false}`).sort()).toEqual([
      'client_credentials/app/true',
      'refresh_token/app+user/true',
      'refresh_token/app+user/true', // Graph's audience (GDAP pre-check), redeemed as the same federated app
    ]);
    const byKind = (kind: string) => sim!.auth.uses.filter((u) => u.kind === kind);
    expect(byKind('app').some((u) => u.method === 'POST' && u.path.endsWith('/orders'))).toBe(true);
    expect(byKind('app').every((u) => !APP_USER_PATH.test(u.path))).toBe(true);
    expect(byKind('app+user').every((u) => APP_USER_PATH.test(u.path))).toBe(true);
    expect(apply.stdout + apply.stderr).not.toContain(REQUEST_TOKEN);
  });

  it('federation alone: doctor shows app-only works and which operations still need App+User; plan refuses before sending a user request', async () => {
    sim = await start();
    const runner = await runnerOidc(sim, SUBJECT);
    const doctor = await runCli(['doctor'], { env: federated(sim, runner.url) });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/app-only\s+client credentials \(GitHub OIDC federated credential, PARTNER_CENTER_CLIENT_ASSERTION\) via msal/);
    expect(doctor.stdout).toMatch(/read customers, subscriptions, offers\s+uses app-only\s+App\+User: not configured; app-only: works/);
    expect(doctor.stdout).toMatch(/read users and licences\s+NO CREDENTIAL/);
    expect(doctor.stdout).toMatch(/move licences\s+NO CREDENTIAL/);
    expect(doctor.stdout).not.toContain(REQUEST_TOKEN);

    const plan = await runCli(['plan'], { env: federated(sim, runner.url), cwd: repoRoot });
    expect(plan.code).not.toBe(0);
    expect(plan.stderr).toContain('PARTNER_CENTER_REFRESH_TOKEN');
    expect(sim.audit.requests().some((r) => APP_USER_PATH.test(r.path))).toBe(false);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });

  it('a token whose subject has no federated credential (another branch) is refused with what to add; no id-token permission is a configuration error', async () => {
    sim = await start();
    const runner = await runnerOidc(sim, 'repo:example-partner/partner-desired-state:ref:refs/heads/feature');
    const doctor = await runCli(['doctor'], { env: federated(sim, runner.url, { refreshToken: SIM_SECRETS.refreshToken }) });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/✗ app-only token\s+the GitHub OIDC token was not accepted as the app's credential \(AADSTS700213\)/);
    expect(doctor.stdout).toMatch(/federated credential .*issuer is https:\/\/token\.actions\.githubusercontent\.com/);

    const noPermission = await runCli(['doctor'], { env: federated(sim, runner.url, {}, { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined }) });
    expect(noPermission.code).toBe(1);
    expect(noPermission.stdout).toContain('permissions: id-token: write');

    const both = await runCli(['doctor'], { env: federated(sim, runner.url, { refreshToken: SIM_SECRETS.refreshToken }, { PARTNER_CENTER_CLIENT_SECRET: SIM_SECRETS.clientSecret }) });
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(/both PARTNER_CENTER_CLIENT_SECRET and PARTNER_CENTER_CLIENT_ASSERTION are set/);
  });
});
