import { DEFAULT_AUTHORITY } from '../partner-center/auth-config.js';
import { randomUUID } from 'node:crypto';
import { UserError } from '../core/errors.js';
import { AUTH_ENV, hasAppOnly, hasAppUser, readAuthSettings, type AuthSettings } from '../partner-center/auth-config.js';
import { AppUserRequiredError, AuthFailedError } from '../partner-center/auth-errors.js';
import { msalSources, type AcquiredToken, type TokenSource } from '../partner-center/auth-msal.js';
import { ModeTokenProvider, staticSource } from '../partner-center/auth-provider.js';
import { AuthAwareTransport } from '../partner-center/auth-transport.js';
import { PartnerCenterClient } from '../partner-center/client.js';
import { ApiError, MFA_RECONSENT } from '../partner-center/errors.js';
import type { AuthMode } from '../partner-center/auth.js';
import { buyingPowerOf } from './buying.js';
import { GRAPH_ENV, GraphError, graphClientFor } from '../partner-center/graph.js';
import type { Check, DoctorReport, ModeResult, OperationAccess } from './types.js';

const LABEL: Record<AuthMode, string> = { 'app+user': 'App+User', app: 'app-only' };

interface ModeOutcome {
  readonly read: boolean;
  /** Whether the licence endpoints answered (App+User only); undefined when not tried. */
  readonly licences?: boolean;
}

/**
 * Checks configuration, signs in with each configured mode and makes one cheap read per mode (the first page
 * of customers, and for App+User one customer's subscribed SKUs). Never writes; never shows a secret.
 */
export async function runDoctor(env: Readonly<Record<string, string | undefined>>, endpoint: () => string, now = Date.now): Promise<DoctorReport> {
  const { settings, problems } = readAuthSettings(env);
  const config: Check[] = [];
  let base: string | undefined;
  try {
    base = endpoint();
    config.push({ title: 'endpoint', status: 'ok', detail: base });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    config.push({ title: 'endpoint', status: 'fail', detail: err.message, fix: 'set PARTNER_CENTER_ENDPOINT to https://api.partnercenter.microsoft.com (or unset it)' });
  }
  config.push(...describeConfig(settings, problems.length === 0));
  for (const p of problems) config.push({ title: 'credentials', status: 'fail', detail: p.message, fix: p.fix });

  const sources = problems.length === 0 ? sourcesOf(settings) : {};
  const checks: Check[] = [];
  const outcomes: Partial<Record<AuthMode, ModeOutcome>> = {};
  for (const [mode, source] of [['app+user', sources.appUser], ['app', sources.app]] as const) {
    if (!source) continue;
    outcomes[mode] = await checkMode(mode, source, base, checks, now);
  }
  if (base !== undefined && problems.length === 0) checks.push(...(await graphChecks(env, base)));
  const operations = operationsOf(settings, outcomes, problems.length === 0);
  const buying = buyingPowerOf(settings, env);
  const ok = [...config, ...checks].every((c) => c.status !== 'fail') && outcomes['app+user']?.read === true && outcomes['app+user'].licences !== false && buying.every((b) => !b.problem);
  return { config, checks, operations, buying, ok };
}

/**
 * The GDAP pre-check's Microsoft Graph access (live/gdap.ts): is there a Graph token, can it read the GDAP
 * relationships and the signed-in user's groups. Without a token the plan still runs, saying "not verified" on
 * every purchase before licence moves: a skip that names what to set. A token Graph refuses is a failure with who
 * must act.
 */
async function graphChecks(env: Readonly<Record<string, string | undefined>>, base: string): Promise<Check[]> {
  const graph = graphClientFor(env, base);
  if (!('listRelationships' in graph)) {
    return [{ title: 'Graph (GDAP pre-check)', status: 'skip', detail: `${graph.unavailable}; without it every plan says "not verified: GDAP access for licence writes" before buying` }];
  }
  const out: Check[] = [];
  try {
    const all = await graph.listRelationships();
    const active = all.filter((r) => r.status?.toLowerCase() === 'active').length;
    out.push({ title: 'Graph relationships', status: 'ok', detail: `GDAP relationships readable: ${all.length} listed, ${active} active` });
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    out.push({ title: 'Graph relationships', status: 'fail', detail: err.message, fix: graphFix(err) });
    return out;
  }
  try {
    const groups = await graph.myGroupIds();
    out.push({ title: 'Graph groups', status: 'ok', detail: `the signed-in partner user's security groups readable: ${groups.length}` });
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    out.push({ title: 'Graph groups', status: 'fail', detail: err.message, fix: graphFix(err, 'GroupMember.Read.All') });
  }
  return out;
}

function graphFix(err: GraphError, permission = 'DelegatedAdminRelationship.Read.All'): string {
  if (err.transient) return 'Graph did not answer: check the network path to Graph (PARTNER_CENTER_GRAPH_ENDPOINT, proxies) and run pcsync doctor again';
  if (err.status === undefined) return `give pcsync a Graph token: ${GRAPH_ENV.token}, or a refresh token (PARTNER_CENTER_REFRESH_TOKEN) of a partner user whose app may ask for Graph`;
  return `the partner admin must act: grant the app the delegated Microsoft Graph permission ${permission} with admin consent (and sign in again), or set ${GRAPH_ENV.token} to a token that has it`;
}

function sourcesOf(s: AuthSettings): { appUser?: TokenSource; app?: TokenSource } {
  const msal = msalSources(s);
  return { appUser: s.token ? staticSource(s.token) : msal.appUser, app: msal.app };
}

/** What is configured. A missing App+User mode fails here only when no configuration problem already says so. */
function describeConfig(s: AuthSettings, clean: boolean): Check[] {
  const set = (v: unknown) => (v ? 'set' : 'not set');
  const appUser = s.token ? `pre-obtained token (${AUTH_ENV.token})` : s.refreshToken ? `refresh token (${AUTH_ENV.refreshToken}) via msal, ${s.clientSecret ? 'confidential' : 'public'} client` : 'not configured';
  const out: Check[] = [
    s.authority === DEFAULT_AUTHORITY
      ? { title: 'authority', status: 'skip', detail: `${AUTH_ENV.authority} not set: the default ${DEFAULT_AUTHORITY}` }
      : { title: 'authority', status: 'ok', detail: `${s.authority}${s.authorityCa ? ` (trusting ${AUTH_ENV.authorityCa} for this loopback host)` : ''}` },
    { title: 'tenant / app', status: s.tenantId && s.clientId ? 'ok' : 'skip', detail: `${AUTH_ENV.tenantId} ${s.tenantId ? `= ${s.tenantId}` : 'not set'}, ${AUTH_ENV.clientId} ${s.clientId ? `= ${s.clientId}` : 'not set'}, ${AUTH_ENV.clientSecret} ${set(s.clientSecret)}, ${AUTH_ENV.refreshToken} ${set(s.refreshToken)}, ${AUTH_ENV.token} ${set(s.token)}` },
    { title: 'App+User', status: hasAppUser(s) ? 'ok' : clean ? 'fail' : 'skip', detail: appUser, ...(hasAppUser(s) || !clean ? {} : { fix: `users and licences need App+User: set ${AUTH_ENV.refreshToken} (with ${AUTH_ENV.tenantId} and ${AUTH_ENV.clientId}) or ${AUTH_ENV.token}` }) },
    {
      title: 'app-only',
      status: hasAppOnly(s) ? 'ok' : 'skip',
      detail: hasAppOnly(s)
        ? `client credentials (${s.federation ? `GitHub OIDC federated credential, ${AUTH_ENV.clientAssertion}` : AUTH_ENV.clientSecret}) via msal`
        : `not configured (optional: set ${AUTH_ENV.clientSecret}, or ${AUTH_ENV.clientAssertion}=github-oidc in GitHub Actions, to use it where Partner Center allows)`,
    },
  ];
  return out;
}

async function checkMode(mode: AuthMode, source: TokenSource, endpoint: string | undefined, checks: Check[], now: () => number): Promise<ModeOutcome> {
  const label = LABEL[mode];
  let token: AcquiredToken;
  try {
    token = await source.acquire();
    const { expiresOn } = token;
    const left = expiresOn === undefined ? 'expiry unknown (pre-obtained)' : `valid for ${Math.max(0, Math.round((expiresOn - now()) / 60_000))} min`;
    checks.push({ title: `${label} token`, status: 'ok', detail: `obtained: ${source.description}, ${left}` });
  } catch (err) {
    if (!(err instanceof AuthFailedError)) throw err;
    checks.push({ title: `${label} token`, status: 'fail', detail: err.what, fix: err.fix });
    return { read: false };
  }
  if (!endpoint) {
    checks.push({ title: `${label} read`, status: 'skip', detail: 'no valid endpoint' });
    return { read: false };
  }
  // The token just obtained, as is: doctor reports a refusal instead of signing in again.
  const signedIn: TokenSource = { ...source, renewable: false, acquire: async () => token };
  const tokens = new ModeTokenProvider(mode === 'app' ? { app: signedIn } : { appUser: signedIn });
  const client = new PartnerCenterClient(new AuthAwareTransport({ endpoint, tokens, correlationId: randomUUID(), readOnly: true }));
  let mfa: string | undefined;
  const first = await probe(checks, `${label} read`, 'GET /v1/customers', async () => {
    // ValidateMfa: true asks Partner Center to say whether the token is MFA-compliant (App+User only).
    const headers = mode === 'app+user' ? { ValidateMfa: 'true' } : undefined;
    const res = await client.transport.send({ method: 'GET', path: '/v1/customers?size=1', auth: mode, headers });
    mfa = res.headers.ismfacompliant;
    return ((res.body as { items?: { id?: string }[] })?.items ?? [])[0]?.id ?? '';
  });
  if (mode === 'app+user') checks.push(mfaCheck(first !== undefined, mfa));
  if (first === undefined) return { read: false };
  if (mode === 'app') return { read: true };
  if (first === '') {
    checks.push({ title: `${label} licences`, status: 'skip', detail: 'no customer to try the licence endpoints on' });
    return { read: true };
  }
  const licences = await probe(checks, `${label} licences`, 'GET /v1/customers/{id}/subscribedskus', async () => {
    await client.listSubscribedSkus(first);
    return '';
  });
  return { read: true, licences: licences !== undefined };
}

/** MFA readiness of the App+User token, from the `isMfaCompliant` reply header to `ValidateMfa: true`. */
function mfaCheck(read: boolean, compliant: string | undefined): Check {
  const title = 'App+User MFA';
  if (!read) return { title, status: 'skip', detail: 'not known: the read failed (see above)' };
  if (compliant === undefined) return { title, status: 'skip', detail: 'not known: Partner Center did not answer ValidateMfa: true with isMfaCompliant' };
  if (/^true$/i.test(compliant)) return { title, status: 'ok', detail: 'MFA-compliant (ValidateMfa: true → isMfaCompliant: true)' };
  return {
    title,
    status: 'fail',
    detail: 'NOT MFA-compliant (isMfaCompliant: false): Partner Center refuses App+User calls without an MFA claim (401, code 900421) as it enforces MFA',
    fix: MFA_RECONSENT,
  };
}

/** Runs one read; records ok or the failure with its fix. Undefined when it failed. */
async function probe(checks: Check[], title: string, what: string, read: () => Promise<string>): Promise<string | undefined> {
  try {
    const out = await read();
    checks.push({ title, status: 'ok', detail: `${what}: answered` });
    return out;
  } catch (err) {
    checks.push({ title, status: 'fail', ...explain(err, what) });
    return undefined;
  }
}

function explain(err: unknown, what: string): { detail: string; fix: string } {
  if (err instanceof AppUserRequiredError) return { detail: `${what}: refused for an app-only token`, fix: err.message.replace(/^.*?this operation/, 'this operation') };
  if (!(err instanceof ApiError)) throw err;
  if (err.status === 401 && err.code === 900421) {
    return { detail: `${what}: refused, the App+User token has no MFA claim (HTTP 401, code 900421)`, fix: MFA_RECONSENT };
  }
  if (err.status === 401) {
    return { detail: `${what}: Partner Center did not accept the token (HTTP 401)`, fix: 'register the app in Partner Center (Account settings → App management) and make sure its tokens are for https://api.partnercenter.microsoft.com' };
  }
  if (err.status === 403) return { detail: `${what}: refused (HTTP 403${err.code ? `, code ${err.code}` : ''})`, fix: 'the signed-in account needs the Admin agent role, or the GDAP role the operation lists' };
  if (err.status === undefined) return { detail: `${what}: ${err.description}`, fix: 'check the network and PARTNER_CENTER_ENDPOINT' };
  return { detail: `${what}: ${err.userMessage}`, fix: 'run again; if it persists, check the Partner Center service status' };
}

function operationsOf(s: AuthSettings, o: Partial<Record<AuthMode, ModeOutcome>>, configured: boolean): OperationAccess[] {
  const result = (mode: AuthMode, ok: boolean | undefined): ModeResult => {
    const has = configured && (mode === 'app' ? hasAppOnly(s) : hasAppUser(s));
    if (!has) return 'not-configured';
    return ok === undefined ? 'untested' : ok ? 'works' : 'fails';
  };
  const appUserRead = result('app+user', o['app+user']?.read);
  const appRead = result('app', o.app?.read);
  const licences = result('app+user', o['app+user']?.read === false ? false : o['app+user']?.licences);
  const either = appRead !== 'not-configured' ? 'app' : appUserRead !== 'not-configured' ? 'app+user' : undefined;
  const userOnly = licences !== 'not-configured' ? 'app+user' : undefined;
  return [
    { operation: 'read customers, subscriptions, offers', uses: either, appUser: appUserRead, app: appRead, write: false },
    { operation: 'buy, change quantity, suspend', uses: either, appUser: appUserRead, app: appRead, write: true },
    { operation: 'read users and licences', uses: userOnly, appUser: licences, app: 'not-allowed', write: false },
    { operation: 'move licences', uses: userOnly, appUser: licences, app: 'not-allowed', write: true },
  ];
}
