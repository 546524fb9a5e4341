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

/**
 * One shared limiter for the partner tenant and one per partner + customer, chained: a request naming a
 * customer first waits its turn in that customer's limiter, then in the partner's. Built on Bottleneck
 * (`minTime` spacing; `Bottleneck.Group` keyed by customer id, each member chained to the partner limiter).
 * Requests that name no customer (customer list, offers) go through the partner limiter only.
 */
export class RateLimiter {
  readonly limits: RateLimits;
  readonly #partner: Bottleneck | undefined;
  readonly #customers: Bottleneck.Group | undefined;

  constructor(limits: RateLimits) {
    this.limits = limits;
    this.#partner = limits.perMinute > 0 ? new Bottleneck({ minTime: spacingMs(limits.perMinute) }) : undefined;
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
