/** How fast an API class may go: it starts at `startPerMinute` and never goes above `maxPerMinute`. */
export interface ClassRate {
  readonly startPerMinute: number;
  readonly maxPerMinute: number;
}

/**
 * Share of a limit pcsync actually uses. Requests leave evenly spaced at 95% of the limit, so no window of
 * any length ever holds more than the limit, with room for clock drift and network jitter.
 */
export const RATE_SHARE = 0.95;

/** Refill granularity: the bucket holds up to two ticks' worth of tokens (matters only at scaled test rates). */
const MIN_TICK_MS = 25;

/** After a 429 the rate is multiplied by this (once per throttling episode). */
export const BACK_OFF = 0.5;
/**
 * After a 429 the class has learned a ceiling: this share of the rate the 429 came at. Below it the rate recovers
 * additively, in RECOVERY_REPLIES replies from the backed-off rate back to the ceiling — about as fast as it fell
 * (a halving, then ~50 replies: at 500/minute some 12 s), where a multiplicative growth took ~700 replies and
 * kept the class far below its budget for minutes (issue 24).
 */
export const CEILING_SHARE = 0.9;
export const RECOVERY_REPLIES = 50;
/**
 * Above the ceiling a 429 taught, each reply without a 429 raises the rate by this share, up to the maximum
 * (doubles in ~700): the slow probe for room the class has already overrun once.
 */
export const GROWTH = 0.001;
/**
 * Before any 429 the class knows of no limit, and grows by this share a reply (doubles in ~70): TCP's slow start.
 * At GROWTH from the start the adaptive class took some 2,000 replies to reach 8× its start rate, and for the
 * whole read of a 100-customer fleet (~30 user and licence reads each) it held the customers back while the
 * documented budget had room (issue 24). The first 429 ends it: half the rate, a ceiling, and GROWTH above it.
 */
export const SLOW_START_GROWTH = 0.01;
/** The rate never backs off below this share of the start rate. */
const FLOOR_SHARE = 1 / 64;

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
 * A token bucket whose rate adapts, shared by every worker of one API class. Requests wait in one FIFO queue and
 * start when a token is there; tokens are computed from elapsed time, so late timers never lose capacity. A 429
 * (`throttled`) empties the bucket and stops the refill until its Retry-After has passed — so every queued
 * request of the class waits it out, not only the one that got it — and multiplies the rate by BACK_OFF; each
 * reply without a 429 (`succeeded`) grows the rate (SLOW_START_GROWTH, then after a 429 back to the ceiling and
 * GROWTH beyond it) until `maxPerMinute`. With start = max this is the
 * fixed-rate bucket of the documented class that still backs off on a 429.
 *
 * Own code rather than Bottleneck's reservoir: Bottleneck yields to a timer before starting each job, which
 * caps it at a few hundred starts per second and cost ~3 ms of latency per request at the benchmark's scaled
 * rates; this gate starts a job synchronously when a token is there and arms one timer for the whole queue.
 */
export class AdaptiveBucket {
  readonly #rate: ClassRate;
  readonly #now: () => number;
  #perMinute = 0;
  #perMs = 0;
  #cap = 1;
  #tokens: number;
  #last: number;
  #pausedUntil = -Infinity;
  /** Learned after a 429 (CEILING_SHARE of the rate it came at); below it the rate recovers by `#step` a reply. */
  #ceiling = Infinity;
  #step = 0;
  #queue: (() => void)[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Time (ms, cumulative) during which jobs waited in the queue, and when the current wait began. */
  #busyMs = 0;
  #busySince: number | undefined;
  /** 429s and back-offs so far, for summaries and the benchmark. */
  readonly stats = { throttled: 0, backOffs: 0 };

  constructor(rate: ClassRate, now: () => number = () => performance.now()) {
    this.#rate = rate;
    this.#now = now;
    this.#setRate(rate.startPerMinute);
    this.#tokens = bucketSize(rate.startPerMinute).burst;
    this.#last = now();
  }

  /** The current rate, requests per minute. */
  get perMinute(): number {
    return this.#perMinute;
  }

  /** Jobs waiting for a token now: the class's budget is saturated while this stays above 0. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Milliseconds (cumulative, up to now) during which jobs waited for a token: the budget was saturated. */
  get busyMs(): number {
    return this.#busyMs + (this.#busySince === undefined ? 0 : this.#now() - this.#busySince);
  }

  /** Runs `job` when a token is there, in the order jobs were scheduled. */
  schedule<T>(job: () => Promise<T>): Promise<T> {
    if (this.#head === this.#queue.length && this.#take()) return job();
    return new Promise<void>((resolve) => {
      this.#busySince ??= this.#now();
      this.#queue.push(resolve);
      this.#arm();
    }).then(job);
  }

  /** A 429 with `retryAfterMs`: the whole class pauses that long and, once per episode, slows down. */
  throttled(retryAfterMs: number): void {
    const t = this.#now();
    this.stats.throttled += 1;
    if (t >= this.#pausedUntil) {
      this.stats.backOffs += 1;
      const floor = this.#rate.startPerMinute * FLOOR_SHARE;
      this.#ceiling = Math.max(floor, this.#perMinute * CEILING_SHARE);
      this.#setRate(Math.max(floor, this.#perMinute * BACK_OFF));
      this.#step = Math.max(0, this.#ceiling - this.#perMinute) / RECOVERY_REPLIES;
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, t + retryAfterMs);
    this.#tokens = 0;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#arm();
  }

  /**
   * A reply that was not a 429: the class may go a little faster — by SLOW_START_GROWTH before any 429, by `#step`
   * while below the ceiling learned from the last 429, by GROWTH above it.
   */
  succeeded(): void {
    if (this.#perMinute >= this.#rate.maxPerMinute) return;
    const next =
      this.#ceiling === Infinity
        ? this.#perMinute * (1 + SLOW_START_GROWTH)
        : this.#perMinute < this.#ceiling && this.#step > 0
          ? Math.min(this.#ceiling, this.#perMinute + this.#step)
          : this.#perMinute * (1 + GROWTH);
    this.#setRate(Math.min(this.#rate.maxPerMinute, next));
  }

  /**
   * Forgets what the last 429 taught and goes back to the start rate: for a 429 that the limiter attributes to
   * another class's requests sharing this budget (RateLimiter), not to this class's own pace.
   */
  restore(): void {
    this.#ceiling = Infinity;
    this.#step = 0;
    this.#setRate(this.#rate.startPerMinute);
  }

  #setRate(perMinute: number): void {
    this.#perMinute = perMinute;
    this.#perMs = (perMinute * RATE_SHARE) / 60_000;
    this.#cap = bucketSize(perMinute).cap;
  }

  #refill(t: number): void {
    const from = Math.max(this.#last, this.#pausedUntil);
    if (t > from) this.#tokens = Math.min(this.#cap, this.#tokens + (t - from) * this.#perMs);
    this.#last = Math.max(this.#last, t);
  }

  #take(): boolean {
    this.#refill(this.#now());
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /**
   * Lets every queued job start now, tokens or not: for a run that stops before sending them (the jobs then find
   * the transport halted and send nothing), so no limiter timer keeps the process waiting.
   */
  releaseQueued(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const waiting = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    this.#idle();
    for (const resolve of waiting) resolve();
  }

  /** The queue emptied: the wait that began at `#busySince` is over. */
  #idle(): void {
    if (this.#busySince !== undefined) this.#busyMs += this.#now() - this.#busySince;
    this.#busySince = undefined;
  }

  /** One timer for the whole queue, set for when the next token is due. */
  #arm(): void {
    if (this.#timer || this.#head === this.#queue.length) return;
    const t = this.#now();
    this.#refill(t);
    const wait = t < this.#pausedUntil ? this.#pausedUntil - t + (1 - this.#tokens) / this.#perMs : (1 - this.#tokens) / this.#perMs;
    this.#timer = setTimeout(() => this.#drain(), Math.max(1, Math.ceil(wait)));
  }

  #drain(): void {
    this.#timer = undefined;
    while (this.#head < this.#queue.length && this.#take()) {
      const resolve = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as never;
      resolve();
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
      this.#idle();
    } else if (this.#head > 1024) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#arm();
  }
}
