import { realSleep } from '../core/sleep.js';
import { envNumber, invalid, TIMER_MAX_MS, type NumberRange } from '../core/env.js';
import type { Recheck } from '../live/holders.js';
import type { CliIo } from './io.js';

/** The variables `pollingFromEnv` reads, with what each means. */
export const POLLING_VARIABLES = {
  PCSYNC_POLL_MS: 'first wait between await-provisioning checks and consumed-unit re-checks, doubling after each (default 1000); once the run learned how long provisioning, a 202-accepted change or a consumed-unit lag takes, the first check of the next one comes after max(this, that time), within its time limit',
  PCSYNC_MAX_POLL_MS: 'longest wait between await-provisioning checks (default 30000)',
  PCSYNC_CHANGE_TIMEOUT_MS: 'how long a subscription change Partner Center accepted with 202 may take to show before apply stops waiting (default 300000)',
} as const;

const MS: NumberRange = { min: 1, max: TIMER_MAX_MS, whole: true };

/**
 * How await-provisioning and accepted (202) subscription changes poll; from environment variables so tests and
 * impatient partners can shorten it. Each is checked by `envNumber`; a PCSYNC_MAX_POLL_MS set below
 * PCSYNC_POLL_MS is refused (it used to be raised silently); left unset, it is at least PCSYNC_POLL_MS.
 */
export function pollingFromEnv(env: CliIo['env']): { pollMs: number; maxPollMs: number; changeTimeoutMs: number } {
  const pollMs = envNumber(env, 'PCSYNC_POLL_MS', POLLING_VARIABLES.PCSYNC_POLL_MS, { ...MS, fallback: 1000 });
  const maxPollMs = envNumber(env, 'PCSYNC_MAX_POLL_MS', POLLING_VARIABLES.PCSYNC_MAX_POLL_MS, { ...MS, fallback: Math.max(pollMs, 30_000) });
  if (maxPollMs < pollMs) throw invalid('PCSYNC_MAX_POLL_MS', env.PCSYNC_MAX_POLL_MS ?? '', `at least PCSYNC_POLL_MS (${pollMs})`, POLLING_VARIABLES.PCSYNC_MAX_POLL_MS);
  const changeTimeoutMs = envNumber(env, 'PCSYNC_CHANGE_TIMEOUT_MS', POLLING_VARIABLES.PCSYNC_CHANGE_TIMEOUT_MS, { ...MS, min: 0, fallback: 300_000 });
  return { pollMs, maxPollMs, changeTimeoutMs };
}

/** Consumed-unit re-checks before giving up on a disagreement: three, waiting PCSYNC_POLL_MS, then doubling. */
export const RECHECKS = 3;

/** The re-check schedule for live reads (plan, report, import): bounded, so a lasting disagreement blocks soon. */
export function recheckFromEnv(env: CliIo['env'], sleep: (ms: number) => Promise<void> = realSleep): Recheck {
  const { pollMs, maxPollMs } = pollingFromEnv(env);
  return { waitsMs: Array.from({ length: RECHECKS }, (_, i) => Math.min(pollMs * 2 ** i, maxPollMs)), sleep };
}
