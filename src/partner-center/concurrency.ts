import { monitorEventLoopDelay } from 'node:perf_hooks';
import pLimit, { type LimitFunction } from 'p-limit';
import type { RateLimiter } from './limiter.js';

/**
 * How many customers pcsync works on at once, chosen as the run goes (issue 24): an AIMD controller on the
 * customers in flight, driven by how busy Partner Center's rate budget is. A fleet run is bound by the documented
 * class's rate (README "Scale and speed"): customers in flight ≈ rate × one customer's time ÷ its documented
 * calls, and both factors are only known while the run goes — provisioning takes minutes or seconds, a customer
 * makes 5 calls or 9. So the controller measures instead of computing: while the limiter's queue is empty most
 * of the time (the budget has room) it adds customers; while requests wait for their turn it holds; when the
 * queue grows deep or Partner Center answers 429 it takes customers away. `concurrency` in pcsync.yaml stays the
 * upper cap. Pure: every observation carries its own time, so tests drive it on a fake clock.
 */

/** What bounds a run at a moment: Partner Center's rate, the customers' own waits (provisioning, latency), the cap, the CPU. */
export type RunBound = 'rate' | 'provisioning' | 'cap' | 'cpu';

export const BOUND_WORDS: Record<RunBound, string> = {
  rate: "Partner Center's rate limit",
  provisioning: 'provisioning waits and each customer’s own calls',
  cap: '`concurrency` in pcsync.yaml (the cap)',
  cpu: 'CPU (this machine)',
};

/** One look at the run, taken every `SAMPLE_MS` (see `ConcurrencyDriver`). */
export interface LoadSample {
  /** Milliseconds on the caller's clock. */
  readonly now: number;
  /** Milliseconds (cumulative) during which documented-class requests waited for the rate limiter's turn. */
  readonly busyMs: number;
  /** The same for the adaptive class (its budget saturated gains nothing from more customers either). */
  readonly otherBusyMs?: number;
  /** Requests waiting for their turn now. */
  readonly queued: number;
  /** 429s so far (cumulative). */
  readonly throttled: number;
  /** Customers being worked on now, and waiting for a slot. */
  readonly inFlight: number;
  readonly pending: number;
  /** Mean event-loop delay since the last sample, ms (how late timers fire: the CPU is saturated). */
  readonly loopDelayMs?: number;
}

export interface ControllerOptions {
  /** Upper cap: `concurrency` in pcsync.yaml. */
  readonly cap: number;
  /** Customers at once before anything is measured. Default min(cap, START). */
  readonly start?: number;
}

/** Customers at once at the start of a run. */
export const START = 8;
/**
 * Share of a sample's interval with requests waiting above which the budget counts as saturated (no growth), if
 * requests still wait at the sample.
 */
export const SATURATED = 0.5;
/** Requests waiting above which customers are taken away: the queue is deeper than the rate needs to stay busy. */
export const DEEP_QUEUE = 64;
/** On a 429: customers × this (once per `HOLD_SAMPLES` samples). On a deep queue: × DRAIN. */
export const DECREASE = 0.7;
export const DRAIN = 0.9;
/** Growth per sample with room: × SLOW_START until the first 429 or deep queue, then + max(1, GROW × limit). */
export const SLOW_START = 2;
export const GROW = 0.15;
/** Samples after a decrease before the controller grows again (the queue needs time to drain). */
export const HOLD_SAMPLES = 4;
/**
 * Mean event-loop delay (ms) above which the run counts as CPU-bound: more customers would only queue on the CPU,
 * so growth holds. Nothing is taken away: fewer customers in flight do the same work on the same CPU, and a
 * moment's spike (unpacking a fleet's plan when apply starts) cost a tenth of the customers and a second's hold.
 */
export const CPU_DELAY_MS = 40;

export class ConcurrencyController {
  readonly #cap: number;
  #limit: number;
  #peak: number;
  #last: LoadSample | undefined;
  /** Set by the first 429 or deep queue: growth is additive from then on (TCP's slow start, then congestion avoidance). */
  #slowStartOver = false;
  #hold = 0;
  /** Milliseconds of the run bound by each cause (only while customers were in flight). */
  readonly #spent: Record<RunBound, number> = { rate: 0, provisioning: 0, cap: 0, cpu: 0 };
  #now: RunBound = 'provisioning';

  constructor(opts: ControllerOptions) {
    this.#cap = Math.max(1, Math.floor(opts.cap));
    this.#limit = Math.max(1, Math.min(this.#cap, Math.floor(opts.start ?? START)));
    this.#peak = this.#limit;
  }

  /** Customers that may be in flight now. */
  get limit(): number {
    return this.#limit;
  }

  /** Most customers allowed at once so far. */
  get peak(): number {
    return this.#peak;
  }

  get cap(): number {
    return this.#cap;
  }

  /** What bound the run during the last interval observed. */
  get bound(): RunBound {
    return this.#now;
  }

  /** Feeds one sample; returns the new limit. */
  observe(s: LoadSample): number {
    const last = this.#last;
    this.#last = s;
    if (!last) return this.#limit;
    const interval = Math.max(0, s.now - last.now);
    const waited = Math.max(s.busyMs - last.busyMs, (s.otherBusyMs ?? 0) - (last.otherBusyMs ?? 0), 0);
    const busy = interval > 0 ? Math.min(1, waited / interval) : 0;
    const throttled = s.throttled > last.throttled;
    const cpu = (s.loopDelayMs ?? 0) > CPU_DELAY_MS;
    // Saturated: requests waited most of the interval AND still wait now. A burst that has drained by the sample —
    // the first calls of the customers the last step added, arriving together — is the step itself, not a full
    // budget; holding on it made growth go one step in two (16 → 128 customers took 2 s instead of 0.75 s).
    const saturated = throttled || (busy >= SATURATED && s.queued > 0) || s.queued > DEEP_QUEUE;
    const wanted = s.pending > 0 && s.inFlight >= this.#limit;
    this.#now = saturated ? 'rate' : cpu ? 'cpu' : wanted && this.#limit >= this.#cap ? 'cap' : 'provisioning';
    if (s.inFlight > 0 || last.inFlight > 0) this.#spent[this.#now] += interval;
    if (this.#hold > 0) this.#hold -= 1;
    // A sample with requests waiting only holds growth: bursts (a dozen customers listing orders at once) fill
    // the queue for a moment at any pace. Slow start ends when the budget says so — a 429 or a deep queue.
    if (throttled || s.queued > DEEP_QUEUE) this.#slowStartOver = true;
    if (throttled) {
      if (this.#hold === 0) this.#decrease(DECREASE);
    } else if (s.queued > DEEP_QUEUE) {
      if (this.#hold === 0) this.#decrease(DRAIN);
    } else if (!saturated && !cpu && wanted && this.#hold === 0 && this.#limit < this.#cap) {
      const next = this.#slowStartOver ? this.#limit + Math.max(1, Math.round(this.#limit * GROW)) : this.#limit * SLOW_START;
      this.#limit = Math.min(this.#cap, Math.floor(next));
      this.#peak = Math.max(this.#peak, this.#limit);
    }
    return this.#limit;
  }

  #decrease(by: number): void {
    this.#limit = Math.max(1, Math.floor(this.#limit * by));
    this.#hold = HOLD_SAMPLES;
  }

  /**
   * What bound the run: the cause that held the largest share of the time customers were in flight, with each
   * cause's share (0–1) of that time.
   */
  summary(): RunBoundSummary {
    const total = Object.values(this.#spent).reduce((a, b) => a + b, 0);
    const shares = Object.fromEntries(Object.entries(this.#spent).map(([k, v]) => [k, total > 0 ? v / total : 0])) as Record<RunBound, number>;
    const bound = (Object.keys(shares) as RunBound[]).reduce((a, b) => (shares[b] > shares[a] ? b : a), 'provisioning' as RunBound);
    return { bound, shares, peak: this.#peak, cap: this.#cap };
  }
}

export interface RunBoundSummary {
  readonly bound: RunBound;
  readonly shares: Readonly<Record<RunBound, number>>;
  /** Most customers at once, and the cap. */
  readonly peak: number;
  readonly cap: number;
}

/** One line for people: "bound by Partner Center's rate limit (81 % of the time; provisioning waits 19 %); up to 96 customers at once (cap 256)". */
export function boundText(s: RunBoundSummary): string {
  const others = (Object.keys(s.shares) as RunBound[])
    .filter((k) => k !== s.bound && s.shares[k] >= 0.05)
    .sort((a, b) => s.shares[b] - s.shares[a])
    .map((k) => `${BOUND_WORDS[k]} ${pct(s.shares[k])}`);
  return `bound by ${BOUND_WORDS[s.bound]} (${pct(s.shares[s.bound])} of the time${others.length ? `; ${others.join(', ')}` : ''}); up to ${s.peak} customer(s) at once (cap ${s.cap})`;
}

const pct = (x: number) => `${Math.round(100 * x)} %`;

/** How often the pool looks at the limiter, ms. */
export const SAMPLE_MS = 250;

/**
 * Customers at once under a `ConcurrencyController`: a p-limit whose concurrency the controller sets every
 * SAMPLE_MS from the limiter's load (without a client-side limit, e.g. against the simulator unless a rate is
 * set, the cap is used as it is). `close()` stops the sampling and says what bound the run.
 */
export class CustomerPool {
  readonly #limit: LimitFunction;
  readonly #controller: ConcurrencyController;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #delay = monitorEventLoopDelay({ resolution: 20 });
  readonly #limiter: RateLimiter | undefined;
  #onChange: ((limit: number, bound: RunBound) => void) | undefined;

  constructor(cap: number, limiter: RateLimiter | undefined, now: () => number = () => performance.now()) {
    const adaptive = limiter?.load() !== undefined;
    // A later pool on the same budget (apply --auto-approve's apply after its read) starts where the last one
    // ended, not at START: its slow start cost a second of an idle budget every phase.
    const learned = limiter?.customersAtOnce;
    this.#limiter = limiter;
    this.#controller = new ConcurrencyController({ cap, ...(adaptive ? (learned !== undefined ? { start: Math.max(START, learned) } : {}) : { start: cap }) });
    this.#limit = pLimit(this.#controller.limit);
    if (!adaptive || !limiter) return;
    this.#delay.enable();
    const sample = () => {
      const load = limiter.load();
      if (!load) return;
      const delay = this.#delay.count > 0 ? this.#delay.mean / 1e6 : 0;
      this.#delay.reset();
      const before = this.#controller.limit;
      const after = this.#controller.observe({ now: now(), ...load, inFlight: this.#limit.activeCount, pending: this.#limit.pendingCount, loopDelayMs: delay });
      if (after !== before) this.#limit.concurrency = after;
      this.#onChange?.(after, this.#controller.bound);
    };
    sample();
    this.#timer = setInterval(sample, SAMPLE_MS);
    this.#timer.unref();
  }

  /** Runs `fn` when a slot is free. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#limit(fn);
  }

  /** Customers allowed at once now. */
  get limit(): number {
    return this.#controller.limit;
  }

  /** What bound the run in the last interval. */
  get bound(): RunBound {
    return this.#controller.bound;
  }

  /** Called after every sample (for a progress line). */
  onSample(fn: (limit: number, bound: RunBound) => void): void {
    this.#onChange = fn;
  }

  clearQueue(): void {
    this.#limit.clearQueue();
  }

  /** Stops sampling; what bound the run. */
  close(): RunBoundSummary {
    if (this.#timer) clearInterval(this.#timer);
    this.#delay.disable();
    if (this.#timer && this.#limiter) this.#limiter.customersAtOnce = this.#controller.limit;
    return this.#controller.summary();
  }
}
