import { realSleep } from '../core/sleep.js';
import { excerpt, redactSecrets, serverText } from '../core/inert.js';
import axios, { type AxiosInstance } from 'axios';
import { randomUUID } from 'node:crypto';
import { ApiError, KNOWN_CODES, ReadOnlyViolation, StoppedBeforeSending, type FailureKind } from './errors.js';
import { RateLimiter, type RateLimits } from './limiter.js';
import { parseBody } from './parse.js';
import { DEFAULT_RETRY, withRetries, type RetryOptions } from './retry.js';
import type { AuthMode, TokenProvider } from './auth.js';

/** 401 code for an App+User token without an MFA claim (see KNOWN_CODES). */
const MFA_REQUIRED = 900421;

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One request as the client sees it, before auth and ids are added. */
export interface HttpRequest {
  readonly method: Method;
  /** Path below the endpoint, starting with `/v1/`, query included. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Fixed `MS-RequestId` (idempotency key); a new one per call when absent, kept across its retries. */
  readonly requestId?: string;
  /** Which token the endpoint needs. Default `app+user`. */
  readonly auth?: AuthMode;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly requestId: string;
}

export interface TransportOptions {
  readonly endpoint: string;
  readonly tokens: TokenProvider;
  readonly correlationId: string;
  /** When true, anything but GET is refused before a byte is sent. */
  readonly readOnly: boolean;
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** Client-side rate limits (see limiter.ts). Default: none. */
  readonly limits?: RateLimits;
  /** Retry policy settings (see retry.ts); `sleep` defaults to a real timer. */
  readonly retry?: Partial<RetryOptions>;
}

/** What a transport has sent so far: requests on the wire, 429s received, retries made. */
export interface TransportStats {
  sent: number;
  throttled: number;
  retries: number;
  /** Requests sent again on a new token after a 401 (the first token expired or was revoked early). */
  renewedAfter401: number;
}

/** A run's stop, as requests that must end unsent once it comes see it (`Transport.sendUnlessStopped`). */
export interface StopWatch {
  readonly stopping: () => boolean;
  /** Calls `wake` once when the run starts stopping; returns the function that forgets it (a request that ended). */
  readonly onStop: (wake: () => void) => () => void;
}

/**
 * The only place pcsync speaks HTTP. Each request passes the retry policy (retry.ts), then waits its turn in
 * the rate limiters (limiter.ts) — every attempt counts against the limit — then goes out with auth and
 * request ids. Replies are parsed tolerantly; every failure becomes an `ApiError` that carries no headers
 * (tokens stay out of messages and logs).
 */
export class Transport {
  readonly #http: AxiosInstance;
  readonly #opts: TransportOptions;
  readonly #limiter: RateLimiter;
  readonly #retry: RetryOptions;
  readonly stats: TransportStats = { sent: 0, throttled: 0, retries: 0, renewedAfter401: 0 };
  #halted: (() => boolean) | undefined;

  constructor(opts: TransportOptions) {
    this.#opts = opts;
    this.#http = axios.create({
      baseURL: opts.endpoint,
      timeout: opts.timeoutMs ?? 60_000,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
    this.#limiter = new RateLimiter(opts.limits ?? { perMinute: 0, customerPerMinute: 0 });
    const retry: RetryOptions = { ...DEFAULT_RETRY, sleep: realSleep, ...opts.retry };
    this.#retry = {
      ...retry,
      onRetry: (info) => {
        this.stats.retries += 1;
        retry.onRetry?.(info);
      },
    };
  }

  get readOnly(): boolean {
    return this.#opts.readOnly;
  }

  /** The limits this transport keeps to. */
  get limits(): RateLimits {
    return this.#limiter.limits;
  }

  /** The rate limiter (current rates per API class). */
  get limiter(): RateLimiter {
    return this.#limiter;
  }

  /**
   * While `halted()` is true, no attempt is sent: requests waiting for their turn (or for a retry) fail with
   * `StoppedBeforeSending`. Used while live state is read, so the first Ctrl-C stops reading at once.
   */
  haltWhen(halted: (() => boolean) | undefined): void {
    this.#halted = halted;
  }

  /**
   * Once halted: requests still waiting for their turn in the rate limiter fail with `StoppedBeforeSending` now
   * instead of one per free slot (at 500/minute, a full queue kept a stopped read alive ~15 s). No-op otherwise.
   */
  abandonQueued(): void {
    if (this.#halted?.()) this.#limiter.releaseQueued();
  }

  /**
   * Sends `req` (rate-limited per API class, retried per the policy). A 401 means Partner Center did not process
   * the request, so when the token was renewable (msal) it is dropped and the request is sent once more, with
   * the same `MS-RequestId`, on a new token: a token that expired early (clock skew, revocation) never reaches
   * the user. Not for 900421 (no MFA claim), which a new token from the same sign-in would not fix.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    return this.#send(req);
  }

  /**
   * `send`, ending with `StoppedBeforeSending` once `watch` says the run is stopping. A read (GET) ends at once, also
   * while it waits for its turn in the rate limiter (not one per free slot); one already on the wire completes
   * unseen. A write ends unsent only when its turn comes after the stop and no attempt of it was sent yet: one on the
   * wire, or retried after an unknown outcome, goes on, so its outcome is never reported as "not sent" wrongly.
   */
  async sendUnlessStopped(req: HttpRequest, watch: StopWatch): Promise<HttpResponse> {
    if (req.method !== 'GET') return this.#send(req, watch.stopping);
    const stoppedBeforeSending = () => new StoppedBeforeSending(req.method, pathOnly(req.path));
    if (watch.stopping()) throw stoppedBeforeSending();
    return new Promise<HttpResponse>((resolve, reject) => {
      // whichever comes first: the reply, or the stop (a read waiting for its turn then ends unsent when it gets it)
      const forget = watch.onStop(() => reject(stoppedBeforeSending()));
      this.#send(req, watch.stopping).then(
        (res) => {
          forget();
          resolve(res);
        },
        (err: unknown) => {
          forget();
          reject(err);
        },
      );
    });
  }

  async #send(req: HttpRequest, unsentWhen?: () => boolean): Promise<HttpResponse> {
    if (this.#opts.readOnly && req.method !== 'GET') throw new ReadOnlyViolation(req.method, req.path);
    const requestId = req.requestId ?? randomUUID();
    const mode = req.auth ?? 'app+user';
    let used = '';
    // only before the first attempt: a request sent once (a retry after an unknown outcome) is never called unsent
    let attempted = false;
    const once = () =>
      withRetries(
        () =>
          this.#limiter.schedule(req, () => {
            if (!attempted && unsentWhen?.()) throw new StoppedBeforeSending(req.method, pathOnly(req.path));
            attempted = true;
            return this.#attempt(req, requestId, (t) => (used = t));
          }),
        this.#retry,
      );
    try {
      return await once();
    } catch (err) {
      const renew = err instanceof ApiError && err.status === 401 && err.code !== MFA_REQUIRED && used !== '' && this.#opts.tokens.invalidate?.(mode, used) === true;
      if (!renew) throw err;
      this.stats.renewedAfter401 += 1;
      return once();
    }
  }

  async #attempt(req: HttpRequest, requestId: string, sentWith: (token: string) => void): Promise<HttpResponse> {
    if (this.#halted?.()) throw new StoppedBeforeSending(req.method, pathOnly(req.path));
    const token = await this.#opts.tokens.getToken(req.auth ?? 'app+user');
    sentWith(token);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
      'MS-RequestId': requestId,
      'MS-CorrelationId': this.#opts.correlationId,
      'X-Locale': 'en-US',
      'MS-PartnerCenter-Application': this.#opts.userAgent ?? 'pcsync',
      ...req.headers,
    };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    this.stats.sent += 1;
    try {
      res = await this.#http.request<string>({
        method: req.method,
        url: req.path,
        headers,
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
      });
    } catch (err) {
      throw networkError(req, requestId, err);
    }
    const resHeaders = lowerCaseHeaders(res.headers as Record<string, unknown>);
    let body: unknown;
    try {
      body = parseBody(typeof res.data === 'string' ? res.data : '');
    } catch {
      if (res.status < 400) {
        throw new ApiError(req.method, pathOnly(req.path), res.status, undefined, 'the reply was not valid JSON', 'terminal', requestId, undefined, {
          kind: 'bad-response',
        });
      }
      body = undefined;
    }
    if (res.status === 429) this.stats.throttled += 1;
    if (res.status >= 400) throw httpError(req, requestId, res.status, body, resHeaders, token);
    const odd = unusableReply(req, res.status, body, resHeaders);
    if (odd) throw new ApiError(req.method, pathOnly(req.path), res.status, undefined, odd, 'terminal', requestId, undefined, { kind: 'bad-response' });
    return { status: res.status, body, headers: resHeaders, requestId };
  }
}

/**
 * A reply that is not an error status and still not an answer: a redirect (never followed — it would carry the
 * token elsewhere, and reading it as success showed "0 customers" and "All good") or an empty reply to a read.
 */
function unusableReply(req: HttpRequest, status: number, body: unknown, headers: Record<string, string>): string | undefined {
  if (status >= 300 && status < 400) {
    const to = headers['location'] ? ` to ${excerpt(headers['location'], 80)}` : '';
    return `Partner Center answered HTTP ${status} (a redirect${to}), which pcsync does not follow; check the endpoint (PARTNER_CENTER_ENDPOINT or --endpoint) and any proxy in between`;
  }
  if (status < 200) return `Partner Center answered HTTP ${status}, which is not a reply`;
  if (req.method === 'GET' && body === undefined) return `Partner Center answered HTTP ${status} with an empty reply to a read, so nothing can be read from it`;
  return undefined;
}

function lowerCaseHeaders(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

/** An ApiFault (`{code, description, data, source}`) or a 429 body (`{statusCode, message}`) as an ApiError. */
function httpError(req: HttpRequest, requestId: string, status: number, body: unknown, headers: Record<string, string>, token: string): ApiError {
  const fault = (body ?? {}) as { code?: unknown; description?: unknown; message?: unknown; error?: { code?: unknown; message?: unknown } };
  // A gateway in Graph's shape ({ error: { code, message } }) keeps its words too.
  const graph = fault.error && typeof fault.error === 'object' ? fault.error : undefined;
  const graphWords = graph ? [graph.code, graph.message].filter((x) => typeof x === 'string' && x !== '').join(': ') : '';
  const numeric = fault.code === undefined || fault.code === null ? undefined : Number(fault.code);
  const code = numeric !== undefined && Number.isFinite(numeric) ? numeric : undefined;
  // Server text is untrusted and may echo the request (a gateway repeating the Authorization header): inert,
  // short, without the token sent or anything that looks like a credential.
  const description = serverText(redactSecrets(String(fault.description ?? fault.message ?? (graphWords || '')), [token]));
  const data = faultData(body, token);
  const retryAfterMs = status === 429 ? parseRetryAfter(headers['retry-after']) : undefined;
  return new ApiError(req.method, pathOnly(req.path), status, code, description, classify(req.method, status, code), requestId, retryAfterMs, data.length > 0 ? { data } : {});
}

/** The ApiFault's `data[]` (Partner Center's own details): the first five, each inert and bounded. */
function faultData(body: unknown, token: string): string[] {
  const data = (body as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? data.slice(0, 5).map((d) => serverText(redactSecrets(String(d), [token]), 200)) : [];
}

function classify(method: string, status: number, code: number | undefined): FailureKind {
  if (status === 429) return 'transient';
  if (status >= 500 || status === 408) return method === 'GET' ? 'transient' : 'ambiguous';
  return (code !== undefined ? KNOWN_CODES[code]?.failure : undefined) ?? 'terminal';
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/**
 * A request that got no reply. A refused connection never reached the server, so it is transient for any
 * method; a timeout or a connection dropped mid-request is ambiguous for a write.
 */
function networkError(req: HttpRequest, requestId: string, err: unknown): ApiError {
  const code = (err as { code?: string }).code ?? 'network error';
  const timedOut = TIMEOUT_CODES.has(code);
  const what = timedOut ? 'no reply in time (timed out)' : `the connection failed (${code})`;
  const failure: FailureKind = req.method === 'GET' || code === 'ECONNREFUSED' ? 'transient' : 'ambiguous';
  return new ApiError(req.method, pathOnly(req.path), undefined, undefined, what, failure, requestId, undefined, {
    kind: timedOut ? 'timeout' : 'network',
  });
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}
