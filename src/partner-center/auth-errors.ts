import { UserError } from '../core/errors.js';
import { ApiError } from './errors.js';
import { AUTH_ENV } from './auth-config.js';
import type { AuthMode } from './auth.js';

/** How to get App+User access; the one sentence every "needs App+User" message ends with. */
export const APP_USER_FIX =
  `set ${AUTH_ENV.refreshToken} (with ${AUTH_ENV.tenantId} and ${AUTH_ENV.clientId}) to the refresh token of a partner admin ` +
  `who consented to the app, or ${AUTH_ENV.token} to an App+User access token`;

/**
 * An endpoint that accepts only App+User (delegated) tokens — users, user licences, licence updates, subscribed
 * SKUs — was asked for with app-only credentials, or Partner Center refused the app-only token with 403.
 */
export class AppUserRequiredError extends UserError {
  constructor(
    /** `GET /v1/customers/{id}/subscribedskus` and the like, when known. */
    readonly operation?: string,
    /** What Partner Center answered, when it was asked at all (e.g. `HTTP 403, code 900150`). */
    readonly answered?: string,
  ) {
    const where = operation ? `${operation}: ` : '';
    const why = answered ? `Partner Center refused the app-only token (${answered}); ` : 'only app-only credentials are configured; ';
    super('auth.app-user-required', `${where}${why}this operation needs App+User (delegated) credentials: ${APP_USER_FIX}.`);
    this.name = 'AppUserRequiredError';
  }

  /** The same error, naming the operation. */
  withOperation(operation: string): AppUserRequiredError {
    return this.operation ? this : new AppUserRequiredError(operation, this.answered);
  }
}

/** Signing in failed. The message says which variable to fix; it never carries a secret or a server's raw text. */
export class AuthFailedError extends UserError {
  constructor(
    readonly mode: AuthMode,
    /** Short reason code, e.g. `invalid_client`, `network`. */
    readonly reason: string,
    /** What went wrong, in words. */
    readonly what: string,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super('auth.failed', `could not get ${mode === 'app' ? 'an app-only' : 'an App+User'} token: ${what} — ${fix}.`);
    this.name = 'AuthFailedError';
  }
}

/** Replaces every occurrence of each secret in `text` (defence in depth for anything built from outside text). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * A failure of the credential itself, not of one customer: every request would fail alike — a token refused
 * (401: expired or revoked consent, no MFA claim 900421, a retired audience 900420), or the sign-in blocked by
 * Conditional Access (403 900309; partner-center-2026.md §1). Such a failure ends the run once.
 */
export function credentialFailure(err: unknown): ApiError | undefined {
  const whole = err instanceof ApiError && (err.status === 401 || err.kind === 'mfa-required' || err.kind === 'conditional-access' || err.kind === 'token-audience-retired');
  return whole ? err : undefined;
}

/** The run stopped because Partner Center refused pcsync's credential: one message, exit 1. */
export class CredentialRefused extends UserError {
  constructor(readonly refusal: ApiError) {
    super('auth.refused', `Partner Center refused pcsync's credentials, so every customer would fail alike; the run stopped here: ${refusal.userMessage}`);
    this.name = 'CredentialRefused';
  }
}
