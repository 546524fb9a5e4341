import { ExponentialBackoff, handleWhen, retry, type IBackoff, type IBackoffFactory, type IRetryBackoffContext } from 'cockatiel';
import { ApiError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (so at most `maxRetries + 1` requests). */
  readonly maxRetries: number;
  /** First backoff after a 5xx, timeout or dropped connection, in milliseconds. */
  readonly baseDelayMs: number;
  /** Longest single backoff (a longer `Retry-After` is still honoured). */
  readonly maxDelayMs: number;
  /** Every wait goes through this, so tests can run without real time passing. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Called before each wait, e.g. for progress output or tests. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** Random numbers in [0, 1) for the jitter added to `Retry-After`; default Math.random. */
  readonly random?: () => number;
}

export interface RetryInfo {
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: ApiError;
}

/** The transport's defaults: 6 retries, backoff from 0.5 s up to 30 s. */
export const DEFAULT_RETRY: Omit<RetryOptions, 'sleep'> = { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Runs one logical request with retries (cockatiel). Only `ApiError.retryable` failures are retried: any 429
 * (nothing was done, whatever the method), and 5xx, timeouts and dropped connections on GET. A POST or PATCH
 * whose outcome is unknown is never sent again here; it surfaces as `ambiguous` to the executor.
 *
 * After a 429 the wait is the server's `Retry-After` plus a little jitter; if 429s keep coming, the wait grows
 * exponentially (jittered) from that first `Retry-After`, and is never shorter than the latest one. Other
 * failures back off exponentially with decorrelated jitter from `baseDelayMs`.
 *
 * cockatiel's own timer cannot be injected, so its backoff here only decides how long to wait (it reports 0
 * to cockatiel); the wait itself happens through `opts.sleep` at the start of the next attempt.
 */
export async function withRetries<T>(attempt: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let pendingWait = 0;
  let attempts = 0;
  const backoff = new RetryAfterBackoff(opts, (ms) => (pendingWait = ms));
  const policy = retry(
    handleWhen((err) => err instanceof ApiError && err.retryable),
    { maxAttempts: opts.maxRetries, backoff },
  );
  policy.onRetry((event) => {
    if ('error' in event && event.error instanceof ApiError) opts.onRetry?.({ attempt: event.attempt, delayMs: pendingWait, error: event.error });
  });
  try {
    return await policy.execute(async () => {
      if (pendingWait > 0) {
        const ms = pendingWait;
        pendingWait = 0;
        await opts.sleep(ms);
      }
      attempts += 1;
      return attempt();
    });
  } catch (err) {
    throw err instanceof ApiError && attempts > 1 ? err.afterAttempts(attempts) : err;
  }
}

type Context = IRetryBackoffContext<unknown>;

/** Decides each wait (see withRetries) and hands it to `record`; reports a zero duration to cockatiel. */
class RetryAfterBackoff implements IBackoffFactory<Context> {
  readonly #general: ExponentialBackoff<unknown>;
  #generalStep: IBackoff<unknown> | undefined;
  /** Exponential waits seeded from the first Retry-After of a run of 429s. */
  #throttled: ExponentialBackoff<unknown> | undefined;
  #throttledStep: IBackoff<unknown> | undefined;

  constructor(
    private readonly opts: RetryOptions,
    private readonly record: (ms: number) => void,
  ) {
    this.#general = new ExponentialBackoff({ initialDelay: opts.baseDelayMs, maxDelay: opts.maxDelayMs });
  }

  next(context: Context): IBackoff<Context> {
    const error = 'error' in context.result ? context.result.error : undefined;
    this.record(error instanceof ApiError && error.status === 429 ? this.#afterThrottle(error) : this.#afterFailure());
    return { duration: 0, next: (c) => this.next(c) };
  }

  #afterThrottle(error: ApiError): number {
    const told = error.retryAfterMs ?? this.opts.baseDelayMs;
    const random = this.opts.random ?? Math.random;
    if (this.#throttled === undefined) {
      const seed = Math.max(told, 1);
      this.#throttled = new ExponentialBackoff({ initialDelay: seed * 2, maxDelay: Math.max(this.opts.maxDelayMs, seed * 2) });
      return Math.ceil(told + random() * Math.min(told * 0.1, 1000));
    }
    this.#throttledStep = (this.#throttledStep ?? this.#throttled.next()).next(undefined);
    return Math.ceil(Math.max(told, this.#throttledStep.duration));
  }

  #afterFailure(): number {
    this.#generalStep = (this.#generalStep ?? this.#general.next()).next(undefined);
    return Math.ceil(this.#generalStep.duration);
  }
}
