import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { excerpt, serverText } from '../core/inert.js';
import { readAuthSettings } from './auth-config.js';
import { msalAppUserSourceFor, type TokenSource } from './auth-msal.js';
import { ModeTokenProvider } from './auth-provider.js';
import { DEFAULT_ENDPOINT, parseEndpoint } from './endpoint.js';
import { DEFAULT_RETRY } from './retry.js';
import { tuningFromEnv } from './tuning.js';

/**
 * Microsoft Graph in the partner tenant, for the read-only GDAP pre-check (partner-center-2026-12.md §1 "Read-only
 * pre-check"): `GET /v1.0/tenantRelationships/delegatedAdminRelationships` (graph
 * `api/tenantrelationship-list-delegatedadminrelationships.md`), `…/{id}/accessAssignments` (graph
 * `api/delegatedadminrelationship-list-accessassignments.md`), both needing `DelegatedAdminRelationship.Read.All`,
 * and `GET /v1.0/me/transitiveMemberOf/microsoft.graph.group` (graph `api/user-list-transitivememberof.md`) for the
 * signed-in user's groups. Its own token audience, as the price sheet has (price-sheet.ts).
 */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_ENV = { endpoint: 'PARTNER_CENTER_GRAPH_ENDPOINT', token: 'PARTNER_CENTER_GRAPH_TOKEN' } as const;

export interface WireGdapRelationship {
  readonly id?: string;
  readonly status?: string;
  readonly endDateTime?: string;
  readonly customer?: { readonly tenantId?: string; readonly displayName?: string };
  readonly accessDetails?: { readonly unifiedRoles?: readonly { readonly roleDefinitionId?: string }[] };
}

export interface WireAccessAssignment {
  readonly id?: string;
  readonly status?: string;
  readonly accessContainer?: { readonly accessContainerId?: string; readonly accessContainerType?: string };
  readonly accessDetails?: { readonly unifiedRoles?: readonly { readonly roleDefinitionId?: string }[] };
}

/** A Graph read that failed: what was asked and what Graph answered (inert), never a token. */
export class GraphError extends Error {
  constructor(
    readonly path: string,
    readonly status: number | undefined,
    readonly answer: string,
    /** A failure that may pass (no reply, a timeout, 429, 5xx) after the retries: try again later. */
    readonly transient = false,
  ) {
    super(`GET ${path}: ${answer}`);
    this.name = 'GraphError';
  }
}

/** The transport's retry policy and timeout, as Partner Center's calls use them (tuning.ts). */
export interface GraphRetry {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
}

/**
 * Read-only Graph client: three GETs, `@odata.nextLink` paging on the same origin only. Its token is kept and
 * renewed like Partner Center's (ModeTokenProvider: before it expires), and a 401 on a renewable (msal) token is
 * sent once more on a new one — it kept one token for half an hour, so a run outliving the token (or a service
 * whose clock runs ahead) got its GDAP reads refused with 401 mid-apply.
 */
export class GraphClient {
  readonly #tokens: ModeTokenProvider;

  constructor(
    readonly endpoint: string,
    tokens: TokenSource,
    private readonly policy: GraphRetry = { maxRetries: DEFAULT_RETRY.maxRetries, baseDelayMs: DEFAULT_RETRY.baseDelayMs, maxDelayMs: DEFAULT_RETRY.maxDelayMs, timeoutMs: 60_000 },
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((ok) => setTimeout(ok, ms)),
  ) {
    this.#tokens = new ModeTokenProvider({ appUser: tokens });
  }

  listRelationships(): Promise<WireGdapRelationship[]> {
    return this.#all<WireGdapRelationship>('/v1.0/tenantRelationships/delegatedAdminRelationships?$top=300');
  }

  listAccessAssignments(relationshipId: string): Promise<WireAccessAssignment[]> {
    return this.#all<WireAccessAssignment>(`/v1.0/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(relationshipId)}/accessAssignments`);
  }

  /** Ids (lower case) of the groups the signed-in user is a direct or transitive member of. */
  async myGroupIds(): Promise<string[]> {
    const groups = await this.#all<{ id?: string }>('/v1.0/me/transitiveMemberOf/microsoft.graph.group?$select=id');
    return groups.map((g) => (g.id ?? '').toLowerCase()).filter(Boolean);
  }


  async #all<T>(first: string): Promise<T[]> {
    const out: T[] = [];
    let path: string | undefined = first;
    for (let pages = 0; path && pages < 100; pages++) {
      const body = await this.#get(path);
      out.push(...((Array.isArray(body.value) ? body.value : []) as T[]));
      const next = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
      path = next === undefined ? undefined : sameOrigin(this.endpoint, next, first);
    }
    return out;
  }

  /**
   * One GET with the transport's retry policy (PCSYNC_MAX_RETRIES, PCSYNC_RETRY_BASE_MS, PCSYNC_TIMEOUT_MS): no
   * reply, a timeout, 429 and 5xx are tried again with growing waits; what still fails is `transient`.
   */
  async #get(path: string): Promise<Record<string, unknown>> {
    let renewed = false;
    // Graph's `client-request-id` (a client-made GUID it logs and echoes): the same on every attempt of this read,
    // so a read sent again after a 401 or a 5xx is one read in Graph's logs and in the simulator's audit
    const requestId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const used: { token?: string } = {};
      try {
        return await this.#getOnce(path, used, requestId);
      } catch (err) {
        // A 401 on a token that can be renewed: Graph did nothing; once more on a new token, at once.
        if (err instanceof GraphError && err.status === 401 && !renewed && used.token !== undefined && this.#tokens.invalidate('app+user', used.token)) {
          renewed = true;
          attempt -= 1;
          continue;
        }
        if (!(err instanceof GraphError) || !err.transient) throw err;
        if (attempt > this.policy.maxRetries) {
          throw attempt > 1 ? new GraphError(err.path, err.status, `${err.answer}, after ${attempt} attempts`, true) : err;
        }
        await this.sleep(Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  async #getOnce(path: string, used: { token?: string }, requestId: string): Promise<Record<string, unknown>> {
    const shown = path.split('?')[0]!;
    let token: string;
    try {
      token = used.token = await this.#tokens.getToken('app+user');
    } catch (err) {
      throw new GraphError(shown, undefined, `no Graph token (${serverText(err instanceof Error ? err.message : String(err), 1000)})`);
    }
    let res;
    try {
      res = await axios.get<string>(`${this.endpoint}${path}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'client-request-id': requestId },
        responseType: 'text',
        transformResponse: [(d: unknown) => d],
        validateStatus: () => true,
        maxRedirects: 0,
        proxy: false,
        timeout: this.policy.timeoutMs,
      });
    } catch (err) {
      throw new GraphError(shown, undefined, `no reply (${(err as { code?: string }).code ?? 'network error'})`, true);
    }
    const text = String(res.data ?? '');
    const parsed = parse(text);
    if (res.status === 200 && !parsed) {
      // A captive portal or proxy page: a bad reply, not "no relationships".
      throw new GraphError(shown, 200, `HTTP 200 with a reply that is not Graph's JSON (${excerpt(text.replace(/\s+/g, ' ').trim() || 'empty', 80)}): a proxy or captive portal may stand between pcsync and Graph`, true);
    }
    const body = parsed ?? {};
    if (res.status !== 200) {
      const e = (body.error ?? {}) as { code?: unknown; message?: unknown };
      const said = `HTTP ${res.status}${e.code ? ` ${serverText(String(e.code), 100)}` : ''}${e.message ? `: "${serverText(String(e.message), 1000)}"` : ''}`;
      const who =
        res.status === 401
          ? ' — Graph refused the token: the partner admin must act: grant the app the delegated Graph permission DelegatedAdminRelationship.Read.All (and GroupMember.Read.All) with admin consent, and give pcsync a valid Graph token (PARTNER_CENTER_GRAPH_TOKEN, or the refresh token of a partner user who consented)'
          : '';
      throw new GraphError(shown, res.status, `${said}${who}`, res.status === 429 || res.status >= 500);
    }
    return body;
  }
}

/** The reply's JSON object; undefined when it is not one. */
function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The path of a next link on the same origin; anything else ends the paging with an error. */
function sameOrigin(endpoint: string, next: string, first: string): string {
  const url = new URL(next, endpoint);
  if (url.origin !== new URL(endpoint).origin) throw new GraphError(first.split('?')[0]!, 200, `a next-page link to another host (${serverText(url.origin, 80)})`);
  return `${url.pathname}${url.search}`;
}

/**
 * The Graph client the environment allows, or why there is none (a sentence naming the variables). Token:
 * PARTNER_CENTER_GRAPH_TOKEN, else the App+User refresh token exchanged for Graph's audience (the same partner
 * user as Partner Center's calls, so `/me` is that user). Endpoint: PARTNER_CENTER_GRAPH_ENDPOINT, else Graph —
 * or, when Partner Center's endpoint is not the production one (the simulator), that same endpoint.
 */
export function graphClientFor(env: Readonly<Record<string, string | undefined>>, partnerEndpoint: string): GraphClient | { readonly unavailable: string } {
  const raw = env[GRAPH_ENV.endpoint]?.trim();
  const endpoint = raw ? parseEndpoint(raw, GRAPH_ENV.endpoint) : partnerEndpoint === DEFAULT_ENDPOINT ? GRAPH_RESOURCE : partnerEndpoint;
  const token = env[GRAPH_ENV.token]?.trim();
  const tuning = tuningFromEnv(env, partnerEndpoint);
  const policy: GraphRetry = { ...tuning.retry, timeoutMs: tuning.timeoutMs };
  if (token) return new GraphClient(endpoint, { mode: 'app+user', description: `pre-obtained token (${GRAPH_ENV.token})`, acquire: async () => ({ token }) }, policy);
  const source = msalAppUserSourceFor(readAuthSettings(env).settings, GRAPH_RESOURCE);
  if (source) return new GraphClient(endpoint, source, policy);
  return { unavailable: `no Graph token: set ${GRAPH_ENV.token} (DelegatedAdminRelationship.Read.All, and the signed-in user's group memberships) or PARTNER_CENTER_REFRESH_TOKEN` };
}
