import Bottleneck from 'bottleneck';

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

/** Shortest refill tick: below this, timers cost more than they pace (matters only at scaled test rates). */
const MIN_TICK_MS = 25;

/** After a 429 the rate is multiplied by this (once per throttling episode). */
export const BACK_OFF = 0.5;
/** Each request answered without a 429 raises the rate by this share, up to the maximum (doubles in ~700). */
export const GROWTH = 0.001;
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
 * A token bucket on Bottleneck's reservoir whose rate adapts, shared by every worker of one API class.
 * Bottleneck queues the jobs; the refill is computed from elapsed time, so late timer callbacks never lose
 * capacity. A 429 (`throttled`) empties the bucket, stops the refill until its Retry-After has passed — so
 * every queued request of the class waits it out, not only the one that got it — and multiplies the rate by
 * BACK_OFF; each reply without a 429 (`succeeded`) grows the rate by GROWTH until `maxPerMinute`. With
 * start = max this is the fixed-rate bucket of the documented class that still backs off on a 429.
 */
export class AdaptiveBucket {
  readonly limiter: Bottleneck;
  readonly #rate: ClassRate;
  readonly #now: () => number;
  #perMinute: number;
  #perMs = 0;
  #cap = 1;
  #last: number;
  #owed = 0;
  #pausedUntil = -Infinity;
  /** 429s and back-offs so far, for summaries and the benchmark. */
  readonly stats = { throttled: 0, backOffs: 0 };

  constructor(rate: ClassRate, now: () => number = () => performance.now()) {
    this.#rate = rate;
    this.#now = now;
    this.#perMinute = rate.startPerMinute;
    this.#setRate(rate.startPerMinute);
    this.limiter = new Bottleneck({ reservoir: bucketSize(rate.startPerMinute).burst });
    this.#last = now();
    const timer = setInterval(() => this.#refill(), MIN_TICK_MS / 2);
    // The timer keeps the process alive only while requests wait for it; an idle limiter never holds up exit.
    timer.unref();
    this.limiter.on('received', () => timer.ref());
    this.limiter.on('idle', () => timer.unref());
  }

  /** The current rate, requests per minute. */
  get perMinute(): number {
    return this.#perMinute;
  }

  /** A 429 with `retryAfterMs`: the whole class pauses that long and, once per episode, slows down. */
  throttled(retryAfterMs: number): void {
    const t = this.#now();
    this.stats.throttled += 1;
    if (t >= this.#pausedUntil) {
      this.stats.backOffs += 1;
      this.#setRate(Math.max(this.#rate.startPerMinute * FLOOR_SHARE, this.#perMinute * BACK_OFF));
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, t + retryAfterMs);
    this.#owed = 0;
    void this.limiter.updateSettings({ reservoir: 0 });
  }

  /** A reply that was not a 429: the class may go a little faster. */
  succeeded(): void {
    if (this.#perMinute < this.#rate.maxPerMinute) this.#setRate(Math.min(this.#rate.maxPerMinute, this.#perMinute * (1 + GROWTH)));
  }

  #setRate(perMinute: number): void {
    this.#perMinute = perMinute;
    this.#perMs = (perMinute * RATE_SHARE) / 60_000;
    this.#cap = bucketSize(perMinute).cap;
  }

  #refill(): void {
    const t = this.#now();
    const from = Math.max(this.#last, this.#pausedUntil);
    if (t > from) this.#owed += (t - from) * this.#perMs;
    this.#last = t;
    const whole = Math.floor(this.#owed);
    if (whole < 1) return;
    this.#owed -= whole;
    const cap = this.#cap;
    void this.limiter.currentReservoir().then((left) => {
      const room = cap - (left ?? 0);
      if (room > 0) void this.limiter.incrementReservoir(Math.min(whole, room));
    });
  }
}
