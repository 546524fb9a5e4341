import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { msalEnv } from './helpers/auth.js';
import { writeRequests } from '../src/sim/invariants.js';

/**
 * Issue 22, kind 2: `pcsync doctor` says, for each configured credential, whether it can buy — app-only yes
 * (documented), App+User "unknown" (it depends on the user's Partner Center role, which pcsync cannot read: verify in
 * the sandbox), the price sheet token no (another audience) — and fails in a pull-request run that holds one that can.
 */
let sim: StartedSim;
afterEach(async () => sim?.close());

const SECRET = 'buying-client-secret-91ab';
const REFRESH = 'buying-refresh-token-77c2';
const start = () => startSim({ scenario: 'demo', auth: { clientSecret: SECRET, refreshToken: REFRESH } });
const section = (out: string) => out.slice(out.indexOf('Can each credential buy?'), out.indexOf('\n\n', out.indexOf('Can each credential buy?')));

describe('pcsync doctor: can each credential buy?', () => {
  it('the apply credential: app-only YES, App+User unknown (the user\'s role decides; verify in the sandbox)', async () => {
    sim = await start();
    const res = await runCli(['doctor'], { env: msalEnv(sim, { clientSecret: SECRET, refreshToken: REFRESH }) });
    expect(res.code, res.stdout).toBe(0);
    const s = section(res.stdout);
    expect(s).toMatch(/app-only \(PARTNER_CENTER_CLIENT_SECRET\)\s+YES\s+Partner Center takes app-only tokens for carts, orders and subscription changes/);
    expect(s).toMatch(/App\+User \(PARTNER_CENTER_REFRESH_TOKEN\)\s+unknown\s+it acts as the consenting partner user: .*verify in the integration sandbox/);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
    expect(res.stdout).not.toContain(SECRET);
  });

  it('the reader (refresh token only) and a price sheet token: no app-only line, the price token cannot buy through Partner Center', async () => {
    sim = await start();
    const res = await runCli(['doctor'], { env: msalEnv(sim, { refreshToken: REFRESH }, { PARTNER_CENTER_PRICES_TOKEN: 'price-token-0123456789' }) });
    expect(res.code, res.stdout).toBe(0);
    const s = section(res.stdout);
    expect(s).not.toContain('app-only');
    expect(s).toMatch(/price sheet \(PARTNER_CENTER_PRICES_TOKEN\)\s+no\s+not through Partner Center's API/);
    expect(res.stdout).not.toContain('price-token-0123456789');
  });

  it('in a pull-request run, holding a credential that can buy fails the doctor; the reader passes', async () => {
    sim = await start();
    const buying = await runCli(['doctor'], { env: msalEnv(sim, { clientSecret: SECRET, refreshToken: REFRESH }, { GITHUB_EVENT_NAME: 'pull_request' }) });
    expect(buying.code, buying.stdout).toBe(1);
    expect(section(buying.stdout)).toMatch(/✗ app-only \(PARTNER_CENTER_CLIENT_SECRET\)\s+YES/);
    expect(buying.stdout).toMatch(/Fixes\n(.*\n)*  - app-only \(PARTNER_CENTER_CLIENT_SECRET\): this pull-request run holds it: any writer can edit the workflow in a pull request and spend/);
    const reader = await runCli(['doctor'], { env: msalEnv(sim, { refreshToken: REFRESH }, { GITHUB_EVENT_NAME: 'pull_request' }) });
    expect(reader.code, reader.stdout).toBe(0);
  });

  it('in a pull-request run, a price sheet token, a Graph token or an OIDC token request variable fails the doctor too', async () => {
    sim = await start();
    for (const [extra, line] of [
      [{ PARTNER_CENTER_PRICES_TOKEN: 'price-token-0123456789' }, /price sheet \(PARTNER_CENTER_PRICES_TOKEN\): this pull-request run holds an Admin or Sales agent's token/],
      [{ PARTNER_CENTER_GRAPH_TOKEN: 'graph-token-0123456789' }, /Microsoft Graph \(PARTNER_CENTER_GRAPH_TOKEN\): this pull-request run holds a partner agent's Graph token/],
      [{ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-0123' }, /GitHub OIDC \(ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this job has id-token: write\): this pull-request run can request an OIDC token/],
      [{ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/x' }, /GitHub OIDC \(ACTIONS_ID_TOKEN_REQUEST_URL: this job/],
    ] as const) {
      const pr = await runCli(['doctor'], { env: msalEnv(sim, { refreshToken: REFRESH }, { GITHUB_EVENT_NAME: 'pull_request', ...extra }) });
      expect(pr.code, pr.stdout).toBe(1);
      expect(pr.stdout).toMatch(line);
      expect(pr.stdout).not.toMatch(/token-0123/);
      // outside a pull request the same variables are listed, not a failure
      const push = await runCli(['doctor'], { env: msalEnv(sim, { refreshToken: REFRESH }, { GITHUB_EVENT_NAME: 'push', ...extra }) });
      expect(push.code, push.stdout).toBe(0);
    }
  });
});
