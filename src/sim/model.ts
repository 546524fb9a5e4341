/** The simulator's mutable records. Ids keep the casing they were created with; lookups ignore case. */

export type SubscriptionStatus = 'active' | 'suspended' | 'deleted';

export interface SimSubscription {
  id: string;
  offerId: string;
  quantity: number;
  status: SubscriptionStatus;
  autoRenewEnabled: boolean;
  friendlyName: string;
  creationDate: string;
  effectiveStartDate: string;
  commitmentEndDate: string;
  billingCycle: string;
  termDuration: string;
  /** New commerce only: end of the cancellation window; null for legacy subscriptions. */
  cancellationAllowedUntilDate: string | null;
  /** New commerce: a `Cancel` at `TermEnd` scheduled action is set (no extended service term after the term). */
  cancelAtTermEnd: boolean;
  /** When the subscription stopped being billed by a status change (legacy suspend, NCE cancel); null = not. */
  billingStoppedAt: string | null;
  /** Order that created it; null for seeded subscriptions. */
  orderId: string | null;
  /** Etag version, bumped on every successful PATCH. */
  version: number;
  /** Epoch ms from which clients can see it (orders under a provisioning delay); 0 = always. */
  visibleFrom: number;
  /** New commerce: the availability it was bought under (its offer id shows as `productId:skuId:availabilityId`). */
  availabilityId?: string;
  /** New commerce: the `scheduledNextTermInstructions` set by a PATCH, applied at the renewal (option `renewals`). */
  nextTerm?: SimNextTerm;
}

/** Scheduled changes at renewal (learn create-scheduled-changes; partner-center-2026.md §2). */
export interface SimNextTerm {
  /** The simulator's offer id of the next term (`productId:skuId`). */
  offerId: string;
  availabilityId: string;
  quantity: number;
  billingCycle: string;
  termDuration: string;
}

export interface SimUser {
  id: string;
  upn: string;
  displayName: string;
  firstName: string;
  lastName: string;
  usageLocation: string | null;
  /** Licence SKU ids held, in assignment order (group-assigned ones included). */
  licenses: string[];
  /** Deleted from the directory but still holding licences: never listed, counted in consumedUnits. */
  deleted?: boolean;
  /** Of those, the SKU ids inherited from a group: a licence update cannot remove them from this user. */
  groupLicenses: string[];
  /** Per held SKU id (lower case), the service-plan ids switched off for this user (`excludedPlans` when assigned). */
  disabledPlans: Record<string, string[]>;
}

export interface SimOrderLine {
  lineItemNumber: number;
  offerId: string;
  /** New commerce: the availability bought (the line's offer id shows as `productId:skuId:availabilityId`). */
  availabilityId?: string;
  quantity: number;
  friendlyName: string;
  subscriptionId: string;
}

export interface SimOrder {
  id: string;
  billingCycle: string;
  creationDate: string;
  lineItems: SimOrderLine[];
}

export interface SimCustomer {
  id: string;
  companyName: string;
  domain: string;
  subscriptions: SimSubscription[];
  users: SimUser[];
  orders: SimOrder[];
}

/** A response kept for replay of the same MS-RequestId. */
export interface StoredReply {
  status: number;
  body?: unknown;
}

/**
 * The offer id Partner Center shows for a subscription or order line: a new-commerce product SKU (`productId:skuId`
 * in the simulator's catalogue) as the catalogue item `productId:skuId:availabilityId` (API reference §3).
 */
export function shownOfferId(offerId: string, availabilityId: string | undefined): string {
  return availabilityId !== undefined && offerId.split(':').length === 2 ? `${offerId}:${availabilityId}` : offerId;
}

export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** ISO date without milliseconds, the form Partner Center examples use. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `iso` plus an ISO-8601 term (`P1M`, `P1Y`, `P3Y`). */
export function addTerm(iso: string, term: string): string {
  const d = new Date(iso);
  const m = /^P(\d+)([MY])$/i.exec(term);
  const n = m ? Number(m[1]) : 1;
  if (m && m[2]!.toUpperCase() === 'M') d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return isoSeconds(d.getTime());
}

export function addOneYear(iso: string): string {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return isoSeconds(d.getTime());
}
