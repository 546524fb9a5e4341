/** What kind of failure a request had; the executor decides retry or stop from this, never from text. */
export type FailureKind =
  /** Nothing was changed and trying again later may work (429, 5xx on GET, timeouts on GET). */
  | 'transient'
  /** A write whose outcome is unknown (timeout, dropped connection, 5xx on POST/PATCH): re-read before retrying. */
  | 'ambiguous'
  /** The request was understood and refused; the same request will fail again. */
  | 'terminal';

/** A documented Partner Center error code and what it means for a partner. */
interface KnownCode {
  readonly name: string;
  readonly message: string;
  readonly hint?: string;
}

/** The error codes pcsync meets, in words a partner understands (API reference §4, §5, §7, §9). */
export const KNOWN_CODES: Readonly<Record<number, KnownCode>> = {
  60012: {
    name: 'out-of-licences',
    message: 'the subscription has no licences left to assign',
    hint: 'buy more seats (raise the quantity) or free licences, then run apply again',
  },
  2055: {
    name: 'stale-etag',
    message: 'the subscription changed since it was read (stale etag)',
    hint: 'someone else edited it; run plan again',
  },
  800091: {
    name: 'subscription-suspended',
    message: 'a suspended subscription cannot be updated',
    hint: 'reactivate it in Partner Center first, or leave it out of the desired state',
  },
  20000: {
    name: 'not-found-yet',
    message: 'the order or its subscription is not there (yet)',
    hint: 'new orders can take minutes to provision; apply waits and retries',
  },
  20002: {
    name: 'no-relationship',
    message: 'the partner has no commerce relationship with this customer',
    hint: 'check the customer id in the desired-state file',
  },
  20003: { name: 'subscription-not-found', message: 'the subscription does not exist' },
  2001: {
    name: 'suspending',
    message: 'the quantity cannot change while the subscription is being suspended',
    hint: 'wait for the suspension to finish',
  },
  2011: { name: 'subscription-deleted', message: 'a deleted subscription cannot be updated' },
  2002: { name: 'quantity-out-of-range', message: "the quantity is outside the offer's minimum/maximum" },
  2091: { name: 'offer-retired', message: 'the offer is no longer available for purchase' },
  800001: {
    name: 'token-missing',
    message: 'Partner Center did not accept the access token',
    hint: 'set a valid token (see `pcsync doctor`)',
  },
  800002: { name: 'invalid-input', message: 'Partner Center rejected the request input' },
  800004: { name: 'invalid-offer', message: 'the offer id is not valid' },
  60002: { name: 'user-not-found', message: 'the user does not exist in the customer tenant' },
  900150: {
    name: 'role-lacks-rights',
    message: "the signed-in account's role does not allow this operation",
    hint: 'use an account with Admin agent rights, or the GDAP role the operation needs',
  },
};

/** A failed Partner Center request. Never carries headers or tokens: safe to print. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly code: number | undefined,
    readonly description: string,
    readonly failure: FailureKind,
    readonly requestId: string,
    readonly retryAfterMs?: number,
  ) {
    super(describe(method, path, status, code, description));
    this.name = 'ApiError';
  }

  /** The documented meaning of `code`, when pcsync knows it. */
  get known(): KnownCode | undefined {
    return this.code === undefined ? undefined : KNOWN_CODES[this.code];
  }

  /** One sentence for a partner: what failed, why, and what to do. */
  get userMessage(): string {
    const k = this.known;
    const what = k ? k.message : this.description || `HTTP ${this.status ?? 'error'}`;
    const code = this.code !== undefined ? ` (code ${this.code})` : this.status ? ` (HTTP ${this.status})` : '';
    return `${this.method} ${this.path}: ${what}${code}${k?.hint ? ` — ${k.hint}` : ''}`;
  }
}

/** Refused before a byte was sent: pcsync was constructed read-only (plan, report, drift). */
export class ReadOnlyViolation extends Error {
  constructor(readonly method: string, readonly path: string) {
    super(`refused ${method} ${path}: this command is read-only and never writes to Partner Center`);
    this.name = 'ReadOnlyViolation';
  }
}

function describe(method: string, path: string, status?: number, code?: number, description?: string): string {
  const parts = [`${method} ${path} failed`];
  if (status !== undefined) parts.push(`HTTP ${status}`);
  if (code !== undefined) parts.push(`code ${code}`);
  return `${parts.join(', ')}${description ? `: ${description}` : ''}`;
}
