import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { msalEnv } from './helpers/auth.js';
import { writeRequests } from '../src/sim/invariants.js';
import { readAuthSettings } from '../src/partner-center/auth-config.js';
import { providerFor } from '../src/partner-center/auth-provider.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const SECRET = 'doctor-client-secret-5b1e';
const REFRESH = 'doctor-refresh-token-77c2';
const start = () => startSim({ scenario: 'demo', auth: { clientSecret: SECRET, refreshToken: REFRESH } });

/** The operation table row for `operation`, e.g. "read users and licences". */
const row = (out: string, operation: string) => out.split('\n').find((l) => l.trimStart().startsWith(operation)) ?? '';

describe('pcsync doctor', () => {
  it('both modes configured: signs in twice, one read each, says which credential serves what, exit 0, writes nothing', async () => {
    sim = await start();
    const res = await runCli(['doctor'], { env: msalEnv(sim, { clientSecret: SECRET, refreshToken: REFRESH }) });
    expect(res.code, res.stdout).toBe(0);
    expect(res.stdout).toContain('All good');
    expect(row(res.stdout, 'read customers, subscriptions, offers')).toMatch(/uses app-only\s+App\+User: works; app-only: works/);
    expect(row(res.stdout, 'read users and licences')).toMatch(/uses App\+User\s+App\+User: works; app-only: not allowed by Partner Center/);
    expect(row(res.stdout, 'move licences')).toMatch(/uses App\+User.*doctor never writes/);
    // The third sign-in is Graph's (the GDAP pre-check's token, doctor-graph.test.ts).
    expect(sim.auth.issued.map((t) => t.grant).sort()).toEqual(['client_credentials', 'refresh_token', 'refresh_token']);
    expect(sim.audit.requests().filter((r) => r.path.startsWith('/v1/')).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /v1/customers 200',
      expect.stringMatching(/^GET \/v1\/customers\/[^/]+\/subscribedskus 200$/),
      'GET /v1/customers 200',
    ]);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
    expect(res.stdout + res.stderr).not.toMatch(new RegExp(`${SECRET}|${REFRESH}`));
  });

  const failing: [string, (s: StartedSim) => Promise<Record<string, string | undefined>>, RegExp[]][] = [
    ['app-only credentials only', async (s) => msalEnv(s, { clientSecret: SECRET }), [/read users and licences\s+NO CREDENTIAL/, /App\+User: users and licences need App\+User: set PARTNER_CENTER_REFRESH_TOKEN/]],
    ['a wrong client secret', async (s) => msalEnv(s, { clientSecret: 'wrong-secret-0a9f', refreshToken: REFRESH }), [/✗ app-only token\s+the client secret was rejected \(AADSTS7000215\)/, /set PARTNER_CENTER_CLIENT_SECRET to its value/]],
    ['an expired refresh token (public client)', async (s) => msalEnv(s, { refreshToken: 'expired-refresh-3c4d' }), [/✗ App\+User token\s+the refresh token was rejected/, /set PARTNER_CENTER_REFRESH_TOKEN to the new refresh token/]],
    ['no certificate for the loopback authority', async (s) => msalEnv(s, { refreshToken: REFRESH }, { PARTNER_CENTER_AUTHORITY_CA: undefined }), [/cannot read the sign-in metadata/, /set PARTNER_CENTER_AUTHORITY_CA/]],
    ['nothing configured', async (s) => ({ PARTNER_CENTER_ENDPOINT: s.url, PARTNER_CENTER_TOKEN: undefined, PARTNER_CENTER_REFRESH_TOKEN: undefined, PARTNER_CENTER_CLIENT_SECRET: undefined }), [/✗ credentials\s+no Partner Center credentials are set/, /nothing to try until the configuration is fixed/]],
    [
      'an app-only PARTNER_CENTER_TOKEN',
      async (s) => {
        const token = await providerFor(readAuthSettings(msalEnv(s, { clientSecret: SECRET })).settings).getToken('app');
        return { PARTNER_CENTER_ENDPOINT: s.url, PARTNER_CENTER_TOKEN: token };
      },
      [/✓ App\+User read/, /✗ App\+User licences\s+GET \/v1\/customers\/\{id\}\/subscribedskus: refused for an app-only token/, /needs App\+User \(delegated\) credentials/],
    ],
  ];
  it.each(failing)('%s: exit 1, what fails and how to fix it, no secret shown', async (_name, envOf, expected) => {
    sim = await start();
    const env = await envOf(sim);
    const res = await runCli(['doctor'], { env });
    expect(res.code, res.stdout + res.stderr).toBe(1);
    for (const re of expected) expect(res.stdout).toMatch(re);
    expect(res.stdout).toMatch(/\nFixes\n/);
    expect(res.stdout).toContain('Not ready');
    for (const value of [SECRET, REFRESH, 'wrong-secret-0a9f', 'expired-refresh-3c4d', env.PARTNER_CENTER_TOKEN]) if (value) expect(res.stdout + res.stderr).not.toContain(value);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });

  it('a pre-obtained App+User token passes', async () => {
    sim = await start();
    const res = await runCli(['doctor'], { env: { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'sim', PARTNER_CENTER_CLIENT_SECRET: undefined, PARTNER_CENTER_REFRESH_TOKEN: undefined } });
    expect(res.code, res.stdout).toBe(0);
    expect(res.stdout).toMatch(/App\+User token\s+obtained: pre-obtained token \(PARTNER_CENTER_TOKEN\), expiry unknown/);
  });
});
