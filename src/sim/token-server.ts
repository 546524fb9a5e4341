import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { loopbackCertificate } from './token-cert.js';
import { signToken } from './token-jwt.js';
import { grantToken, type IssuedToken, type TokenIssuerConfig, type TokenReply } from './token-grants.js';
import type { SimState } from './state.js';

export type { IssuedToken } from './token-grants.js';

/** The app registration and consent the simulated Entra ID tenant knows. Every field has a default. */
export interface SimAuthOptions {
  /** Default `SIM_AUTH_DEFAULTS.clientId`. */
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Lifetime of issued access tokens. Default 3600. */
  tokenLifetimeSeconds?: number;
  /**
   * Token requests (1-based count of POSTs to the token route) whose connection is closed without a reply, as
   * a network blip on the way to Entra ID would. Default none.
   */
  dropTokenRequests?: readonly number[];
  /**
   * A careless sign-in front end: every refusal's `error_description` (and `error`) repeats the request form,
   * `client_secret=…` and `refresh_token=…` included. Off by default (Entra ID never does this).
   */
  echoRequest?: boolean;
  /**
   * How far the API's clock runs ahead of the token endpoint's (and the client's): a token is refused as expired
   * this many seconds before its `exp`, as when a runner's clock lags. Default 0.
   */
  clockSkewSeconds?: number;
  /** Whether the consented admin signed in with MFA: App+User tokens carry `amr: ["pwd","mfa"]`, else `["pwd"]`. Default true. */
  mfa?: boolean;
  /** Partner Center's MFA enforcement: an App+User token without the MFA claim gets 401 with code 900421. Default false. */
  enforceMfa?: boolean;
  /**
   * A federated credential on the app (workload identity federation): client assertions whose `iss`, `aud` and
   * `sub` match are accepted instead of the secret. `sim.auth.federation.sign(claims)` signs such an assertion.
   */
  federatedCredential?: { issuer?: string; subject: string; audience?: string };
}

/** The app's federated credential as a test sees it: what it matches, and a signer standing in for GitHub's OIDC provider. */
export interface SimFederation {
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string;
  /** An HS256 JWT over `claims` that the token endpoint accepts as this credential's assertion (when they match). */
  sign(claims: object): string;
}

/** Values for trying the simulator by hand; never used against a real tenant. */
export const SIM_AUTH_DEFAULTS = {
  clientId: '5e1f0c3a-7d2b-4c6e-9a8f-0b1c2d3e4f50',
  clientSecret: 'sim-client-secret',
  refreshToken: 'sim-refresh-token',
  tokenLifetimeSeconds: 3600,
} as const;

/** Which kind of token a /v1 request carried (`plain`: a non-JWT token such as `sim`, treated as App+User). */
export interface TokenUse {
  readonly method: string;
  readonly path: string;
  readonly kind: 'app' | 'app+user' | 'plain';
}

/** The simulator's token endpoint: an HTTPS listener on loopback with a certificate made at start-up. */
export interface SimAuthority {
  /** Authority host, e.g. `https://127.0.0.1:54322` (PARTNER_CENTER_AUTHORITY); the tenant id follows it. */
  readonly url: string;
  /** The partner tenant (scenario `partnerTenantId`). */
  readonly tenantId: string;
  readonly clientId: string;
  /** PEM of the listener's self-signed certificate (PARTNER_CENTER_AUTHORITY_CA points at a file with it). */
  readonly ca: string;
  /** Every access token issued, oldest first. */
  readonly issued: IssuedToken[];
  /** Every /v1 request that passed the token check, with the kind of token it carried. */
  readonly uses: TokenUse[];
  /** Present when started with `federatedCredential`. */
  readonly federation?: SimFederation;
}

/** What the API-side token check needs to know about the token endpoint of a running simulator. */
export interface TokenVerifier {
  readonly key: Buffer;
  readonly authority: SimAuthority;
  readonly clockSkewSeconds: number;
  readonly enforceMfa: boolean;
}

const verifiers = new WeakMap<SimState, TokenVerifier>();

/** The token endpoint serving `state`'s simulator, if it has one. */
export function verifierFor(state: SimState): TokenVerifier | undefined {
  return verifiers.get(state);
}

/**
 * Starts the token endpoint on `host` (loopback) for `state`'s partner tenant:
 * GET {tenant}/v2.0/.well-known/openid-configuration and POST {tenant}/oauth2/v2.0/token.
 */
export async function startAuthority(state: SimState, host: string, opts: SimAuthOptions = {}): Promise<SimAuthority & { close(): Promise<void> }> {
  const { key: tlsKey, cert } = await loopbackCertificate();
  const key = randomBytes(32);
  const issued: IssuedToken[] = [];
  let cfg: TokenIssuerConfig | undefined;
  let tokenRequests = 0;
  const server: Server = createServer({ key: tlsKey, cert }, (req, res) => {
    const send = (r: Pick<TokenReply, 'status' | 'body'>) => {
      const payload = JSON.stringify(r.body);
      res.writeHead(r.status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    const url = new URL(req.url ?? '/', 'https://loopback');
    const [, tenant = '', ...rest] = url.pathname.split('/');
    const route = rest.join('/');
    if (req.method === 'GET' && (route === 'v2.0/.well-known/openid-configuration' || route === '.well-known/openid-configuration')) {
      return send({ status: 200, body: openIdConfiguration(base, tenant) });
    }
    if (req.method === 'POST' && route === 'oauth2/v2.0/token' && cfg) {
      const issuer = cfg;
      if (opts.dropTokenRequests?.includes(++tokenRequests)) return void req.socket.destroy();
      return void readForm(req).then((form) => {
        const reply = grantToken(issuer, tenant, form, Date.now());
        if (reply.issued) issued.push(reply.issued);
        send(opts.echoRequest && reply.status >= 400 ? echoed(reply, form) : reply);
      }, () => send({ status: 400, body: { error: 'invalid_request', error_description: 'AADSTS900144: The request body must be a form.' } }));
    }
    send({ status: 404, body: { error: 'not_found', error_description: `No such endpoint: ${req.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const tenantId = state.scenario.partnerTenantId;
  const fc = opts.federatedCredential;
  const federation = fc
    ? { issuer: fc.issuer ?? 'https://token.actions.githubusercontent.com', subject: fc.subject, audience: fc.audience ?? 'api://AzureADTokenExchange', key: randomBytes(32) }
    : undefined;
  cfg = {
    tenantId,
    clientId: opts.clientId ?? SIM_AUTH_DEFAULTS.clientId,
    clientSecret: opts.clientSecret ?? SIM_AUTH_DEFAULTS.clientSecret,
    refreshToken: opts.refreshToken ?? SIM_AUTH_DEFAULTS.refreshToken,
    lifetimeSeconds: opts.tokenLifetimeSeconds ?? SIM_AUTH_DEFAULTS.tokenLifetimeSeconds,
    mfa: opts.mfa ?? true,
    ...(federation ? { federation } : {}),
    issuer: `${base}/${tenantId}/v2.0`,
    key,
  };
  const authority: SimAuthority = {
    url: base,
    tenantId,
    clientId: cfg.clientId,
    ca: cert,
    issued,
    uses: [],
    ...(federation ? { federation: { issuer: federation.issuer, subject: federation.subject, audience: federation.audience, sign: (claims: object) => signToken(claims, federation.key) } } : {}),
  };
  verifiers.set(state, { key, authority, clockSkewSeconds: opts.clockSkewSeconds ?? 0, enforceMfa: opts.enforceMfa ?? false });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return Object.assign(authority, { close });
}

/** The refusal with the request form repeated in it (SimAuthOptions.echoRequest). */
function echoed(reply: TokenReply, form: URLSearchParams): TokenReply {
  const body = reply.body as Record<string, unknown>;
  const sent = form.toString();
  return { ...reply, body: { ...body, error_description: `${String(body['error_description'] ?? '')} Request: ${sent}`, error_uri: `https://login.example.invalid/error?${sent}` } };
}

function openIdConfiguration(base: string, tenant: string): Record<string, unknown> {
  const t = `${base}/${tenant}`;
  return {
    issuer: `${t}/v2.0`,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    token_endpoint: `${t}/oauth2/v2.0/token`,
    jwks_uri: `${t}/discovery/v2.0/keys`,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    grant_types_supported: ['client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    tenant_region_scope: 'NA',
  };
}

const MAX_FORM_BYTES = 64 * 1024;

async function readForm(req: AsyncIterable<unknown>): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
