import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { APP_USER_PATH, msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { CONTOSO, FABRIKAM, repoRoot } from './helpers/demo.js';
import { ordersPerCustomer, usersEverUnlicensed, writeRequests } from '../src/sim/invariants.js';
import { readAuthSettings } from '../src/partner-center/auth-config.js';
import { providerFor } from '../src/partner-center/auth-provider.js';
import { SKU } from './helpers/demo.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** An app-only access token from the simulator's token endpoint, obtained the way pcsync does (msal). */
async function appOnlyToken(s: StartedSim): Promise<string> {
  const { settings, problems } = readAuthSettings(msalEnv(s, { clientSecret: SIM_SECRETS.clientSecret }));
  expect(problems).toEqual([]);
  return providerFor(settings).getToken('app');
}

describe('signing in with msal against the simulator token endpoint (real CLI, real sockets)', () => {
  it('refresh token only (public client): plan and apply succeed with App+User tokens', async () => {
    sim = await startSim({ scenario: 'demo' });
    const env = msalEnv(sim, { refreshToken: SIM_SECRETS.refreshToken });
    const plan = await runCli(['plan'], { env, cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(2);
    expect(writeRequests(sim.audit.entries)).toHaveLength(0);

    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(usersEverUnlicensed(sim.audit.entries, [[SKU.oldSales, SKU.salesPro], [SKU.oldCep, SKU.cep]])).toEqual([]);

    // one sign-in per CLI run (the token is cached), always the refresh-token grant, as a public client; and one
    // token per run for Graph's audience, the read-only GDAP pre-check of licence writes
    const issued = sim.auth.issued.map((t) => [t.grant, t.kind, t.audience, t.confidential]);
    const perRun = [
      ['refresh_token', 'app+user', 'https://api.partnercenter.microsoft.com', false],
      ['refresh_token', 'app+user', 'https://graph.microsoft.com', false],
    ];
    expect(issued).toEqual([...perRun, ...perRun]);
    expect(new Set(sim.auth.uses.map((u) => u.kind))).toEqual(new Set(['app+user']));
    expect(sim.auth.uses.filter((u) => u.path.endsWith('/licenseupdates'))).toHaveLength(8);
  });

  it('with a client secret as well: app-only tokens where allowed, App+User for users and licences', async () => {
    sim = await startSim({ scenario: 'demo' });
    const apply = await runCli(['apply', '--auto-approve'], { env: msalEnv(sim, SIM_SECRETS), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(sim.auth.issued.map((t) => `${t.grant}/${t.kind}/${t.confidential}`).sort()).toEqual([
      'client_credentials/app/true',
      'refresh_token/app+user/true',
      'refresh_token/app+user/true', // Graph's audience, for the GDAP pre-check
    ]);
    const byKind = (kind: string) => sim.auth.uses.filter((u) => u.kind === kind);
    expect(byKind('plain')).toEqual([]);
    expect(byKind('app+user').length).toBeGreaterThan(0);
    expect(byKind('app+user').every((u) => APP_USER_PATH.test(u.path))).toBe(true);
    expect(byKind('app').some((u) => u.method === 'POST' && u.path.endsWith('/orders'))).toBe(true);
    expect(byKind('app').every((u) => !APP_USER_PATH.test(u.path))).toBe(true);
  });

  it('an app-only token gets 403 on the App+User endpoints and works on the others', async () => {
    sim = await startSim({ scenario: 'demo' });
    const token = await appOnlyToken(sim);
    const user = sim.state.customer(CONTOSO)!.users[0]!.id;
    const refused: [string, string, unknown?][] = [
      ['GET', `/v1/customers/${CONTOSO}/users`],
      ['GET', `/v1/customers/${CONTOSO}/subscribedskus`],
      ['GET', `/v1/customers/${CONTOSO}/users/${user}/licenses`],
      ['POST', `/v1/customers/${CONTOSO}/users/${user}/licenseupdates`, { licensesToAssign: [{ skuId: SKU.salesPro }] }],
    ];
    for (const [method, path, body] of refused) {
      const res = await api(sim.url, method, path, { token, body });
      expect([method, path, res.status, res.body.code, res.body.description]).toEqual([method, path, 403, 900150, "This resource can't be accessed by application credentials."]);
    }
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed')).toEqual([]);
    for (const path of ['/v1/customers', `/v1/customers/${CONTOSO}/subscriptions`, '/v1/offers?country=US']) {
      expect([path, (await api(sim.url, 'GET', path, { token })).status]).toEqual([path, 200]);
    }
  });

  it('pcsync says which credential is missing: after the 403 of an app-only PARTNER_CENTER_TOKEN, and before sending with app-only msal credentials', async () => {
    sim = await startSim({ scenario: 'demo' });
    const token = await appOnlyToken(sim);
    const viaToken = await runCli(['plan'], { env: { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: token }, cwd: repoRoot });
    expect(viaToken.code).toBe(1);
    expect(viaToken.stderr).toMatch(/refused the app-only token \(HTTP 403, code 900150\); this operation needs App\+User \(delegated\) credentials: set PARTNER_CENTER_REFRESH_TOKEN/);
    expect(viaToken.stderr).not.toMatch(/\n\s+at /);
    expect(sim.audit.requests().some((r) => r.status === 403 && APP_USER_PATH.test(r.path))).toBe(true);

    const before = sim.audit.requests().length;
    const appOnly = await runCli(['plan'], { env: msalEnv(sim, { clientSecret: SIM_SECRETS.clientSecret }), cwd: repoRoot });
    expect(appOnly.code).toBe(1);
    expect(appOnly.stderr).toMatch(/only app-only credentials are configured; this operation needs App\+User \(delegated\) credentials: set PARTNER_CENTER_REFRESH_TOKEN/);
    const sent = sim.audit.requests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r) => APP_USER_PATH.test(r.path))).toEqual([]);
  });
});
