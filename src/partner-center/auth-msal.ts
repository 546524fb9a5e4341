import type { ConfidentialClientApplication, Configuration, PublicClientApplication } from '@azure/msal-node';
import { githubOidcToken } from './auth-github-oidc.js';
import { AUTH_ENV, DEFAULT_AUTHORITY, PARTNER_CENTER_RESOURCE, type AuthSettings } from './auth-config.js';
import { AuthFailedError } from './auth-errors.js';
import { LoopbackNetworkClient } from './auth-network.js';
import { isLoopbackHost } from './endpoint.js';
import type { AuthMode } from './auth.js';

/** A token and when it stops being valid (epoch ms; undefined = unknown, e.g. a pre-obtained token). */
export interface AcquiredToken {
  readonly token: string;
  readonly expiresOn?: number;
}

/** One way of getting tokens of one mode. The provider caches and refreshes; a source always asks afresh. */
export interface TokenSource {
  readonly mode: AuthMode;
  /** How the token is obtained, for `doctor` (names variables, never values). */
  readonly description: string;
  /** True when `acquire` signs in again (msal): a token refused with 401 can be replaced by a new one. */
  readonly renewable?: boolean;
  acquire(): Promise<AcquiredToken>;
}

const SCOPES = [`${PARTNER_CENTER_RESOURCE}/.default`];

/** msal's client-assertion callback: a fresh runner OIDC token per sign-in. */
function federatedAssertion(f: NonNullable<AuthSettings['federation']>): () => Promise<string> {
  return () => githubOidcToken(f);
}

type Msal = typeof import('@azure/msal-node');
let msalModule: Msal | undefined;
let msalLoading: Promise<Msal> | undefined;

/**
 * msal-node, loaded at the first sign-in: it is ~18 MB of memory a run with a token from the environment (or
 * a command that never signs in) does not need.
 */
function msal(): Promise<Msal> {
  msalLoading ??= import('@azure/msal-node').then((m) => (msalModule = m));
  return msalLoading;
}

/** msal configuration: the tenant's authority; a custom (e.g. loopback) host is a known authority, trusted via its CA. */
function msalConfig(m: Msal, s: AuthSettings & { tenantId: string; clientId: string }, withSecret: boolean): Configuration {
  const custom = s.authority !== DEFAULT_AUTHORITY;
  return {
    auth: {
      clientId: s.clientId,
      authority: `${s.authority}/${s.tenantId}`,
      ...(withSecret && s.clientSecret ? { clientSecret: s.clientSecret } : {}),
      ...(withSecret && s.federation ? { clientAssertion: federatedAssertion(s.federation) } : {}),
      ...(custom ? { knownAuthorities: [new URL(s.authority).host] } : {}),
    },
    system: {
      loggerOptions: { loggerCallback: () => {}, piiLoggingEnabled: false, logLevel: m.LogLevel.Error },
      ...(s.authorityCa ? { networkClient: new LoopbackNetworkClient(s.authorityCa) } : {}),
    },
  };
}

/**
 * msal-backed sources for the configured modes: App+User from the refresh token (confidential client when a
 * secret is set, public client otherwise) and app-only from client credentials. Audience: Partner Center.
 */
export function msalSources(s: AuthSettings): { appUser?: TokenSource; app?: TokenSource } {
  const { tenantId, clientId } = s;
  if (!tenantId || !clientId) return {};
  const ids = { ...s, tenantId, clientId };
  let confidential: ConfidentialClientApplication | undefined;
  const cca = async () => {
    const m = await msal();
    return (confidential ??= new m.ConfidentialClientApplication(msalConfig(m, ids, true)));
  };
  const out: { appUser?: TokenSource; app?: TokenSource } = {};
  const refreshToken = s.refreshToken;
  const confidentialVia = s.clientSecret ? AUTH_ENV.clientSecret : s.federation ? `GitHub OIDC federated credential (${AUTH_ENV.clientAssertion})` : undefined;
  if (refreshToken) {
    let pca: PublicClientApplication | undefined;
    const client = async () => {
      if (confidentialVia) return cca();
      const m = await msal();
      return (pca ??= new m.PublicClientApplication(msalConfig(m, ids, false)));
    };
    out.appUser = {
      mode: 'app+user',
      description: `refresh token (${AUTH_ENV.refreshToken}) via msal, ${confidentialVia ? 'confidential' : 'public'} client ${clientId}`,
      renewable: true,
      acquire: () => run('app+user', s, async () => (await client()).acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES })),
    };
  }
  if (confidentialVia) {
    out.app = {
      mode: 'app',
      description: `client credentials (${confidentialVia}) via msal, app ${clientId}`,
      renewable: true,
      acquire: () => run('app', s, async () => (await cca()).acquireTokenByClientCredential({ scopes: SCOPES, skipCache: true })),
    };
  }
  return out;
}

async function run(mode: AuthMode, s: AuthSettings, call: () => Promise<{ accessToken: string; expiresOn: Date | null } | null>): Promise<AcquiredToken> {
  let result;
  try {
    result = await call();
  } catch (err) {
    throw explainMsalError(mode, s, err);
  }
  if (!result?.accessToken) throw new AuthFailedError(mode, 'empty', 'the sign-in endpoint returned no access token', `check ${AUTH_ENV.authority}`);
  return { token: result.accessToken, expiresOn: result.expiresOn?.getTime() };
}

/**
 * An msal failure in partner words. Uses only msal's error code and any AADSTS number — never msal's message,
 * which repeats server text.
 */
export function explainMsalError(mode: AuthMode, s: AuthSettings, err: unknown): AuthFailedError {
  if (err instanceof AuthFailedError) return err;
  // msal is loaded whenever it threw; before that nothing can be its AuthError
  const isMsal = (e: unknown): e is InstanceType<Msal['AuthError']> => msalModule !== undefined && e instanceof msalModule.AuthError;
  if (s.federation && isMsal(err) && err.errorCode === 'invalid_client') {
    const aad = /AADSTS\d+/.exec(`${err.errorMessage} ${err.subError}`)?.[0];
    return new AuthFailedError(mode, 'invalid_client', `the GitHub OIDC token was not accepted as the app's credential${aad ? ` (${aad})` : ''}`, `add a federated credential to app ${s.clientId} whose issuer is https://token.actions.githubusercontent.com and whose subject is this job's (e.g. repo:<owner>/<repo>:environment:partner-center)`);
  }
  const code = isMsal(err) ? err.errorCode : 'unknown';
  const text = isMsal(err) ? `${err.errorMessage} ${err.subError}` : '';
  const aadsts = /AADSTS\d+/.exec(text)?.[0];
  const tag = aadsts ? ` (${aadsts})` : ` (${code})`;
  const where = `${s.authority}/${s.tenantId ?? ''}`;
  switch (code) {
    case 'invalid_client':
      return new AuthFailedError(mode, code, `the client secret was rejected${tag}`, `create a new client secret for app ${s.clientId} and set ${AUTH_ENV.clientSecret} to its value (not its id)`);
    case 'unauthorized_client':
      return new AuthFailedError(mode, code, `app ${s.clientId} is not known in tenant ${s.tenantId}${tag}`, `check ${AUTH_ENV.clientId} and ${AUTH_ENV.tenantId}`);
    case 'invalid_grant':
      return new AuthFailedError(mode, code, `the refresh token was rejected: expired, revoked or for another app${tag}`, `sign in again with the consent flow (Secure Application Model) and set ${AUTH_ENV.refreshToken} to the new refresh token`);
    case 'invalid_scope':
      return new AuthFailedError(mode, code, `the app may not request the Partner Center API${tag}`, `add the Partner Center API permission (user_impersonation) to app ${s.clientId} and grant consent`);
    case 'invalid_request':
      return new AuthFailedError(mode, code, `the sign-in request was refused${tag}`, `check ${AUTH_ENV.tenantId} (your partner tenant id or domain)`);
    case 'endpoints_resolution_error':
    case 'openid_config_error':
    case 'untrusted_authority':
      return new AuthFailedError(mode, code, `cannot read the sign-in metadata of ${where}`, metadataFix(s));
    case 'network_error':
    case 'unknown':
      return new AuthFailedError(mode, 'network', `cannot reach ${s.authority}${err instanceof Error && /cannot reach|timed out|refused/.test(err.message) ? '' : tag}`, `check the network and ${AUTH_ENV.authority}`);
    default:
      return new AuthFailedError(mode, code, `sign-in failed${tag}`, `run pcsync doctor and check ${AUTH_ENV.tenantId}, ${AUTH_ENV.clientId} and the secrets`);
  }
}

function metadataFix(s: AuthSettings): string {
  const base = `check ${AUTH_ENV.authority} and ${AUTH_ENV.tenantId}`;
  if (s.authorityCa || !isLoopbackHost(new URL(s.authority).hostname)) return base;
  return `${base}; for the simulator also set ${AUTH_ENV.authorityCa} to the certificate file \`pcsync sim\` wrote`;
}

/**
 * App+User for another resource than Partner Center's, from the same refresh token: the price sheet's host
 * (`https://api.partner.microsoft.com`) takes only tokens for its own audience (partner-center-2026.md §5).
 * Undefined when no refresh token is configured.
 */
export function msalAppUserSourceFor(s: AuthSettings, resource: string): TokenSource | undefined {
  const { tenantId, clientId, refreshToken } = s;
  if (!tenantId || !clientId || !refreshToken) return undefined;
  const ids = { ...s, tenantId, clientId };
  let app: ConfidentialClientApplication | PublicClientApplication | undefined;
  const client = async () => {
    const m = await msal();
    // A confidential app (secret or federated credential) must redeem its refresh token as itself.
    return (app ??= s.clientSecret || s.federation ? new m.ConfidentialClientApplication(msalConfig(m, ids, true)) : new m.PublicClientApplication(msalConfig(m, ids, false)));
  };
  const scopes = [`${resource}/.default`];
  return {
    mode: 'app+user',
    description: `refresh token (${AUTH_ENV.refreshToken}) via msal for ${resource}`,
    renewable: true,
    acquire: () => run('app+user', s, async () => (await client()).acquireTokenByRefreshToken({ refreshToken, scopes })),
  };
}
