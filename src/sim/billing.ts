import { usageOf } from './accounting.js';
import { billedUntil } from './invariants.js';
import { isoSeconds, shownOfferId, type SimCustomer, type SimSubscription } from './model.js';
import type { SimState } from './state.js';

/** One billed subscription in the simulator's billing audit (GET /_sim/billing). */
export interface BillingLine {
  customerId: string;
  companyName: string;
  subscriptionId: string;
  /** As Partner Center shows it (`productId:skuId:availabilityId` for new commerce). */
  offerId: string;
  offerName: string;
  skuId: string;
  /** Seats paid for. */
  seats: number;
  /** Seats of this subscription that users hold (see `billingAudit` for how a shared SKU is split). */
  assigned: number;
  unassigned: number;
  /** Partner price of one seat per month (USD, the price sheet's P1Y monthly price); null = the sheet has none. */
  unitPrice: number | null;
  /** seats × unitPrice; null when the price is unknown (never 0). */
  monthlyCost: number | null;
  /** unassigned × unitPrice; null when the price is unknown. */
  unassignedMonthlyCost: number | null;
  termDuration: string;
  billingCycle: string;
  commitmentEndDate: string;
  cancellationAllowedUntilDate: string | null;
}

export interface BillingAudit {
  /** The simulator's clock when it was taken. */
  at: string;
  currency: 'USD';
  lines: BillingLine[];
  totals: { seats: number; assigned: number; unassigned: number; monthlyCost: number | null; unassignedMonthlyCost: number | null };
}

const cents = (n: number) => Math.round(n * 100) / 100;

function billedNow(s: SimSubscription, now: number): boolean {
  if (s.status === 'deleted') return false;
  const until = billedUntil(s).until;
  return until === 'open-ended' || Date.parse(until) > now;
}

/**
 * What the customer is billed for now, per visible subscription still billed (a new-commerce suspend keeps billing;
 * a cancel or a legacy suspend stops it): seats × the offer's unit price, and the seats nobody holds. Users hold SKUs,
 * not subscriptions: a SKU's consumed units fill its billed subscriptions in subscription-id order (case-insensitive),
 * each up to its seats — the same rule `pcsync report --waste` uses. Sorted by customer, then subscription id.
 */
export function billingAudit(state: SimState): BillingAudit {
  const now = state.now();
  const lines: BillingLine[] = [];
  for (const c of state.customers.values()) lines.push(...customerLines(state, c, now));
  const sum = (f: (l: BillingLine) => number) => lines.reduce((n, l) => n + f(l), 0);
  const money = (f: (l: BillingLine) => number | null) => (lines.some((l) => f(l) === null) ? null : cents(lines.reduce((n, l) => n + f(l)!, 0)));
  return {
    at: isoSeconds(now),
    currency: 'USD',
    lines,
    totals: { seats: sum((l) => l.seats), assigned: sum((l) => l.assigned), unassigned: sum((l) => l.unassigned), monthlyCost: money((l) => l.monthlyCost), unassignedMonthlyCost: money((l) => l.unassignedMonthlyCost) },
  };
}

function customerLines(state: SimState, c: SimCustomer, now: number): BillingLine[] {
  const subs = state
    .visibleSubscriptions(c)
    .filter((s) => billedNow(s, now))
    .sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : a.id.toLowerCase() > b.id.toLowerCase() ? 1 : 0));
  const left = new Map<string, number>();
  return subs.map((s) => {
    const sku = state.skuOf(s).toLowerCase();
    if (!left.has(sku)) left.set(sku, usageOf(state, c, sku).consumedUnits);
    const assigned = Math.min(s.quantity, left.get(sku)!);
    left.set(sku, left.get(sku)! - assigned);
    const offer = state.offer(s.offerId);
    const unitPrice = offer?.unitPrice ?? null;
    const unassigned = s.quantity - assigned;
    return {
      customerId: c.id,
      companyName: c.companyName,
      subscriptionId: s.id,
      offerId: shownOfferId(s.offerId, s.availabilityId),
      offerName: offer?.name ?? s.offerId,
      skuId: state.sku(sku)?.skuId ?? sku,
      seats: s.quantity,
      assigned,
      unassigned,
      unitPrice,
      monthlyCost: unitPrice === null ? null : cents(s.quantity * unitPrice),
      unassignedMonthlyCost: unitPrice === null ? null : cents(unassigned * unitPrice),
      termDuration: s.termDuration,
      billingCycle: s.billingCycle,
      commitmentEndDate: s.commitmentEndDate,
      cancellationAllowedUntilDate: s.cancellationAllowedUntilDate,
    };
  });
}
