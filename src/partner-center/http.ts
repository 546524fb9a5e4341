import axios, { type AxiosInstance } from 'axios';
import { randomUUID } from 'node:crypto';
import { ApiError, ReadOnlyViolation, type FailureKind } from './errors.js';
import { parseBody } from './parse.js';
import type { AuthMode, TokenProvider } from './auth.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One request as the client sees it, before auth and ids are added. */
export interface HttpRequest {
  readonly method: Method;
  /** Path below the endpoint, starting with `/v1/`, query included. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Fixed `MS-RequestId` (idempotency key); a new one per call when absent. */
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
}

/**
 * The only place pcsync speaks HTTP. Adds auth and request ids, parses tolerant JSON, turns every failure
 * into an `ApiError` that carries no headers (tokens stay out of messages and logs).
 */
export class Transport {
  readonly #http: AxiosInstance;
  readonly #opts: TransportOptions;

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
  }

  get readOnly(): boolean {
    return this.#opts.readOnly;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    if (this.#opts.readOnly && req.method !== 'GET') throw new ReadOnlyViolation(req.method, req.path);
    const requestId = req.requestId ?? randomUUID();
    const token = await this.#opts.tokens.getToken(req.auth ?? 'app+user');
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
        throw new ApiError(req.method, req.path, res.status, undefined, 'the response was not valid JSON', 'terminal', requestId);
      }
      body = undefined;
    }
    if (res.status >= 400) throw httpError(req, requestId, res.status, body, resHeaders);
    return { status: res.status, body, headers: resHeaders, requestId };
  }
}

function lowerCaseHeaders(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

function httpError(req: HttpRequest, requestId: string, status: number, body: unknown, headers: Record<string, string>): ApiError {
  const fault = (body ?? {}) as { code?: unknown; description?: unknown; message?: unknown };
  const numeric = fault.code === undefined || fault.code === null ? undefined : Number(fault.code);
  const code = numeric !== undefined && Number.isFinite(numeric) ? numeric : undefined;
  const description = String(fault.description ?? fault.message ?? '');
  const retryAfterMs = status === 429 ? parseRetryAfter(headers['retry-after']) : undefined;
  return new ApiError(req.method, pathOnly(req.path), status, code, description, classify(req.method, status), requestId, retryAfterMs);
}

function classify(method: string, status: number): FailureKind {
  if (status === 429) return 'transient';
  if (status >= 500 || status === 408) return method === 'GET' ? 'transient' : 'ambiguous';
  return 'terminal';
}

function networkError(req: HttpRequest, requestId: string, err: unknown): ApiError {
  const code = (err as { code?: string }).code ?? 'network error';
  const what = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timed out' : `connection failed (${code})`;
  const failure: FailureKind = req.method === 'GET' ? 'transient' : 'ambiguous';
  return new ApiError(req.method, pathOnly(req.path), undefined, undefined, what, failure, requestId);
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
