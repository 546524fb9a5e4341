import { KNOWN_CODES, type Actor, type FailureKind, type KnownCode } from './error-codes.js';

export { KNOWN_CODES, LICENCE_WRITE_ROLES, MFA_RECONSENT, type Actor, type FailureKind, type KnownCode } from './error-codes.js';

/**
 * What went wrong, as a closed vocabulary: one name per documented Partner Center error code pcsync meets,
 * plus the transport-level cases. Code that reacts to a failure switches on this, never on message text.
 */
export type ApiErrorKind =
  | 'not-sold-in-country'
  | 'not-eligible'
  | 'customer-agreement-missing'
  | 'attestation-missing'
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
  | 'not-active-yet'
  | 'too-many-updates'
  | 'token-audience-retired'
  | 'app-only-refused'
  | 'conditional-access'
  | 'tenant-not-found'
  | 'country-not-onboarded'
  | 'partner-agreement-missing'
  | 'asset-limit'
  | 'customer-locked'
  | 'sandbox-limit'
  | 'quantity-not-lowered'
  | 'auto-renew-not-allowed'
  | 'not-updatable'
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
  actor: 'person',
  who: 'a customer admin (or the partner through GDAP)',
  hint: "change the group's licence (or the user's group membership) in Microsoft Entra ID, then run apply again",
  failure: 'terminal',
};

/** Extra details of a failed request (transport-level kind, how many attempts were made). */
export interface ApiErrorExtra {
  /** Transport-level kind when there is no status (timeout, network) or the reply was unreadable. */
  readonly kind?: ApiErrorKind;
  /** How many attempts were made before giving up (1 = not retried). */
  readonly attempts?: number;
  /** The ApiFault's `data[]` strings, inert (serverText), at most a few: Partner Center's own details. */
  readonly data?: readonly string[];
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
    if (k) return k.name as ApiErrorKind;
    if (this.status !== undefined && this.status >= 500) return 'server-error';
    return 'other';
  }

  /** True when the transport may send the same request again by itself (see retry.ts). */
  get retryable(): boolean {
    if (this.status === 429) return true;
    if (this.failure !== 'transient') return false;
    return this.status === undefined || this.status >= 500 || this.status === 408;
  }

  /** Partner Center's own `data[]` details (inert), when it sent any. */
  get data(): readonly string[] {
    return this.extra.data ?? [];
  }

  /** Who must act (error-codes.ts): run again later, a person, or pcsync (a bug). Unknown refusals: a person. */
  get actor(): Actor {
    const k = this.#meaning();
    if (k) return k.actor;
    if (this.kind === 'bad-response') return 'bug';
    return this.failure === 'terminal' ? 'person' : 'retry';
  }

  /**
   * One sentence for a partner: what failed, who must act and what to do, then Partner Center's own words
   * (description and data, inert) when pcsync's sentence is its own — e.g. `POST …/licenseupdates: the licence
   * update failed (code 60000) — a customer admin (or the partner through GDAP) must act: … Partner Center said:
   * "…" [Conflicting service plans: …]`.
   */
  get userMessage(): string {
    // A write whose outcome is unknown says so first, whatever its code (a 5xx after commit).
    const k = this.failure === 'ambiguous' && this.known?.failure !== 'ambiguous' ? undefined : this.#meaning();
    const [what, hint] = k ? [k.message, k.hint] : transportWords(this);
    const code = this.code !== undefined ? ` (code ${this.code})` : this.status && this.status >= 400 && !what.includes(`HTTP ${this.status}`) ? ` (HTTP ${this.status})` : '';
    const tries = this.attempts > 1 ? ` after ${this.attempts} attempts` : '';
    const action = hint ? ` — ${actorLabel(this.actor, k?.who)}: ${hint}` : '';
    return `${this.method} ${this.path}: ${what}${code}${tries}${action}${k ? serviceWords(this) : ''}`;
  }

  #meaning(): KnownCode | undefined {
    return this.kind === 'licence-from-group' ? GROUP_LICENCE : this.known;
  }
}

/** `retry`, `<who> must act`, `pcsync bug`: the words before what to do. */
export function actorLabel(actor: Actor, who?: string): string {
  if (actor === 'retry') return 'retry';
  if (actor === 'bug') return 'a pcsync bug';
  return `${who ?? 'a person'} must act`;
}

/** `. Partner Center said: "…" [d1; d2]` — the service's own words, already inert; empty when it sent none. */
export function serviceWords(e: ApiError): string {
  const data = e.data.length > 0 ? ` [${e.data.join('; ')}]` : '';
  return e.description || data ? `. Partner Center said: "${e.description}"${data}` : '';
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
    default: {
      const data = e.data.length > 0 ? ` [${e.data.join('; ')}]` : '';
      const unknown = e.code === undefined ? 'Partner Center gave no error code' : 'pcsync does not know this code';
      const hint = e.failure === 'terminal' ? `${unknown}: read its words and quote request id ${e.requestId} if you ask for help` : 'run again later';
      return [`${e.description || `HTTP ${e.status ?? 'error'}`}${data}`, hint];
    }
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
