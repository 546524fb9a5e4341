import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIM_AUTH_DEFAULTS, type StartedSim } from '../../src/sim/index.js';

/**
 * Environment for signing in through the simulator's token endpoint with msal: authority, its CA in a temp
 * file, tenant and client ids, and PARTNER_CENTER_TOKEN removed. `secrets` adds the secret and/or refresh token.
 */
export function msalEnv(
  sim: StartedSim,
  secrets: { clientSecret?: string; refreshToken?: string },
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-ca-'));
  const ca = join(dir, 'sim-ca.pem');
  writeFileSync(ca, sim.auth.ca);
  return {
    PARTNER_CENTER_ENDPOINT: sim.url,
    PARTNER_CENTER_TOKEN: undefined,
    PARTNER_CENTER_AUTHORITY: sim.auth.url,
    PARTNER_CENTER_AUTHORITY_CA: ca,
    PARTNER_CENTER_TENANT_ID: sim.auth.tenantId,
    PARTNER_CENTER_CLIENT_ID: sim.auth.clientId,
    PARTNER_CENTER_CLIENT_SECRET: secrets.clientSecret,
    PARTNER_CENTER_REFRESH_TOKEN: secrets.refreshToken,
    ...extra,
  };
}

/** Both credentials with the simulator's default values. */
export const SIM_SECRETS = { clientSecret: SIM_AUTH_DEFAULTS.clientSecret, refreshToken: SIM_AUTH_DEFAULTS.refreshToken };

/**
 * Paths that take only App+User tokens: users, licences, licence updates, subscribed SKUs, the customer's agreements
 * (learn get-confirmation-of-customer-agreement), and the Graph reads of the GDAP pre-check (delegated token).
 */
export const APP_USER_PATH = /\/(users|licenses|licenseupdates|subscribedskus|agreements)(\/|$)|^\/v1\.0\/(tenantRelationships|me)\//;
