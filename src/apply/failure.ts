import { UserError } from '../core/errors.js';
import { ApiError } from '../partner-center/errors.js';

/**
 * One line naming an error that is not a Partner Center refusal (a failed sign-in, a journal that cannot be
 * written, a bug), for a customer's or the run's summary. A UserError is already explained; anything else is
 * named as a bug with its class and message (its stack goes to stderr through `stackOf`). No final full stop,
 * so callers can go on with the sentence.
 */
export function errorText(err: unknown): string {
  return textOf(err).replace(/[.\s]+$/, '');
}

function textOf(err: unknown): string {
  if (err instanceof ApiError) return err.userMessage;
  if (err instanceof UserError) return err.message;
  if (err instanceof Error) return `internal error (a bug in pcsync, please report it): ${err.name}: ${err.message}`;
  return `internal error (a bug in pcsync, please report it): ${String(err)}`;
}

/** The stack of an unexpected error, for stderr; undefined for errors that are already explained. */
export function stackOf(err: unknown): string | undefined {
  if (err instanceof ApiError || err instanceof UserError || !(err instanceof Error)) return undefined;
  return err.stack;
}
