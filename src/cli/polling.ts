import { envNumber } from '../partner-center/tuning.js';
import type { CliIo } from './io.js';

/** The variables `pollingFromEnv` reads, with what each means. */
export const POLLING_VARIABLES = {
  PCSYNC_POLL_MS: 'first wait between await-provisioning checks, doubling after each (default 1000)',
  PCSYNC_MAX_POLL_MS: 'longest wait between await-provisioning checks (default 30000)',
} as const;

/** How await-provisioning polls; from environment variables so tests and impatient partners can shorten it. */
export function pollingFromEnv(env: CliIo['env']): { pollMs: number; maxPollMs: number } {
  const pollMs = envNumber(env, 'PCSYNC_POLL_MS', POLLING_VARIABLES.PCSYNC_POLL_MS, { fallback: 1000, min: 1 });
  const maxPollMs = envNumber(env, 'PCSYNC_MAX_POLL_MS', POLLING_VARIABLES.PCSYNC_MAX_POLL_MS, { fallback: 30_000, min: 1 });
  return { pollMs, maxPollMs: Math.max(pollMs, maxPollMs) };
}
