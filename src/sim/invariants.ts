import type { AuditEntry, LicensesChangedEntry, RequestEntry, SubscriptionChangedEntry } from './audit.js';

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

/** Subscriptions suspended while users still held their SKU. */
export function suspendsWithConsumedUnits(entries: readonly AuditEntry[]): SubscriptionChangedEntry[] {
  return entries.filter(
    (e): e is SubscriptionChangedEntry =>
      e.type === 'subscription-changed' && e.field === 'status' && e.after === 'suspended' && e.consumedUnits > 0,
  );
}
