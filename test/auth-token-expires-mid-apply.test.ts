import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { CONTOSO, FABRIKAM, repoRoot, SKU } from './helpers/demo.js';
import { ordersPerCustomer, retriedWrites, usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * CI terms: an apply that outlives its first access token (a long fleet, or a run that waited for environment
 * approval). The simulator's tokens live a few seconds and provisioning takes longer than that, so the first
 * App+User token expires while pcsync waits for the new subscriptions. pcsync signs in with msal, as the
 * workflows do (tenant, client id, refresh token, client secret from secrets).
 */
const LIFETIME_S = 3;
const start = (clockSkewSeconds = 0) =>
  startSim({ scenario: 'demo', options: { provisioningDelayMs: 4_500 }, auth: { tokenLifetimeSeconds: LIFETIME_S, clockSkewSeconds } });
const env = (s: StartedSim) => msalEnv(s, SIM_SECRETS, { PCSYNC_POLL_MS: '200', PCSYNC_MAX_POLL_MS: '400' });

function assertConverged(s: StartedSim): void {
  expect(ordersPerCustomer(s.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
  expect(usersEverUnlicensed(s.audit.entries, [[SKU.oldSales, SKU.salesPro], [SKU.oldCep, SKU.cep]])).toEqual([]);
}

/** App+User tokens issued, and how far into the run the last /v1 request came after the first one expired. */
function tokenTimeline(s: StartedSim) {
  const appUser = s.auth.issued.filter((t) => t.kind === 'app+user');
  const requests = s.audit.requests();
  const lastAt = Math.max(...requests.map((r) => r.at));
  return { appUser, firstExpiry: appUser[0]!.at + LIFETIME_S * 1000, lastAt };
}

describe('an apply whose first access token expires mid-run', () => {
  it('renews tokens as they run out: finishes on renewed tokens, exit 0, no 401 reaching the user', async () => {
    sim = await start();
    const res = await runCli(['apply', '--auto-approve'], { env: env(sim), cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    assertConverged(sim);
    const t = tokenTimeline(sim);
    // The run went on well past the first token's expiry, on tokens issued later.
    expect(t.lastAt).toBeGreaterThan(t.firstExpiry);
    expect(t.appUser.length).toBeGreaterThanOrEqual(2);
    // Renewal is due at three quarters of a token's life (test/auth-token-cache.test.ts); on a loaded machine a
    // request may still arrive after its token's expiry, and is then sent again on a new token (next test).
    // A whole number only: the simulator's random subscription ids hold "401" (AF650B24-9952-4010-…) at times.
    expect(res.stdout + res.stderr).not.toMatch(/\b401\b|did not accept the access token/i);
  });

  it('a token that Partner Center already counts as expired (its clock runs ahead) is replaced after the 401, and the request sent again: no 401 reaches the user', async () => {
    sim = await start(2);
    const res = await runCli(['apply', '--auto-approve'], { env: env(sim), cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    assertConverged(sim);
    const refused = sim.audit.requests().filter((r) => r.status === 401);
    // The first token did run out mid-apply: Partner Center refused it at least once…
    expect(refused.length).toBeGreaterThan(0);
    // …and each refused request was sent again, with the same MS-RequestId, on a new token that was accepted
    // (its answer is the service's, e.g. 404 20000 while a subscription still provisions, never another 401).
    for (const r of refused) {
      const again = sim.audit.requests().find((x) => x.requestId === r.requestId && x.seq > r.seq);
      expect([r.method, r.path, again?.status !== undefined && again.status !== 401 && again.status !== 0]).toEqual([r.method, r.path, true]);
    }
    expect(tokenTimeline(sim).appUser.length).toBeGreaterThanOrEqual(2);
    // A 401 means nothing was done, so sending a write again is safe; no other write was repeated.
    expect(retriedWrites(sim.audit.entries).filter((w) => !refused.some((r) => r.requestId === w.requestId))).toEqual([]);
    expect(res.stdout + res.stderr).not.toMatch(/\b401\b|did not accept the access token/i);
  });

  it('a pre-obtained PARTNER_CENTER_TOKEN cannot be renewed: its 401 is reported, not retried', async () => {
    sim = await start();
    const res = await runCli(['plan'], { env: { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'a.b.c' }, cwd: repoRoot });
    expect(res.code).toBe(1);
    expect(sim.audit.requests().filter((r) => r.status === 401)).toHaveLength(1);
    expect(res.stderr).toContain('did not accept the access token');
  });
});
