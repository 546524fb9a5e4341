import type { Middleware, SimContext } from '../context.js';
import { customerOf } from './select.js';
import { throttleClassOf } from './throttle-classes.js';
import type { ThrottleOptions } from './types.js';

/** A token bucket: `capacity` tokens, refilled continuously at `perMs` tokens per (real) millisecond. */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly capacity: number,
    readonly perMs: number,
    now: number,
  ) {
    this.#tokens = capacity;
    this.#last = now;
  }

  /** Milliseconds until one token is there (0 = now). */
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : (1 - this.#tokens) / this.perMs;
  }

  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }

  #refill(now: number): void {
    // a clock read before the bucket was made (or a clock step back) adds nothing, never takes a token away
    if (now <= this.#last) return;
    this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#last) * this.perMs);
    this.#last = now;
  }
}

/**
 * Partner Center's rate limit, per API class as its throttling guidance describes. A request on the documented
 * list (throttle-classes.ts) takes a token from the partner's bucket and, when its path names a customer, from
 * that customer's bucket too (both or neither). Other requests pass, unless `otherPerMinute` sets a hidden
 * partner-wide limit on them (Microsoft adjusts those limits dynamically and publishes no figure);
 * `classes: 'all'` puts every request in the documented buckets. An empty bucket answers 429 with
 * `Retry-After` and the body `{ statusCode: 429, message }` (not an ApiFault), and is recorded in the audit
 * log with the wait it asked for. `timeScale` makes the buckets refill that much faster, for quick tests.
 */
export function throttle(opts: ThrottleOptions, now: () => number = Date.now): Middleware {
  const perMinute = opts.perMinute ?? 500;
  const customerPerMinute = opts.customerPerMinute ?? perMinute;
  const scale = opts.timeScale ?? 1;
  const bucket = (rate: number, burst: number | undefined, at = now()) => new TokenBucket(burst ?? Math.max(1, Math.floor(rate / 10)), (rate * scale) / 60_000, at);
  const partner = bucket(perMinute, opts.burst);
  const hidden = opts.otherPerMinute === undefined ? undefined : bucket(opts.otherPerMinute, opts.otherBurst);
  const customers = new Map<string, TokenBucket>();
  const form = opts.retryAfter ?? 'seconds';

  return async (ctx, next) => {
    const t = now();
    if (opts.classes !== 'all' && throttleClassOf(ctx.method, ctx.path) === 'other') {
      if (!hidden) return next();
      const wait = hidden.waitMs(t);
      if (wait === 0) {
        hidden.take(t);
        return next();
      }
      return refuse(ctx, wait, 'other', form, t);
    }
    const named = customerOf(ctx.path);
    const key = named === undefined ? undefined : (ctx.state.customer(named)?.id ?? named).toLowerCase();
    let own: TokenBucket | undefined;
    if (key !== undefined) {
      // made at the request's own time `t`: made a millisecond later, a full bucket would look short of a token
      own = customers.get(key) ?? bucket(customerPerMinute, opts.customerBurst, t);
      customers.set(key, own);
    }
    const partnerWait = partner.waitMs(t);
    const customerWait = own?.waitMs(t) ?? 0;
    if (partnerWait === 0 && customerWait === 0) {
      partner.take(t);
      own?.take(t);
      return next();
    }
    refuse(ctx, Math.max(partnerWait, customerWait), customerWait > 0 ? 'customer' : 'partner', form, t);
  };
}

function refuse(ctx: SimContext, waitMs: number, scope: 'partner' | 'customer' | 'other', form: NonNullable<ThrottleOptions['retryAfter']>, t: number): void {
  const [header, retryAfterMs] = retryAfter(waitMs, form, t);
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  ctx.reply.status = 429;
  ctx.reply.body = { statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` };
  ctx.reply.headers['Retry-After'] = header;
  const named = customerOf(ctx.path);
  ctx.audit.record({
    type: 'throttled',
    method: ctx.method,
    path: ctx.path,
    ...(ctx.requestId !== undefined && { requestId: ctx.requestId }),
    ...(named !== undefined && { customerId: ctx.state.customer(named)?.id ?? named }),
    scope,
    retryAfterMs,
  });
}

/** The header value and the wait it promises (ms from `t`), never shorter than `waitMs`. */
function retryAfter(waitMs: number, form: NonNullable<ThrottleOptions['retryAfter']>, t: number): [string, number] {
  if (form === 'fractional') {
    const ms = Math.max(1, Math.ceil(waitMs));
    return [(ms / 1000).toFixed(3), ms];
  }
  if (form === 'http-date') {
    const at = Math.ceil((t + waitMs) / 1000) * 1000;
    return [new Date(at).toUTCString(), at - t];
  }
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return [String(seconds), seconds * 1000];
}
