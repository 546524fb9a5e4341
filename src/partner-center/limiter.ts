import Bottleneck from 'bottleneck';

/**
 * Client-side request rates. Partner Center publishes 500 requests per minute per tenant for the
 * subscription and order resources and says some limits apply per partner, others per partner + customer.
 */
export interface RateLimits {
  /** Requests per minute the whole run (one partner tenant) may send. 0 = no client-side limit. */
  readonly perMinute: number;
  /** Requests per minute for the requests naming one customer. 0 = no per-customer limit. */
  readonly customerPerMinute: number;
}

/** The published figure. */
export const PUBLISHED_PER_MINUTE = 500;

/**
 * Share of a limit pcsync actually uses. Requests leave evenly spaced at 95% of the limit, so no window of
 * any length ever holds more than the limit, with room for clock drift and network jitter.
 */
export const RATE_SHARE = 0.95;

/** Milliseconds between two request starts for a limit of `perMinute` (0 = none). */
export function spacingMs(perMinute: number): number {
  return perMinute > 0 ? 60_000 / (perMinute * RATE_SHARE) : 0;
}

/** Shortest refill tick: below this, timers cost more than they pace (matters only at scaled test rates). */
const MIN_TICK_MS = 25;

/**
 * Tokens per refill tick (`burst`, also what the bucket starts with) and the most it ever holds (`cap`): over any
 * window of length T at most `cap + T × rate` requests start. At the real 500/minute: 1 and 2.
 */
export function bucketSize(perMinute: number): { burst: number; cap: number } {
  const perMs = (perMinute * RATE_SHARE) / 60_000;
  const burst = Math.max(1, Math.floor(perMs * MIN_TICK_MS));
  return { burst, cap: 2 * burst };
}

/**
 * A token bucket on Bottleneck's reservoir for `perMinute` × RATE_SHARE. Bottleneck queues the jobs; the refill
 * is computed from elapsed time (tokens due since the start, minus tokens already credited), so late timer
 * callbacks never lose capacity — Bottleneck's own heartbeat refill restarts its interval from each late beat
 * and loses ~15% at the high rates of time-scaled runs. The bucket holds at most two ticks' worth of tokens,
 * so over any window no more than the rate plus two ticks' worth start: at the real 500/minute that is one
 * request per 126 ms tick, and at most two back to back after a pause.
 */
export function tokenBucket(perMinute: number, now: () => number = () => performance.now()): Bottleneck {
  const perMs = (perMinute * RATE_SHARE) / 60_000;
  const { burst, cap } = bucketSize(perMinute);
  const tickMs = burst / perMs;
  const limiter = new Bottleneck({ reservoir: burst });
  const started = now();
  let credited = burst;
  const timer = setInterval(() => {
    const due = Math.floor((now() - started) * perMs) + burst - credited;
    if (due <= 0) return;
    credited += due;
    void limiter.currentReservoir().then((left) => {
      const room = cap - (left ?? 0);
      if (room > 0) void limiter.incrementReservoir(Math.min(due, room));
    });
  }, tickMs / 2);
  // The timer keeps the process alive only while requests wait for it; an idle limiter never holds up exit.
  timer.unref();
  limiter.on('received', () => timer.ref());
  limiter.on('idle', () => timer.unref());
  return limiter;
}

/**
 * One shared limiter for the partner tenant and one per partner + customer, chained: a request naming a
 * customer first waits its turn in that customer's limiter, then in the partner's. Built on Bottleneck:
 * the partner limiter is a token bucket (see `tokenBucket`); the per-customer limiters use
 * `minTime` spacing (no heartbeat timer per customer, so a thousand customers cost nothing while idle) in a
 * `Bottleneck.Group` keyed by customer id, each member chained to the partner limiter).
 * Requests that name no customer (customer list, offers) go through the partner limiter only.
 */
export class RateLimiter {
  readonly limits: RateLimits;
  readonly #partner: Bottleneck | undefined;
  readonly #customers: Bottleneck.Group | undefined;

  constructor(limits: RateLimits) {
    this.limits = limits;
    this.#partner = limits.perMinute > 0 ? tokenBucket(limits.perMinute) : undefined;
    if (limits.customerPerMinute > 0) {
      const group = new Bottleneck.Group({ minTime: spacingMs(limits.customerPerMinute) });
      const partner = this.#partner;
      if (partner) group.on('created', (limiter) => void limiter.chain(partner));
      this.#customers = group;
    }
  }

  /** Runs `job` when both the customer's and the partner's limits allow another request to start. */
  schedule<T>(customerId: string | undefined, job: () => Promise<T>): Promise<T> {
    if (customerId !== undefined && this.#customers) return this.#customers.key(customerId.toLowerCase()).schedule(job);
    return this.#partner ? this.#partner.schedule(job) : job();
  }
}

/** The customer a request path names (`/v1/customers/{id}/…`), lower-cased; undefined for partner-wide paths. */
export function customerOfPath(path: string): string | undefined {
  const m = /^\/v1\/customers\/([^/?]+)/i.exec(path);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]).toLowerCase();
  } catch {
    return m[1].toLowerCase();
  }
}
