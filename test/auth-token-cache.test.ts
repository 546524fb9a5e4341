import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type StartedSim } from './helpers/sim.js';
import { msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { readAuthSettings } from '../src/partner-center/auth-config.js';
import { AppUserRequiredError } from '../src/partner-center/auth-errors.js';
import { providerFor, REFRESH_MARGIN_MS } from '../src/partner-center/auth-provider.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

function provider(s: StartedSim, secrets: { clientSecret?: string; refreshToken?: string }, now: () => number) {
  const { settings, problems } = readAuthSettings(msalEnv(s, secrets));
  expect(problems).toEqual([]);
  return providerFor(settings, now);
}

describe('token cache: in memory, one sign-in per mode, renewed before expiry', () => {
  it('reuses a token until REFRESH_MARGIN_MS before it expires, then signs in again', async () => {
    sim = await startSim({ scenario: 'demo', auth: { tokenLifetimeSeconds: 3600 } });
    let clock = Date.now();
    const p = provider(sim, SIM_SECRETS, () => clock);
    const first = await p.getToken('app+user');
    expect(await p.getToken('app+user')).toBe(first);
    expect(sim.auth.issued).toHaveLength(1);

    clock += 3600_000 - REFRESH_MARGIN_MS - 60_000; // a minute before the renewal point
    expect(await p.getToken('app+user')).toBe(first);
    expect(sim.auth.issued).toHaveLength(1);

    clock += 120_000; // a minute past it: renewed although the token is still valid
    const second = await p.getToken('app+user');
    expect(second).not.toBe(first);
    expect(sim.auth.issued.map((t) => t.grant)).toEqual(['refresh_token', 'refresh_token']);
  });

  it('a short-lived token is renewed once three quarters of its life are used (the 5-minute margin would exceed it)', async () => {
    sim = await startSim({ scenario: 'demo', auth: { tokenLifetimeSeconds: 8 } });
    let clock = Date.now();
    const p = provider(sim, SIM_SECRETS, () => clock);
    const first = await p.getToken('app+user');
    clock += 5_500; // under 6 s of 8: still the same token
    expect(await p.getToken('app+user')).toBe(first);
    clock += 1_000; // past 6 s: renewed before it expires
    expect(await p.getToken('app+user')).not.toBe(first);
    expect(sim.auth.issued).toHaveLength(2);
  });

  it('invalidate after a 401: msal tokens are dropped (only if still current) and signed in again; a pre-obtained token cannot be', async () => {
    sim = await startSim({ scenario: 'demo' });
    const p = provider(sim, SIM_SECRETS, Date.now);
    const first = await p.getToken('app+user');
    expect(p.invalidate('app+user', first)).toBe(true);
    const second = await p.getToken('app+user');
    expect(second).not.toBe(first);
    // A late 401 for the old token does not throw away the new one.
    expect(p.invalidate('app+user', first)).toBe(true);
    expect(await p.getToken('app+user')).toBe(second);
    expect(sim.auth.issued.filter((t) => t.kind === 'app+user')).toHaveLength(2);

    const { settings } = readAuthSettings({ PARTNER_CENTER_TOKEN: 'pre-obtained' });
    const fixed = providerFor(settings);
    expect(fixed.invalidate('app+user', 'pre-obtained')).toBe(false);
  });

  it('keeps one token per mode and shares a sign-in between concurrent callers', async () => {
    sim = await startSim({ scenario: 'demo' });
    const p = provider(sim, SIM_SECRETS, Date.now);
    expect(p.modes).toEqual(['app+user', 'app']);
    const tokens = await Promise.all([p.getToken('app'), p.getToken('app'), p.getToken('app+user'), p.getToken('app+user')]);
    expect(new Set(tokens).size).toBe(2);
    expect(sim.auth.issued.map((t) => t.grant).sort()).toEqual(['client_credentials', 'refresh_token']);
  });

  it('serves App+User tokens to app endpoints when no client secret is set, and refuses App+User without delegated credentials', async () => {
    sim = await startSim({ scenario: 'demo' });
    const userOnly = provider(sim, { refreshToken: SIM_SECRETS.refreshToken }, Date.now);
    expect(await userOnly.getToken('app')).toBe(await userOnly.getToken('app+user'));
    expect(sim.auth.issued.map((t) => t.kind)).toEqual(['app+user']);

    const appOnly = provider(sim, { clientSecret: SIM_SECRETS.clientSecret }, Date.now);
    await expect(appOnly.getToken('app+user')).rejects.toBeInstanceOf(AppUserRequiredError);
    expect(sim.auth.issued.map((t) => t.kind)).toEqual(['app+user']);
  });

  it('does not cache a failed sign-in', async () => {
    sim = await startSim({ scenario: 'demo' });
    const p = provider(sim, { refreshToken: 'not-the-refresh-token' }, Date.now);
    await expect(p.getToken('app+user')).rejects.toMatchObject({ code: 'auth.failed', reason: 'invalid_grant' });
    await expect(p.getToken('app+user')).rejects.toMatchObject({ reason: 'invalid_grant' });
    expect(sim.auth.issued).toEqual([]);
  });
});
