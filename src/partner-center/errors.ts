/** What kind of failure a request had; the executor decides retry or stop from this, never from text. */
export type FailureKind =
  /** Nothing was changed and trying again later may work (429, 5xx on GET, timeouts on GET). */
  | 'transient'
  /** A write whose outcome is unknown (timeout, dropped connection, 5xx on POST/PATCH): re-read before retrying. */
  | 'ambiguous'
  /** The request was understood and refused; the same request will fail again. */
  | 'terminal';

/**
 * What went wrong, as a closed vocabulary: one name per documented Partner Center error code pcsync meets,
 * plus the transport-level cases. Code that reacts to a failure switches on this, never on message text.
 */
export type ApiErrorKind =
  | 'not-sold-in-country'
  | 'not-eligible'
  | 'customer-agreement-missing'
  | 'attestation-missing'
  | 'line-attestation-missing'
  | 'pending-operation'
  | 'availability-not-found'
  | 'past-cancellation-window'
  | 'out-of-licences'
  | 'stale-etag'
  | 'subscription-suspended'
  | 'not-found-yet'
  | 'no-relationship'
  | 'subscription-not-found'
  | 'suspending'
  | 'subscription-deleted'
  | 'quantity-out-of-range'
  | 'offer-retired'
  | 'token-missing'
  | 'invalid-input'
  | 'invalid-offer'
  | 'user-not-found'
  | 'licence-update-failed'
  /** A licence update refused because the user inherits that licence from a group (see `isGroupLicenceRefusal`). */
  | 'licence-from-group'
  | 'role-lacks-rights'
  /** 401 / 900421: an App+User token without an MFA claim, since Partner Center enforces MFA (2026). */
  | 'mfa-required'
  /** HTTP 429: Partner Center's rate limit; the body is `{statusCode, message}`, not an ApiFault. */
  | 'throttled'
  /** 5xx without a code pcsync knows. */
  | 'server-error'
  /** No reply in time. */
  | 'timeout'
  /** The connection failed or was dropped before a reply. */
  | 'network'
  /** A 2xx reply pcsync could not read (not JSON, or not the documented shape). */
  | 'bad-response'
  /** Any other refusal. */
  | 'other';

/**
 * How to get an MFA-compliant App+User token (partner-center-2026.md §1: since 2026-04-01 App+User calls without
 * an MFA claim get 401 / 900421): the refresh token must come from a sign-in that used MFA.
 */
export const MFA_RECONSENT =
  'sign in again as the partner admin WITH multi-factor authentication and consent to the app (Secure Application Model: ' +
  'the authorization-code flow, e.g. New-PartnerAccessToken -UseAuthorizationCode), then store the new refresh token in PARTNER_CENTER_REFRESH_TOKEN; ' +
  'app-only calls are not affected';

/** A documented Partner Center error code and what it means for a partner. */
export interface KnownCode {
  readonly name: ApiErrorKind;
  readonly message: string;
  readonly hint?: string;
  /** Overrides the status-based failure kind: what a later run can expect. */
  readonly failure?: FailureKind;
}

/** The error codes pcsync meets, in words a partner understands (API reference §4, §5, §7, §9). */
export const KNOWN_CODES: Readonly<Record<number, KnownCode>> = {
  // New commerce (partner-center-2026.md §2, Learn error table via partner-center-mcp, [2nd]).
  800070: { name: 'not-sold-in-country', message: 'the product is not sold in the customer\'s country', hint: 'pick an offer sold in that market', failure: 'terminal' },
  2085: { name: 'not-eligible', message: 'this customer is not eligible to buy the offer', hint: 'check the customer\'s eligibility (e.g. segment, qualifications) in Partner Center', failure: 'terminal' },
  13605: { name: 'customer-agreement-missing', message: 'the customer has not accepted the Microsoft Customer Agreement', hint: 'have the customer accept it (Partner Center → customer → Account), then run apply again', failure: 'terminal' },
  900203: { name: 'line-attestation-missing', message: "the SKU requires its attestation to be accepted on the cart line (attestationAccepted), and the line did not carry it", hint: "pcsync sets it where the SKU's attestationProperties say enforceAttestation; if Partner Center did not say so, this is a pcsync bug to report", failure: 'terminal' },
  900206: { name: 'attestation-missing', message: 'the partner-of-record attestation is missing', hint: 'this is a pcsync bug if it sent the purchase; please report it', failure: 'terminal' },
  900278: { name: 'pending-operation', message: 'another operation on this customer or subscription is still pending', hint: 'Partner Center says to retry in up to 24 hours; run apply again later', failure: 'transient' },
  400018: { name: 'availability-not-found', message: 'the product availability is no longer offered (availabilities are reissued)', hint: 'run apply again: pcsync reads the current availability just before buying', failure: 'transient' },
  900117: { name: 'past-cancellation-window', message: 'the subscription is past its cancellation window', hint: 'write status: ends-at-term instead (auto-renew off, cancelled at term end)', failure: 'terminal' },
  60012: {
    name: 'out-of-licences',
    message: 'the subscription has no licences left to assign',
    hint: 'buy more seats (raise quantity in the customer file, or seatHeadroom in pcsync.yaml) or free some licences, then run apply again',
    failure: 'terminal',
  },
  2055: {
    name: 'stale-etag',
    message: 'the subscription changed in Partner Center after pcsync read it (stale etag)',
    hint: 'someone else edited it meanwhile; run pcsync plan again and review the new plan',
    failure: 'transient',
  },
  800091: {
    name: 'subscription-suspended',
    message: 'the subscription is suspended, so its quantity or settings cannot change',
    hint: 'reactivate it in Partner Center first, or take the change out of the desired state',
    failure: 'terminal',
  },
  20000: {
    name: 'not-found-yet',
    message: 'the new order or its subscription is not visible yet (still provisioning)',
    hint: 'new orders can take minutes to appear; run apply again later — it will not buy a second time',
    failure: 'transient',
  },
  20002: {
    name: 'no-relationship',
    message: 'the partner has no commerce relationship with this customer',
    hint: 'check customer.id in the desired-state file',
  },
  20003: { name: 'subscription-not-found', message: 'the subscription does not exist', hint: 'check the subscription id; run pcsync plan again' },
  2001: {
    name: 'suspending',
    message: 'the quantity cannot change while the subscription is being suspended',
    hint: 'wait until the suspension has finished, then run apply again',
    failure: 'transient',
  },
  2011: {
    name: 'subscription-deleted',
    message: 'the subscription is deleted and can no longer be changed',
    hint: 'take it out of the desired state, or match a live subscription instead',
    failure: 'terminal',
  },
  2002: { name: 'quantity-out-of-range', message: "the quantity is outside the offer's minimum/maximum", hint: 'pick a quantity the offer allows' },
  2091: { name: 'offer-retired', message: 'the offer is no longer available for purchase', hint: 'choose a replacement offer in the desired state' },
  800001: {
    name: 'token-missing',
    message: 'Partner Center did not accept the access token',
    hint: 'set a valid token (PARTNER_CENTER_TOKEN) or valid msal variables; pcsync doctor checks them',
  },
  800002: { name: 'invalid-input', message: 'Partner Center rejected the request input' },
  800004: { name: 'invalid-offer', message: 'the offer id is not valid' },
  60000: { name: 'licence-update-failed', message: 'the licence update failed' },
  60002: { name: 'user-not-found', message: 'the user does not exist in the customer tenant', hint: 'run pcsync plan again' },
  900421: {
    name: 'mfa-required',
    message: 'Partner Center requires multi-factor authentication for App+User calls, and the token has no MFA claim',
    hint: MFA_RECONSENT,
    failure: 'terminal',
  },
  900150: {
    name: 'role-lacks-rights',
    message: "the signed-in account's role does not allow this operation",
    hint: 'use an account with Admin agent rights, or the GDAP role the operation needs',
  },
};

/**
 * Partner Center refuses to remove a licence a user inherits from a group (API reference, 2026-11 additions),
 * but its error code for this is not documented (the refusal arrives as a licence-update failure). The refusal
 * is therefore recognised by the wording Entra ID uses for it ("License is inherited from group membership and
 * cannot be removed directly", also "…assigned through a group"); the one place pcsync reads error text.
 */
export function isGroupLicenceRefusal(status: number | undefined, description: string): boolean {
  return status !== undefined && status >= 400 && status < 500 && /(inherited from (a )?group|group membership|assigned (through|via|by) (a )?group)/i.test(description);
}

/** What a group-licence refusal means for a partner (its Partner Center code is not documented). */
const GROUP_LICENCE: KnownCode = {
  name: 'licence-from-group',
  message: 'the user holds this licence through a group, and a licence assigned through a group cannot be removed from one user',
  hint: "change the group's licence (or the user's group membership) in Microsoft Entra ID, then run apply again",
  failure: 'terminal',
};

/** Extra details of a failed request (transport-level kind, how many attempts were made). */
export interface ApiErrorExtra {
  /** Transport-level kind when there is no status (timeout, network) or the reply was unreadable. */
  readonly kind?: ApiErrorKind;
  /** How many attempts were made before giving up (1 = not retried). */
  readonly attempts?: number;
}

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
    /** From `Retry-After` on a 429, in milliseconds. */
    readonly retryAfterMs?: number,
    readonly extra: ApiErrorExtra = {},
  ) {
    super(describe(method, path, status, code, description));
    this.name = 'ApiError';
  }

  /** How many attempts were made (1 = sent once). */
  get attempts(): number {
    return this.extra.attempts ?? 1;
  }

  /** The same failure, noting that the retry policy gave up after `attempts` tries. */
  afterAttempts(attempts: number): ApiError {
    const { method, path, status, code, description, failure, requestId, retryAfterMs } = this;
    return new ApiError(method, path, status, code, description, failure, requestId, retryAfterMs, { ...this.extra, attempts });
  }

  /** The documented meaning of `code`, when pcsync knows it. */
  get known(): KnownCode | undefined {
    return this.code === undefined ? undefined : KNOWN_CODES[this.code];
  }

  /** What went wrong, from the code, the status or the transport (closed vocabulary). */
  get kind(): ApiErrorKind {
    if (this.extra.kind) return this.extra.kind;
    if (this.status === 429) return 'throttled';
    if (isGroupLicenceRefusal(this.status, this.description)) return 'licence-from-group';
    const k = this.known;
    if (k) return k.name;
    if (this.status !== undefined && this.status >= 500) return 'server-error';
    return 'other';
  }

  /** True when the transport may send the same request again by itself (see retry.ts). */
  get retryable(): boolean {
    if (this.status === 429) return true;
    if (this.failure !== 'transient') return false;
    return this.status === undefined || this.status >= 500 || this.status === 408;
  }

  /** One sentence for a partner: what failed, why, and what to do. */
  get userMessage(): string {
    const k = this.kind === 'licence-from-group' ? GROUP_LICENCE : this.known;
    const [what, hint] = k ? [k.message, k.hint] : transportWords(this);
    const code = this.code !== undefined ? ` (code ${this.code})` : this.status && this.status >= 400 ? ` (HTTP ${this.status})` : '';
    const tries = this.attempts > 1 ? ` after ${this.attempts} attempts` : '';
    return `${this.method} ${this.path}: ${what}${code}${tries}${hint ? ` — ${hint}` : ''}`;
  }
}

function transportWords(e: ApiError): [string, string | undefined] {
  switch (e.kind) {
    case 'throttled': {
      const wait = e.retryAfterMs === undefined ? '' : `, asked to wait ${e.retryAfterMs < 10_000 ? (e.retryAfterMs / 1000).toFixed(1) : Math.ceil(e.retryAfterMs / 1000)}s`;
      return [`Partner Center is throttling requests (rate limit${wait})`, 'lower PCSYNC_RATE_PER_MINUTE or concurrency in pcsync.yaml, then run apply again'];
    }
    case 'timeout':
    case 'network':
      return e.failure === 'ambiguous'
        ? [`${e.description}; whether Partner Center carried out the change is unknown`, 'run pcsync plan to see the live state before applying again']
        : [e.description, 'check the connection to Partner Center and run again'];
    case 'server-error':
      return e.failure === 'ambiguous'
        ? [`Partner Center failed (${e.description || 'server error'}); whether the change happened is unknown`, 'run pcsync plan to see the live state before applying again']
        : [`Partner Center failed (${e.description || 'server error'})`, 'try again later'];
    case 'bad-response':
      return [e.description, `quote request id ${e.requestId} when reporting this; Partner Center may have changed its reply format`];
    default:
      return [e.description || `HTTP ${e.status ?? 'error'}`, undefined];
  }
}

/** Refused before a byte was sent: pcsync was constructed read-only (plan, report, drift). */
export class ReadOnlyViolation extends Error {
  constructor(readonly method: string, readonly path: string) {
    super(`refused ${method} ${path}: this command is read-only and never writes to Partner Center`);
    this.name = 'ReadOnlyViolation';
  }
}

/** Not sent: the run is stopping (the first Ctrl-C while live state was being read). Nothing was sent. */
export class StoppedBeforeSending extends Error {
  constructor(readonly method: string, readonly path: string) {
    super(`not sent ${method} ${path}: reading was stopped on request`);
    this.name = 'StoppedBeforeSending';
  }
}

function describe(method: string, path: string, status?: number, code?: number, description?: string): string {
  const parts = [`${method} ${path} failed`];
  if (status !== undefined) parts.push(`HTTP ${status}`);
  if (code !== undefined) parts.push(`code ${code}`);
  return `${parts.join(', ')}${description ? `: ${description}` : ''}`;
}
