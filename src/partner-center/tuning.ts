import { envChoice, envNumber, invalid, TIMER_MAX_MS, type Env, type NumberRange } from '../core/env.js';
import { isLoopbackHost } from './endpoint.js';
import { PUBLISHED_PER_MINUTE, type RateLimits } from './limiter.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { FRESH_READ_MS } from './fresh-reads.js';

/** How the transport paces, retries and times out; from environment variables (see the README). */
export interface ClientTuning {
  readonly limits: RateLimits;
  readonly retry: Pick<RetryOptions, 'maxRetries' | 'baseDelayMs' | 'maxDelayMs'>;
  readonly timeoutMs: number;
  /** How old a subscription or order list a purchase or a suspend may rely on (fresh-reads.ts). */
  readonly freshReadMs: number;
}

/** Defaults of the adaptive class relative to the documented rate and to its own start. */
const ADAPTIVE_START = 2;
const ADAPTIVE_MAX = 8;

/** The variables `tuningFromEnv` reads, with what each means (for help texts and errors). */
export const TUNING_VARIABLES = {
  PCSYNC_RATE_PER_MINUTE: 'requests per minute of the documented throttled APIs (orders, subscriptions, carts, customer by id) for the partner tenant (default 500, the published limit; 0 = no client-side limit)',
  PCSYNC_CUSTOMER_RATE_PER_MINUTE: 'requests per minute of the documented throttled APIs per customer (default: the partner rate; 0 = none)',
  PCSYNC_ADAPTIVE_RATE_PER_MINUTE: `start rate of every API outside the documented throttled list, requests per minute (default ${ADAPTIVE_START}× PCSYNC_RATE_PER_MINUTE; 0 = no client-side limit)`,
  PCSYNC_ADAPTIVE_MAX_PER_MINUTE: `highest rate the APIs outside the documented throttled list grow to while no 429 comes back (default ${ADAPTIVE_MAX}× their start rate)`,
  PCSYNC_MAX_RETRIES: `retries of a throttled or failed read (default ${DEFAULT_RETRY.maxRetries})`,
  PCSYNC_RETRY_BASE_MS: `first backoff after a 5xx, timeout or dropped connection (default ${DEFAULT_RETRY.baseDelayMs})`,
  PCSYNC_TIMEOUT_MS: 'how long one request may take before it counts as timed out (default 60000)',
  PCSYNC_FRESH_READ_MS: `how old a subscription or order list read earlier in the same run a purchase (its check for a foreign pending order) or a suspend (its PATCH body) may rely on instead of reading it again (default ${FRESH_READ_MS}; 0 = always read again)`,
} as const;

/** `PCSYNC_LIMITER`: `per-class` (default) or `single` (every call in the documented class: the old limiter). */
const LIMITER_MODES = ['per-class', 'single'] as const;
const LIMITER_MEANING = 'per-class (default) limits each API class on its own; single puts every call under PCSYNC_RATE_PER_MINUTE';

/**
 * Requests per minute: 0 = no client-side limit, else at least one a minute (a smaller rate waits longer than
 * Node's timers can, which made the limiter spin) and at most 1,000,000 (~16,700/s; beyond that use 0).
 */
const RATE: NumberRange = { min: 1, max: 1_000_000, zero: 'no client-side limit' };

/** What each variable accepts; the retry base stays below the longest backoff, so it is never silently capped. */
const RANGES: Record<keyof typeof TUNING_VARIABLES, NumberRange> = {
  PCSYNC_RATE_PER_MINUTE: RATE,
  PCSYNC_CUSTOMER_RATE_PER_MINUTE: RATE,
  PCSYNC_ADAPTIVE_RATE_PER_MINUTE: RATE,
  PCSYNC_ADAPTIVE_MAX_PER_MINUTE: { min: 1, max: RATE.max },
  PCSYNC_MAX_RETRIES: { min: 0, max: 100, whole: true },
  PCSYNC_RETRY_BASE_MS: { min: 0, max: DEFAULT_RETRY.maxDelayMs, whole: true },
  PCSYNC_TIMEOUT_MS: { min: 1, max: TIMER_MAX_MS, whole: true },
  PCSYNC_FRESH_READ_MS: { min: 0, max: 3_600_000, whole: true },
};

/**
 * Client tuning for `endpoint`. The rate limit defaults to Partner Center's published 500 requests/minute;
 * against a loopback endpoint (the embedded simulator, which throttles only when asked to) there is no
 * client-side limit unless PCSYNC_RATE_PER_MINUTE sets one. Every value is checked (`envNumber`): a bad one is a
 * UserError naming the variable and its range, before any request. An adaptive maximum set below the adaptive
 * start rate is refused, not raised.
 */
export function tuningFromEnv(env: Env, endpoint: string): ClientTuning {
  const loopback = isLoopbackHost(new URL(endpoint).hostname);
  const perMinute = number(env, 'PCSYNC_RATE_PER_MINUTE', loopback ? 0 : PUBLISHED_PER_MINUTE);
  const adaptivePerMinute = number(env, 'PCSYNC_ADAPTIVE_RATE_PER_MINUTE', ADAPTIVE_START * perMinute);
  const adaptiveMaxPerMinute = number(env, 'PCSYNC_ADAPTIVE_MAX_PER_MINUTE', ADAPTIVE_MAX * adaptivePerMinute);
  if (adaptivePerMinute > 0 && adaptiveMaxPerMinute < adaptivePerMinute) {
    const expected = `at least the adaptive start rate, ${adaptivePerMinute} (PCSYNC_ADAPTIVE_RATE_PER_MINUTE${env.PCSYNC_ADAPTIVE_RATE_PER_MINUTE?.trim() ? '' : ', from its default'})`;
    throw invalid('PCSYNC_ADAPTIVE_MAX_PER_MINUTE', env.PCSYNC_ADAPTIVE_MAX_PER_MINUTE ?? '', expected, TUNING_VARIABLES.PCSYNC_ADAPTIVE_MAX_PER_MINUTE);
  }
  return {
    limits: {
      perMinute,
      customerPerMinute: number(env, 'PCSYNC_CUSTOMER_RATE_PER_MINUTE', perMinute),
      adaptivePerMinute,
      adaptiveMaxPerMinute,
      classes: envChoice(env, 'PCSYNC_LIMITER', LIMITER_MEANING, LIMITER_MODES, 'per-class'),
    },
    retry: {
      maxRetries: number(env, 'PCSYNC_MAX_RETRIES', DEFAULT_RETRY.maxRetries),
      baseDelayMs: number(env, 'PCSYNC_RETRY_BASE_MS', DEFAULT_RETRY.baseDelayMs),
      maxDelayMs: DEFAULT_RETRY.maxDelayMs,
    },
    timeoutMs: number(env, 'PCSYNC_TIMEOUT_MS', 60_000),
    freshReadMs: number(env, 'PCSYNC_FRESH_READ_MS', FRESH_READ_MS),
  };
}

function number(env: Env, name: keyof typeof TUNING_VARIABLES, fallback: number): number {
  return envNumber(env, name, TUNING_VARIABLES[name], { ...RANGES[name], fallback });
}
