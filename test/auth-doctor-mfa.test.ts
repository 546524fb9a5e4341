import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { repoRoot } from './helpers/demo.js';
import { writeRequests } from '../src/sim/invariants.js';
import { readAuthSettings } from '../src/partner-center/auth-config.js';
import { providerFor } from '../src/partner-center/auth-provider.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** Partner Center enforces MFA on App+User calls (partner-center-2026.md §1): ValidateMfa: true, isMfaCompliant, 401 / 900421. */
const start = (auth: { mfa?: boolean; enforceMfa?: boolean }) => startSim({ scenario: 'demo', auth });
const line = (out: string, title: string) => out.split('\n').find((l) => l.includes(title)) ?? '';
const RECONSENT = /sign in again as the partner admin WITH multi-factor authentication and consent to the app/;

async function appUserToken(s: StartedSim): Promise<string> {
  const { settings } = readAuthSettings(msalEnv(s, { refreshToken: SIM_SECRETS.refreshToken }));
  return providerFor(settings).getToken('app+user');
}

describe('simulator: ValidateMfa and 900421', () => {
  it('answers ValidateMfa: true with isMfaCompliant for App+User tokens, and refuses a token without MFA claim with 401 / 900421 when enforcing', async () => {
    sim = await start({ mfa: false });
    const token = await appUserToken(sim);
    const res = await api(sim.url, 'GET', '/v1/customers?size=1', { token, headers: { ValidateMfa: 'true' } });
    expect([res.status, res.headers.get('ismfacompliant')]).toEqual([200, 'false']);
    expect((await api(sim.url, 'GET', '/v1/customers?size=1', { token })).headers.get('ismfacompliant')).toBeNull();
    await sim.close();

    sim = await start({ mfa: true, enforceMfa: true });
    const good = await api(sim.url, 'GET', '/v1/customers?size=1', { token: await appUserToken(sim), headers: { ValidateMfa: 'true' } });
    expect([good.status, good.headers.get('ismfacompliant')]).toEqual([200, 'true']);
    await sim.close();

    sim = await start({ mfa: false, enforceMfa: true });
    const refused = await api(sim.url, 'GET', '/v1/customers?size=1', { token: await appUserToken(sim) });
    expect([refused.status, refused.body.code]).toEqual([401, 900421]);
  });
});

describe('pcsync doctor: MFA readiness', () => {
  it('reports an MFA-compliant App+User token (it sent ValidateMfa: true), exit 0', async () => {
    sim = await start({ mfa: true });
    const res = await runCli(['doctor'], { env: msalEnv(sim, SIM_SECRETS) });
    expect(res.code, res.stdout).toBe(0);
    expect(line(res.stdout, 'App+User MFA')).toMatch(/✓ App\+User MFA\s+MFA-compliant/);
  });

  it('reports a token that is not MFA-compliant before enforcement bites, with how to re-consent, exit 1', async () => {
    sim = await start({ mfa: false });
    const res = await runCli(['doctor'], { env: msalEnv(sim, SIM_SECRETS) });
    expect(res.code, res.stdout).toBe(1);
    expect(line(res.stdout, 'App+User MFA')).toMatch(/✗ App\+User MFA\s+NOT MFA-compliant.*900421/);
    expect(res.stdout).toMatch(RECONSENT);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });

  it('401 / 900421 once enforced: doctor and plan say how to re-consent; the token is not renewed in a loop', async () => {
    sim = await start({ mfa: false, enforceMfa: true });
    const doctor = await runCli(['doctor'], { env: msalEnv(sim, SIM_SECRETS) });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/App\+User read\s+GET \/v1\/customers: refused, the App\+User token has no MFA claim \(HTTP 401, code 900421\)/);
    expect(doctor.stdout).toMatch(RECONSENT);

    const issuedBefore = sim.auth.issued.length;
    const plan = await runCli(['plan'], { env: msalEnv(sim, { refreshToken: SIM_SECRETS.refreshToken }), cwd: repoRoot });
    expect(plan.code).not.toBe(0);
    expect(plan.stdout + plan.stderr).toMatch(/multi-factor authentication/);
    expect(plan.stdout + plan.stderr).toMatch(RECONSENT);
    expect(plan.stderr).not.toMatch(/\n\s+at /);
    expect(sim.auth.issued.length - issuedBefore).toBe(1);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });
});
