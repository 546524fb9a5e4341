/** One HTTP request to /v1 (admin requests under /_sim are not recorded). */
export interface RequestEntry {
  seq: number;
  /** Epoch ms when the request arrived. */
  at: number;
  type: 'request';
  method: string;
  /** Path without the query string, e.g. `/v1/customers/{id}/orders`. */
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** HTTP status sent; 0 while the request is still being handled. */
  status: number;
  requestId?: string;
  correlationId?: string;
  /** Customer the path names (canonical id when the customer exists). */
  customerId?: string;
  /** The JSON body as received (requests with a body only), so tests can check every body a client sent. */
  body?: unknown;
}

export interface OrderCreatedEntry {
  seq: number;
  at: number;
  type: 'order-created';
  customerId: string;
  orderId: string;
  requestId?: string;
  lineItems: { offerId: string; quantity: number; subscriptionId: string; friendlyName: string }[];
}

export interface LicensesChangedEntry {
  seq: number;
  at: number;
  type: 'licenses-changed';
  customerId: string;
  userId: string;
  upn: string;
  /** SKU ids held before the change. */
  before: string[];
  /** SKU ids held after the change. */
  after: string[];
}

/** A licence update changed which service plans are switched off for a user (its `excludedPlans`). */
export interface ServicePlansChangedEntry {
  seq: number;
  at: number;
  type: 'service-plans-changed';
  customerId: string;
  userId: string;
  upn: string;
  /** Per held SKU id (lower case), the service-plan ids switched off after the change. */
  disabledPlans: Record<string, string[]>;
}

export type SubscriptionField = 'status' | 'quantity' | 'friendlyName' | 'autoRenewEnabled' | 'cancelAtTermEnd' | 'scheduledNextTermInstructions';

export interface SubscriptionChangedEntry {
  seq: number;
  at: number;
  type: 'subscription-changed';
  customerId: string;
  subscriptionId: string;
  field: SubscriptionField;
  before: unknown;
  after: unknown;
  /** Licence SKU the subscription grants. */
  skuId: string;
  /** Users holding that SKU at the moment of the change. */
  consumedUnits: number;
}

/** A request refused with 429 by the throttling behaviour; `at` is when the reply was decided. */
export interface ThrottledEntry {
  seq: number;
  at: number;
  type: 'throttled';
  method: string;
  path: string;
  requestId?: string;
  customerId?: string;
  /** Which bucket was empty: the documented class's partner or customer bucket (the customer's when both were), or the hidden limit on other APIs. */
  scope: 'partner' | 'customer' | 'other';
  /** What the `Retry-After` header told the client, in milliseconds from `at`. */
  retryAfterMs: number;
}

/** A fault a behaviour injected into a request before it was processed (nothing changed). */
export interface FaultEntry {
  seq: number;
  at: number;
  type: 'fault';
  fault: 'server-error' | 'dropped' | 'slow' | 'redirect' | 'empty-reply' | 'echo-headers';
  method: string;
  path: string;
  requestId?: string;
  /** Customer the path names, when it does. */
  customerId?: string;
  /** For `slow`: how long the request was held. */
  delayMs?: number;
}

/** A renewal on the simulator's clock (option `renewals`): the term that ended and what the next one is. */
export interface SubscriptionRenewedEntry {
  seq: number;
  at: number;
  type: 'subscription-renewed';
  customerId: string;
  subscriptionId: string;
  /** The renewal moment (the ended term's commitmentEndDate). */
  renewedAt: string;
  before: { offerId: string; quantity: number; termDuration: string; billingCycle: string; commitmentEndDate: string };
  after: { offerId: string; quantity: number; termDuration: string; billingCycle: string; commitmentEndDate: string };
}

export type AuditEntry = SubscriptionRenewedEntry | RequestEntry | OrderCreatedEntry | LicensesChangedEntry | ServicePlansChangedEntry | SubscriptionChangedEntry | ThrottledEntry | FaultEntry;

type WithoutStamp<T> = T extends unknown ? Omit<T, 'seq' | 'at'> : never;
export type AuditInput = WithoutStamp<AuditEntry>;

/**
 * What happened, in order: each request is appended when it arrives (its status filled in when the reply is
 * sent) and each state change at the moment it is made, so a change always follows the request that caused it.
 */
export class AuditLog {
  readonly entries: AuditEntry[] = [];
  #seq = 0;

  record<T extends AuditInput>(entry: T): T & { seq: number; at: number } {
    const stamped = { ...entry, seq: ++this.#seq, at: Date.now() };
    this.entries.push(stamped as AuditEntry);
    return stamped;
  }

  requests(): RequestEntry[] {
    return this.entries.filter((e): e is RequestEntry => e.type === 'request');
  }

  /** Requests with any method but GET. */
  writes(): RequestEntry[] {
    return this.requests().filter((e) => e.method !== 'GET');
  }

  /** Empties the log in place (references stay live); sequence numbers restart at 1. */
  clear(): void {
    this.entries.length = 0;
    this.#seq = 0;
  }
}
