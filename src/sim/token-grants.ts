import { randomUUID } from 'node:crypto';
import { deterministicUuid } from '../core/hash.js';
import { signToken, verifyToken, type SimTokenClaims } from './token-jwt.js';

/** What the simulated Entra ID tenant knows: one app registration and one consented admin's refresh token. */
export interface TokenIssuerConfig {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly lifetimeSeconds: number;
  /** App+User tokens carry the MFA claim (`amr` includes `mfa`). */
  readonly mfa: boolean;
  /** Issuer URL of this tenant (`<authority>/<tenant>/v2.0`). */
  readonly issuer: string;
  readonly key: Buffer;
  /** The app's federated credential (workload identity federation), if it has one. */
  readonly federation?: FederatedCredential;
}

/** A federated credential of the app: which external tokens it accepts as client assertion, and their signing key. */
export interface FederatedCredential {
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string;
  /** HS256 key the external issuer (the test's stand-in for GitHub's OIDC provider) signs with. */
  readonly key: Buffer;
}

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Checks a client assertion against the federated credential; an Entra-style refusal, or undefined when it is good. */
function checkAssertion(cfg: TokenIssuerConfig, form: URLSearchParams, now: number): TokenReply | undefined {
  const assertion = form.get('client_assertion') ?? '';
  const f = cfg.federation;
  const claims = f && form.get('client_assertion_type') === JWT_BEARER ? verifyToken(assertion, f.key) : undefined;
  if (!f || !claims) return aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
  if (claims.iss !== f.issuer) return aadError(401, 'invalid_client', 700211, 'No matching federated identity record found for presented assertion issuer.');
  if (claims.aud !== f.audience) return aadError(401, 'invalid_client', 700212, 'No matching federated identity record found for presented assertion audience.');
  if (claims.sub !== f.subject) return aadError(401, 'invalid_client', 700213, 'No matching federated identity record found for presented assertion subject.');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return aadError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
  return undefined;
}

/** One access token handed out, for tests (never the token itself). */
export interface IssuedToken {
  readonly at: number;
  readonly grant: 'client_credentials' | 'refresh_token';
  readonly kind: 'app' | 'app+user';
  readonly audience: string;
  /** Whether the client authenticated (secret or federated assertion: confidential) or not (public client). */
  readonly confidential: boolean;
  /** True when the client authenticated with a federated credential's assertion instead of a secret. */
  readonly federated?: boolean;
}

export interface TokenReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly issued?: IssuedToken;
}

/** An Entra ID error body. Descriptions never echo a secret or token the client sent. */
function aadError(status: number, error: string, code: number, text: string): TokenReply {
  const now = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const trace = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${trace} Correlation ID: ${randomUUID()} Timestamp: ${now}`,
      error_codes: [code],
      timestamp: now,
      trace_id: trace,
    },
  };
}

/** `https://api.partnercenter.microsoft.com/.default` → the resource; undefined when no scope names one. */
function resourceOf(scope: string): string | undefined {
  const named = scope.split(/\s+/).find((s) => /\/(\.default|user_impersonation)$/.test(s));
  return named?.replace(/\/(\.default|user_impersonation)$/, '');
}

/**
 * POST {tenant}/oauth2/v2.0/token with a form body: client credentials → app-only token; refresh token →
 * App+User token (and the refresh token again). Checks in the order Entra ID reports them.
 */
export function grantToken(cfg: TokenIssuerConfig, tenant: string, form: URLSearchParams, now: number): TokenReply {
  if (tenant.toLowerCase() !== cfg.tenantId.toLowerCase()) {
    return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
  }
  const clientId = form.get('client_id') ?? '';
  if (clientId.toLowerCase() !== cfg.clientId.toLowerCase()) {
    return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${cfg.tenantId}'.`);
  }
  const secret = form.get('client_secret');
  if (secret !== null && secret !== cfg.clientSecret) {
    return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
  }
  const asserted = form.get('client_assertion') !== null;
  if (asserted) {
    const refused = checkAssertion(cfg, form, now);
    if (refused) return refused;
  }
  const scope = form.get('scope') ?? '';
  const audience = resourceOf(scope);
  if (!audience) return aadError(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.');
  const grant = form.get('grant_type');
  if (grant === 'client_credentials') {
    if (secret === null && !asserted) return aadError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    if (!scope.split(/\s+/).includes(`${audience}/.default`)) {
      return aadError(400, 'invalid_scope', 1002012, 'Client credentials need the /.default scope of the resource.');
    }
    return issue(cfg, { grant, kind: 'app', audience, confidential: true, ...(asserted ? { federated: true } : {}) }, now);
  }
  if (grant === 'refresh_token') {
    if (form.get('refresh_token') !== cfg.refreshToken) {
      return aadError(400, 'invalid_grant', 700082, 'The refresh token has expired or was revoked; sign in again to get a new one.');
    }
    return issue(cfg, { grant, kind: 'app+user', audience, confidential: secret !== null || asserted, ...(asserted ? { federated: true } : {}) }, now);
  }
  return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
}

function issue(cfg: TokenIssuerConfig, what: Omit<IssuedToken, 'at'>, now: number): TokenReply {
  const iat = Math.floor(now / 1000);
  const user = what.kind === 'app+user';
  const claims: SimTokenClaims = {
    aud: what.audience,
    iss: cfg.issuer,
    tid: cfg.tenantId,
    appid: cfg.clientId,
    iat,
    nbf: iat,
    exp: iat + cfg.lifetimeSeconds,
    idtyp: user ? 'user' : 'app',
    oid: deterministicUuid(`sim-principal:${cfg.tenantId}:${what.kind}`),
    uti: randomUUID(),
    ...(user ? { scp: 'user_impersonation', upn: 'admin@partner.onmicrosoft.com', amr: cfg.mfa ? ['pwd', 'mfa'] : ['pwd'] } : {}),
  };
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: `${what.audience}/${user ? 'user_impersonation' : '.default'}`,
    expires_in: cfg.lifetimeSeconds,
    ext_expires_in: cfg.lifetimeSeconds,
    access_token: signToken(claims, cfg.key),
  };
  if (user) body.refresh_token = cfg.refreshToken;
  return { status: 200, body, issued: { ...what, at: now } };
}
