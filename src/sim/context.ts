import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditLog, RequestEntry } from './audit.js';
import type { SimState } from './state.js';

/** The reply being built. Written to the socket after the whole pipeline has run. */
export interface Reply {
  status: number;
  /** JSON-serialisable body; undefined = empty body. */
  body?: unknown;
  /** Exact bytes to send instead of JSON.stringify(body) (for middlewares that reshape replies). */
  raw?: string | Buffer;
  headers: Record<string, string>;
}

/** One request travelling through the middleware pipeline. */
export interface SimContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** Path without the query string, as sent (not decoded). */
  readonly path: string;
  /** Raw query string without `?`. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly state: SimState;
  readonly audit: AuditLog;
  /** Bearer token seen on the request (set by the auth middleware). */
  token?: string;
  /** Route matched by the router (set before the body is read). */
  route?: Route;
  /** Decoded path parameters of the matched route. */
  params: Record<string, string>;
  /** Parsed JSON body (set by the body middleware; undefined when the request had none). */
  body?: unknown;
  /** This request's audit entry (set on arrival; not for /_sim). */
  requestEntry?: RequestEntry;
  reply: Reply;
  /** Set by a middleware that took the socket over (e.g. dropped it): nothing more is written. */
  detached: boolean;
}

/** What a route answers. Handlers are synchronous on purpose: each request's state change is atomic. */
export interface RouteReply {
  status: number;
  body?: unknown;
}

/** Token kind an endpoint needs per the API reference §1 (only recorded for now; a later middleware may enforce it). */
export type RouteAuth = 'app' | 'app+user';

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path pattern below the host, e.g. `/v1/customers/:customerId/subscriptions/:subscriptionId`. */
  pattern: string;
  auth: RouteAuth;
  /** Token audience the route's host accepts; default Partner Center's (`https://api.partnercenter.microsoft.com`). */
  audience?: string;
  handle(ctx: SimContext, params: Record<string, string>): RouteReply;
}

/** A pipeline step: may act before and after `next()`, or answer without calling it. */
export type Middleware = (ctx: SimContext, next: () => Promise<void>) => Promise<void>;

export function compose(steps: readonly Middleware[]): (ctx: SimContext) => Promise<void> {
  return (ctx) => {
    const run = (i: number): Promise<void> => {
      const step = steps[i];
      return step ? step(ctx, () => run(i + 1)) : Promise.resolve();
    };
    return run(0);
  };
}

export function header(ctx: SimContext, name: string): string | undefined {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function reply(ctx: SimContext, status: number, body?: unknown): void {
  ctx.reply.status = status;
  ctx.reply.body = body;
}
