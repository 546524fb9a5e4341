import { readFileSync } from 'node:fs';
import { isLoopbackHost } from './endpoint.js';

/** Where Entra ID lives unless PARTNER_CENTER_AUTHORITY says otherwise. */
export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

/** The resource whose tokens Partner Center accepts; scopes are `<resource>/.default`. */
export const PARTNER_CENTER_RESOURCE = 'https://api.partnercenter.microsoft.com';

/** Every environment variable pcsync's authentication reads. Values are secrets or ids; only names are ever shown. */
export const AUTH_ENV = {
  token: 'PARTNER_CENTER_TOKEN',
  tenantId: 'PARTNER_CENTER_TENANT_ID',
  clientId: 'PARTNER_CENTER_CLIENT_ID',
  clientSecret: 'PARTNER_CENTER_CLIENT_SECRET',
  refreshToken: 'PARTNER_CENTER_REFRESH_TOKEN',
  authority: 'PARTNER_CENTER_AUTHORITY',
  authorityCa: 'PARTNER_CENTER_AUTHORITY_CA',
  clientAssertion: 'PARTNER_CENTER_CLIENT_ASSERTION',
} as const;

/** `PARTNER_CENTER_CLIENT_ASSERTION=github-oidc`: the app authenticates with the GitHub Actions runner's OIDC token. */
export const GITHUB_OIDC = 'github-oidc';
/** Variables the runner sets in a job with `permissions: id-token: write` (GitHub's OIDC token request). */
export const GITHUB_OIDC_ENV = { url: 'ACTIONS_ID_TOKEN_REQUEST_URL', token: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN' } as const;

/** Authentication settings from the environment. Empty variables count as unset (CI systems set missing secrets to ""). */
export interface AuthSettings {
  /** Pre-obtained App+User access token. */
  readonly token?: string;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly refreshToken?: string;
  /** Authority host URL without the tenant, no trailing slash. */
  readonly authority: string;
  /** PEM of a certificate to trust for a loopback authority (the simulator's token endpoint). */
  readonly authorityCa?: string;
  /**
   * Workload identity federation: the app proves itself with the GitHub Actions runner's OIDC token (a client
   * assertion) instead of a client secret. Holds where to request that token; never the token itself.
   */
  readonly federation?: { readonly requestUrl: string; readonly requestToken: string };
}

/** A configuration mistake, with the fix. Never contains a value, only variable names (and ids/paths). */
export interface AuthProblem {
  readonly code: string;
  readonly message: string;
  readonly fix: string;
}

export interface ReadAuthSettings {
  readonly settings: AuthSettings;
  readonly problems: readonly AuthProblem[];
}

/** Reads and checks the authentication variables; every problem is collected, nothing is thrown. */
export function readAuthSettings(env: Readonly<Record<string, string | undefined>>): ReadAuthSettings {
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const problems: AuthProblem[] = [];
  const authority = checkAuthority(get(AUTH_ENV.authority), problems);
  const caFile = get(AUTH_ENV.authorityCa);
  const settings: AuthSettings = {
    token: get(AUTH_ENV.token),
    tenantId: get(AUTH_ENV.tenantId),
    clientId: get(AUTH_ENV.clientId),
    clientSecret: get(AUTH_ENV.clientSecret),
    refreshToken: get(AUTH_ENV.refreshToken),
    authority,
    authorityCa: caFile ? readCa(caFile, authority, problems) : undefined,
    federation: readFederation(env, get(AUTH_ENV.clientAssertion), problems),
  };
  const { token, tenantId, clientId, clientSecret, refreshToken, federation } = settings;
  if (federation && clientSecret) {
    problems.push({
      code: 'auth.ambiguous',
      message: `both ${AUTH_ENV.clientSecret} and ${AUTH_ENV.clientAssertion} are set`,
      fix: `unset ${AUTH_ENV.clientSecret}: with a federated credential the app needs no stored secret`,
    });
  }
  if (token && refreshToken) {
    problems.push({
      code: 'auth.ambiguous',
      message: `both ${AUTH_ENV.token} and ${AUTH_ENV.refreshToken} are set`,
      fix: `unset one of them: ${AUTH_ENV.refreshToken} (pcsync signs in and refreshes) or ${AUTH_ENV.token} (a token you obtained yourself)`,
    });
  }
  if ((refreshToken || clientSecret || federation) && (!tenantId || !clientId)) {
    const missing = [!tenantId && AUTH_ENV.tenantId, !clientId && AUTH_ENV.clientId].filter(Boolean).join(' and ');
    const given = refreshToken ? AUTH_ENV.refreshToken : clientSecret ? AUTH_ENV.clientSecret : AUTH_ENV.clientAssertion;
    problems.push({
      code: 'auth.incomplete',
      message: `${given} is set but ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not`,
      fix: `set ${missing}: your partner tenant id and the application (client) id of the app registered in Partner Center`,
    });
  }
  if (!token && !refreshToken && !clientSecret && !federation && !get(AUTH_ENV.clientAssertion)) {
    problems.push({
      code: 'auth.missing',
      message: 'no Partner Center credentials are set',
      fix:
        `set ${AUTH_ENV.tenantId}, ${AUTH_ENV.clientId} and ${AUTH_ENV.refreshToken} (App+User, needed for users and licences), ` +
        `plus ${AUTH_ENV.clientSecret} for app-only access; or ${AUTH_ENV.token} to a pre-obtained App+User token ` +
        '(for the simulator any value works, e.g. PARTNER_CENTER_TOKEN=sim)',
    });
  }
  return { settings, problems };
}

/** `PARTNER_CENTER_CLIENT_ASSERTION`: only `github-oidc`, and only where the runner can hand out an OIDC token. */
function readFederation(env: Readonly<Record<string, string | undefined>>, value: string | undefined, problems: AuthProblem[]): AuthSettings['federation'] {
  if (!value) return undefined;
  if (value !== GITHUB_OIDC) {
    problems.push({ code: 'auth.client-assertion', message: `${AUTH_ENV.clientAssertion} must be ${GITHUB_OIDC}`, fix: `set ${AUTH_ENV.clientAssertion}=${GITHUB_OIDC} in a GitHub Actions job, or unset it` });
    return undefined;
  }
  const requestUrl = env[GITHUB_OIDC_ENV.url]?.trim();
  const requestToken = env[GITHUB_OIDC_ENV.token]?.trim();
  if (!requestUrl || !requestToken) {
    problems.push({
      code: 'auth.client-assertion',
      message: `${AUTH_ENV.clientAssertion}=${GITHUB_OIDC} but ${GITHUB_OIDC_ENV.url} / ${GITHUB_OIDC_ENV.token} are not set`,
      fix: 'give the job `permissions: id-token: write` (GitHub then lets its steps request an OIDC token); outside GitHub Actions use a client secret',
    });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    problems.push({ code: 'auth.client-assertion', message: `${GITHUB_OIDC_ENV.url} is not a URL`, fix: 'run in a GitHub Actions job with `permissions: id-token: write`' });
    return undefined;
  }
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
    problems.push({ code: 'auth.client-assertion', message: `${GITHUB_OIDC_ENV.url} must be https://`, fix: 'run in a GitHub Actions job with `permissions: id-token: write`' });
    return undefined;
  }
  return { requestUrl, requestToken };
}

function checkAuthority(raw: string | undefined, problems: AuthProblem[]): string {
  if (!raw) return DEFAULT_AUTHORITY;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push({ code: 'auth.authority', message: `${AUTH_ENV.authority} is not a URL`, fix: `set ${AUTH_ENV.authority} to e.g. ${DEFAULT_AUTHORITY}, or unset it` });
    return DEFAULT_AUTHORITY;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search) {
    problems.push({ code: 'auth.authority', message: `${AUTH_ENV.authority} must be a plain https:// URL`, fix: `set ${AUTH_ENV.authority} to e.g. ${DEFAULT_AUTHORITY}, or unset it` });
    return DEFAULT_AUTHORITY;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function readCa(file: string, authority: string, problems: AuthProblem[]): string | undefined {
  if (!isLoopbackHost(new URL(authority).hostname)) {
    problems.push({
      code: 'auth.authority-ca',
      message: `${AUTH_ENV.authorityCa} is only honoured for a loopback ${AUTH_ENV.authority} (the simulator)`,
      fix: `unset ${AUTH_ENV.authorityCa}; a real authority is verified with the system's certificate authorities`,
    });
    return undefined;
  }
  try {
    const pem = readFileSync(file, 'utf8');
    if (pem.includes('-----BEGIN CERTIFICATE-----')) return pem;
    problems.push({ code: 'auth.authority-ca', message: `${AUTH_ENV.authorityCa}: ${file} is not a PEM certificate`, fix: 'point it at the certificate file `pcsync sim` wrote' });
  } catch {
    problems.push({ code: 'auth.authority-ca', message: `${AUTH_ENV.authorityCa}: cannot read ${file}`, fix: 'point it at the certificate file `pcsync sim` wrote' });
  }
  return undefined;
}

/** True when App+User (delegated) access is configured. */
export function hasAppUser(s: AuthSettings): boolean {
  return Boolean(s.token || (s.refreshToken && s.tenantId && s.clientId));
}

/** True when app-only (client credentials) access is configured: a client secret or a federated credential. */
export function hasAppOnly(s: AuthSettings): boolean {
  return Boolean((s.clientSecret || s.federation) && s.tenantId && s.clientId);
}
