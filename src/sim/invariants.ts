import { throttleClassOf } from './behaviours/throttle-classes.js';
import { requestBodyOf, requestBodyProblems } from '../partner-center/request-schemas.js';
import type { AuditEntry, LicensesChangedEntry, RequestEntry, SubscriptionChangedEntry, ThrottledEntry } from './audit.js';

/**
 * Pure checks over an audit log, for tests, the demo and benchmarks. Each returns the offending entries
 * (empty = the invariant holds) so a failure can say exactly what happened.
 */

/** A licence change that left a user without any SKU of a group they held before. */
export interface UnlicensedEvent {
  customerId: string;
  userId: string;
  upn: string;
  /** seq of the licenses-changed entry. */
  seq: number;
  /** SKUs of the group the user held just before the change. */
  lost: string[];
}

const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());

/**
 * Users who, at some licence change, went from holding a SKU of a group to holding none of that group.
 * `skuGroups` lists interchangeable SKUs (e.g. `[[retiredSales, salesPro]]`). Without groups, each change is
 * its own group: a change that removes SKUs and adds none counts (assign-and-remove in one call does not).
 */
export function usersEverUnlicensed(entries: readonly AuditEntry[], skuGroups?: readonly (readonly string[])[]): UnlicensedEvent[] {
  const out: UnlicensedEvent[] = [];
  for (const e of entries) {
    if (e.type !== 'licenses-changed') continue;
    const before = lower(e.before);
    const after = lower(e.after);
    const groups = skuGroups?.map(lower) ?? [[...new Set([...before, ...after])].filter((s) => !(before.includes(s) && after.includes(s)))];
    for (const group of groups) {
      const held = e.before.filter((s) => group.includes(s.toLowerCase()));
      if (held.length > 0 && !after.some((s) => group.includes(s))) out.push(event(e, held));
    }
  }
  return out;
}

function event(e: LicensesChangedEntry, lost: string[]): UnlicensedEvent {
  return { customerId: e.customerId, userId: e.userId, upn: e.upn, seq: e.seq, lost };
}

/** Orders created per customer id (replayed requests create none). */
export function ordersPerCustomer(entries: readonly AuditEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) if (e.type === 'order-created') counts[e.customerId] = (counts[e.customerId] ?? 0) + 1;
  return counts;
}

/** Requests with any method but GET (a plan must produce none). */
export function writeRequests(entries: readonly AuditEntry[]): RequestEntry[] {
  return entries.filter((e): e is RequestEntry => e.type === 'request' && e.method !== 'GET');
}

/** A write whose body is not the documented resource of its request (schemas/partner-center/). */
export interface UndocumentedBody {
  seq: number;
  method: string;
  path: string;
  /** What does not fit, e.g. `/lineItems/0: undocumented field "x"`; or that no body is documented for it. */
  problems: string[];
}

/**
 * Every write whose recorded body does not fit its request's documented resource, and every body sent where the
 * reference documents none (e.g. a cart checkout). Empty = every body a client sent is the documented one.
 */
export function undocumentedBodies(entries: readonly AuditEntry[]): UndocumentedBody[] {
  return writeRequests(entries).flatMap((e) => {
    if (e.body === undefined) return [];
    const name = requestBodyOf(e.method, e.path);
    const problems = name ? requestBodyProblems(name, e.body) : ['Partner Center documents no body for this request'];
    return problems.length > 0 ? [{ seq: e.seq, method: e.method, path: e.path, problems }] : [];
  });
}

/** Subscriptions suspended while users still held their SKU. */
export function suspendsWithConsumedUnits(entries: readonly AuditEntry[]): SubscriptionChangedEntry[] {
  return entries.filter(
    (e): e is SubscriptionChangedEntry =>
      e.type === 'subscription-changed' && e.field === 'status' && e.after === 'suspended' && e.consumedUnits > 0,
  );
}

/** A request that came back before the Retry-After of its own earlier 429 had elapsed. */
export interface EarlyRetry {
  /** The 429 (throttled entry). */
  throttledSeq: number;
  /** The request that came too early. */
  requestSeq: number;
  requestId: string;
  /** How many milliseconds too early. */
  earlyByMs: number;
}

/**
 * Requests sent again (same MS-RequestId) before the `Retry-After` of their 429 had elapsed, measured from when
 * the 429 was decided to when the retry arrived. Empty = every Retry-After was honoured.
 */
export function requestsBeforeRetryAfter(entries: readonly AuditEntry[]): EarlyRetry[] {
  const out: EarlyRetry[] = [];
  const pending = new Map<string, ThrottledEntry>();
  for (const e of entries) {
    if (e.type === 'throttled' && e.requestId) pending.set(e.requestId.toLowerCase(), e);
    if (e.type !== 'request' || !e.requestId) continue;
    const t = pending.get(e.requestId.toLowerCase());
    if (!t || e.seq < t.seq) continue;
    const due = t.at + t.retryAfterMs;
    if (e.at < due) out.push({ throttledSeq: t.seq, requestSeq: e.seq, requestId: e.requestId, earlyByMs: due - e.at });
  }
  return out;
}

/**
 * Requests of the same throttle class (documented list or other APIs) that arrived while an earlier 429 of that
 * class was still asking to wait (between the 429 and its Retry-After), and more than `inFlightMs` after the
 * 429 — so requests already on the wire when the 429 left are not counted. A client whose whole class honours
 * Retry-After has none (up to the network's jitter).
 */
export function classRequestsDuringRetryAfter(entries: readonly AuditEntry[], inFlightMs = 5): RequestEntry[] {
  const until = { documented: -Infinity, other: -Infinity };
  const from = { documented: -Infinity, other: -Infinity };
  const out: RequestEntry[] = [];
  for (const e of entries) {
    if (e.type === 'throttled') {
      const cls = throttleClassOf(e.method, e.path);
      if (e.at >= until[cls]) from[cls] = e.at;
      until[cls] = Math.max(until[cls], e.at + e.retryAfterMs);
    }
    if (e.type !== 'request') continue;
    const cls = throttleClassOf(e.method, e.path);
    if (e.at > from[cls] + inFlightMs && e.at < until[cls]) out.push(e);
  }
  return out;
}

/**
 * Writes (any method but GET) sent again with an MS-RequestId already used by an earlier write that was not
 * refused with 429 — i.e. a write retried although its first attempt may have been carried out. A retry after
 * a 429 is allowed: Partner Center did nothing with the refused request.
 */
export function retriedWrites(entries: readonly AuditEntry[]): RequestEntry[] {
  const outcomes = new Map<string, number[]>();
  const out: RequestEntry[] = [];
  for (const e of entries) {
    if (e.type !== 'request' || e.method === 'GET' || !e.requestId) continue;
    const key = `${e.method} ${e.requestId.toLowerCase()}`;
    const earlier = outcomes.get(key) ?? [];
    if (earlier.some((status) => status !== 429)) out.push(e);
    outcomes.set(key, [...earlier, e.status]);
  }
  return out;
}

/** The first day the extended service term applies to terms ending with auto-renew off (partner-center-2026.md §2). */
export const EXTENDED_SERVICE_TERM_FROM = '2026-05-04T00:00:00Z';

/** Until when a subscription's seats are billed, as the simulator's state says. */
export type BilledUntil = { readonly until: string; readonly why: string } | { readonly until: 'open-ended'; readonly why: string };

/**
 * Until when the customer pays for a subscription's seats:
 * - a status change that stops billing (a legacy suspend, a new-commerce cancel) → its moment;
 * - auto-renew on → open-ended (it renews);
 * - auto-renew off: legacy → the commitment end; new commerce → the commitment end when a `Cancel` at `TermEnd` is
 *   scheduled, otherwise open-ended when the term ends on or after 2026-05-04 (a paid extended service term follows).
 * A suspended new-commerce subscription keeps billing (suspend is not cancel in new commerce).
 */
export function billedUntil(sub: {
  readonly billingStoppedAt: string | null;
  readonly autoRenewEnabled: boolean;
  readonly commitmentEndDate: string;
  readonly cancellationAllowedUntilDate: string | null;
  readonly cancelAtTermEnd: boolean;
}): BilledUntil {
  if (sub.billingStoppedAt !== null) return { until: sub.billingStoppedAt, why: 'cancelled or suspended (legacy)' };
  if (sub.autoRenewEnabled) return { until: 'open-ended', why: 'auto-renew is on' };
  const nce = sub.cancellationAllowedUntilDate !== null;
  if (!nce || sub.cancelAtTermEnd) return { until: sub.commitmentEndDate, why: 'ends at term end' };
  if (Date.parse(sub.commitmentEndDate) >= Date.parse(EXTENDED_SERVICE_TERM_FROM)) {
    return { until: 'open-ended', why: 'auto-renew off without a cancel at term end: a paid extended service term follows' };
  }
  return { until: sub.commitmentEndDate, why: 'ends at term end' };
}
