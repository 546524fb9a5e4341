import { AdaptiveBucket, RATE_SHARE, type ClassRate } from './adaptive-bucket.js';
import { apiClassOf, type ApiClass } from './api-classes.js';
import { ApiError } from './errors.js';

export { bucketSize, RATE_SHARE } from './adaptive-bucket.js';

/**
 * Client-side request rates per API class (api-classes.ts). Partner Center publishes 500 requests per minute
 * per tenant for the documented throttled class and says some limits apply per partner, others per partner +
 * customer; every other API is limited dynamically, so pcsync finds its rate (see AdaptiveBucket).
 */
export interface RateLimits {
  /** Requests per minute of the documented class for the whole run (one partner tenant). 0 = no client-side limit. */
  readonly perMinute: number;
  /** Requests per minute of the documented class naming one customer. 0 = no per-customer limit. */
  readonly customerPerMinute: number;
  /** Start rate of the adaptive class (every other API), requests per minute. 0 or absent = no client-side limit. */
  readonly adaptivePerMinute?: number;
  /** Highest rate the adaptive class grows to. Default: the start rate. */
  readonly adaptiveMaxPerMinute?: number;
  /** `single` puts every request in the documented class (the old limiter; for comparison in the benchmark). */
  readonly classes?: 'per-class' | 'single';
}

/** The published figure. */
export const PUBLISHED_PER_MINUTE = 500;

/** Milliseconds between two request starts for a limit of `perMinute` (0 = none). */
export function spacingMs(perMinute: number): number {
  return perMinute > 0 ? 60_000 / (perMinute * RATE_SHARE) : 0;
}

/** What one request is, as far as the limiter cares. */
export interface LimitedRequest {
  readonly method: string;
  readonly path: string;
}

/**
 * One limiter per API class, each shared by every worker. The documented class: one adaptive bucket for the
 * partner at `perMinute` (start = maximum, so it only ever backs off and recovers) and, before it, an even
 * spacing per partner + customer at `customerPerMinute` (one timestamp per customer, so a thousand customers
 * cost nothing while idle). The adaptive class: one partner-wide bucket from `adaptivePerMinute` up to
 * `adaptiveMaxPerMinute`. A 429 pauses and slows the class of the request that got it (AdaptiveBucket); a 429
 * of the documented class — which keeps below the published rate on its own — shows that the service counts the
 * other APIs against the same budget, and from then on both classes share the documented bucket.
 */
export class RateLimiter {
  readonly limits: RateLimits;
  readonly #documented: AdaptiveBucket | undefined;
  readonly #adaptive: AdaptiveBucket | undefined;
  /** Per customer: when its next documented-class request may start (performance.now() ms). */
  readonly #customerNext = new Map<string, number>();
  readonly #customerSpacing: number;
  readonly #sleeping = new Set<() => void>();
  /** Set by `releaseQueued`: the run stopped, so nothing waits for a turn any more. */
  #released = false;
  /**
   * Set by the first 429 of the documented class, which pcsync paces below the published rate: something else —
   * the other APIs, when the service counts every endpoint against one partner-wide budget — uses that budget
   * too. From then on every request takes its turn in the documented bucket, so the two classes share one
   * budget instead of colliding in it.
   */
  #shared = false;
  /** Counts for the run's summary and the concurrency controller. */
  readonly stats = { throttled: 0 };
  /**
   * Customers at once the last concurrency controller on this budget ended at (concurrency.ts CustomerPool): the
   * next pool of the same run starts there.
   */
  customersAtOnce: number | undefined;

  constructor(limits: RateLimits) {
    this.limits = limits;
    this.#documented = limits.perMinute > 0 ? new AdaptiveBucket({ startPerMinute: limits.perMinute, maxPerMinute: limits.perMinute }) : undefined;
    const start = limits.adaptivePerMinute ?? 0;
    const rate: ClassRate = { startPerMinute: start, maxPerMinute: Math.max(start, limits.adaptiveMaxPerMinute ?? start) };
    this.#adaptive = start > 0 ? new AdaptiveBucket(rate) : undefined;
    this.#customerSpacing = spacingMs(limits.customerPerMinute);
  }

  /** The class a request is limited in. */
  classOf(req: LimitedRequest): ApiClass {
    return this.limits.classes === 'single' ? 'documented' : apiClassOf(req.method, req.path);
  }

  /** Current rate per class (requests per minute; undefined = no client-side limit), for progress and tests. */
  rates(): Record<ApiClass, number | undefined> {
    return { documented: this.#documented?.perMinute, adaptive: this.#shared ? this.#documented?.perMinute : this.#adaptive?.perMinute };
  }

  /** True once 429s showed that the other APIs share the documented budget (see `#shared`). */
  get shared(): boolean {
    return this.#shared;
  }

  /**
   * How the documented class's budget is used now: requests waiting for its bucket (0 = it has room) and every
   * 429 so far; undefined without a client-side limit on it. What the concurrency controller reads.
   */
  load(): { queued: number; busyMs: number; otherBusyMs: number; throttled: number } | undefined {
    const d = this.#documented;
    if (!d) return undefined;
    // the adaptive class's queue counts too: a saturated adaptive budget gains nothing from more customers either
    const a = this.#adaptive;
    return { queued: Math.max(d.queued, a?.queued ?? 0), busyMs: d.busyMs, otherBusyMs: a?.busyMs ?? 0, throttled: this.stats.throttled };
  }

  /** Runs `job` when its class (and, for the documented class, its customer) allows another request to start. */
  schedule<T>(req: LimitedRequest, job: () => Promise<T>): Promise<T> {
    if (this.#released) return job();
    const cls = this.classOf(req);
    const bucket = cls === 'documented' || (this.#shared && this.#documented) ? this.#documented : this.#adaptive;
    const run = bucket ? () => job().then(ok(bucket), this.#throttledOrNot(bucket, cls)) : job;
    const limited = bucket ? () => bucket.schedule(run) : run;
    const customer = cls === 'documented' && this.#customerSpacing > 0 ? customerOfPath(req.path) : undefined;
    if (customer === undefined) return limited();
    const wait = this.#customerTurn(customer);
    // released while it waited for its customer's turn: the run stopped, so it must not queue in the bucket
    // (whose timer would keep the process alive for the bucket's next token)
    return wait > 0 ? this.#sleep(wait).then(() => (this.#released ? job() : limited())) : limited();
  }

  /** Waits `ms` for a customer's turn; `releaseQueued` ends the wait at once. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#sleeping.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#sleeping.add(done);
    });
  }

  /**
   * Lets every request waiting for its turn go on at once, and every later one too (see
   * AdaptiveBucket.releaseQueued): only for a run that stopped, whose transport then sends nothing.
   */
  releaseQueued(): void {
    this.#released = true;
    for (const done of [...this.#sleeping]) done();
    this.#documented?.releaseQueued();
    this.#adaptive?.releaseQueued();
  }

  /**
   * A failed request: a 429 pauses and slows the bucket it took its turn in. The first documented-class 429 with
   * an adaptive class beside it switches to one shared budget (`#shared`); the 429 is blamed on the other
   * class's requests, so the documented rate pauses for the Retry-After but keeps its rate.
   */
  #throttledOrNot(bucket: AdaptiveBucket, cls: ApiClass) {
    return (err: unknown): never => {
      if (err instanceof ApiError && err.status === 429) {
        this.stats.throttled += 1;
        bucket.throttled(err.retryAfterMs ?? 1000);
        if (!this.#shared && cls === 'documented' && this.#adaptive && this.limits.classes !== 'single') {
          this.#shared = true;
          bucket.restore();
        }
      } else if (err instanceof ApiError && err.status !== undefined) bucket.succeeded();
      throw err;
    };
  }

  /** Reserves the customer's next start slot; returns how long to wait for it. */
  #customerTurn(customer: string): number {
    const t = performance.now();
    const start = Math.max(t, this.#customerNext.get(customer) ?? t);
    this.#customerNext.set(customer, start + this.#customerSpacing);
    return start - t;
  }
}

const ok =
  (bucket: AdaptiveBucket) =>
  <T>(value: T): T => {
    bucket.succeeded();
    return value;
  };

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
