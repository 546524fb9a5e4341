import { UserError } from '../core/errors.js';
import { isLoopbackHost } from './endpoint.js';
import { PUBLISHED_PER_MINUTE, type RateLimits } from './limiter.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';

/** How the transport paces, retries and times out; from environment variables (see the README). */
export interface ClientTuning {
  readonly limits: RateLimits;
  readonly retry: Pick<RetryOptions, 'maxRetries' | 'baseDelayMs' | 'maxDelayMs'>;
  readonly timeoutMs: number;
}

/** Defaults of the adaptive class relative to the documented rate and to its own start. */
const ADAPTIVE_START = 2;
const ADAPTIVE_MAX = 8;

/** The variables `tuningFromEnv` reads, with what each means (for help texts and errors). */
export const TUNING_VARIABLES = {
  PCSYNC_RATE_PER_MINUTE: 'requests per minute of the documented throttled APIs (orders, subscriptions, carts, customer by id) for the partner tenant (default 500, the published limit; 0 = no client-side limit)',
  PCSYNC_CUSTOMER_RATE_PER_MINUTE: 'requests per minute of the documented throttled APIs per customer (default: the partner rate; 0 = none)',
  PCSYNC_ADAPTIVE_RATE_PER_MINUTE: `start rate of every API outside the documented throttled list, requests per minute (default ${ADAPTIVE_START}× PCSYNC_RATE_PER_MINUTE; 0 = no client-side limit)`,
  PCSYNC_ADAPTIVE_MAX_PER_MINUTE: `highest rate those APIs grow to while no 429 comes back (default ${ADAPTIVE_MAX}× their start rate)`,
  PCSYNC_MAX_RETRIES: `retries of a throttled or failed read (default ${DEFAULT_RETRY.maxRetries})`,
  PCSYNC_RETRY_BASE_MS: `first backoff after a 5xx, timeout or dropped connection (default ${DEFAULT_RETRY.baseDelayMs})`,
  PCSYNC_TIMEOUT_MS: 'how long one request may take before it counts as timed out (default 60000)',
} as const;

/** `PCSYNC_LIMITER`: `per-class` (default) or `single` (every call in the documented class: the old limiter). */
const LIMITER_MODES = ['per-class', 'single'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Client tuning for `endpoint`. The rate limit defaults to Partner Center's published 500 requests/minute;
 * against a loopback endpoint (the embedded simulator, which throttles only when asked to) there is no
 * client-side limit unless PCSYNC_RATE_PER_MINUTE sets one.
 */
export function tuningFromEnv(env: Env, endpoint: string): ClientTuning {
  const loopback = isLoopbackHost(new URL(endpoint).hostname);
  const perMinute = number(env, 'PCSYNC_RATE_PER_MINUTE', loopback ? 0 : PUBLISHED_PER_MINUTE);
  const adaptivePerMinute = number(env, 'PCSYNC_ADAPTIVE_RATE_PER_MINUTE', ADAPTIVE_START * perMinute);
  const mode = env.PCSYNC_LIMITER?.trim() || 'per-class';
  if (!(LIMITER_MODES as readonly string[]).includes(mode)) {
    throw new UserError('config.env', `PCSYNC_LIMITER="${mode}" is not valid: expected one of ${LIMITER_MODES.join(', ')}.`);
  }
  return {
    limits: {
      perMinute,
      customerPerMinute: number(env, 'PCSYNC_CUSTOMER_RATE_PER_MINUTE', perMinute),
      adaptivePerMinute,
      adaptiveMaxPerMinute: number(env, 'PCSYNC_ADAPTIVE_MAX_PER_MINUTE', ADAPTIVE_MAX * adaptivePerMinute),
      classes: mode as (typeof LIMITER_MODES)[number],
    },
    retry: {
      maxRetries: number(env, 'PCSYNC_MAX_RETRIES', DEFAULT_RETRY.maxRetries, true),
      baseDelayMs: number(env, 'PCSYNC_RETRY_BASE_MS', DEFAULT_RETRY.baseDelayMs),
      maxDelayMs: DEFAULT_RETRY.maxDelayMs,
    },
    timeoutMs: number(env, 'PCSYNC_TIMEOUT_MS', 60_000, true, 1),
  };
}

function number(env: Env, name: keyof typeof TUNING_VARIABLES, fallback: number, whole = false, min = 0): number {
  return envNumber(env, name, TUNING_VARIABLES[name], { fallback, whole, min });
}

/** A numeric environment variable; absent or empty → `fallback`; anything else invalid is a UserError naming it. */
export function envNumber(env: Env, name: string, meaning: string, o: { fallback: number; whole?: boolean; min?: number }): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return o.fallback;
  const n = Number(raw);
  const min = o.min ?? 0;
  if (!Number.isFinite(n) || n < min || (o.whole && !Number.isInteger(n))) {
    throw new UserError('config.env', `${name}="${raw}" is not valid: expected ${o.whole ? 'a whole number' : 'a number'} ≥ ${min} — ${meaning}.`);
  }
  return n;
}
