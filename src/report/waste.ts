import { compareText } from '../catalog/index.js';
import { money, termUnitPrice, type PriceBook } from '../plan/cost.js';
import type { LiveSubscription } from '../live/types.js';

export const WASTE_FORMAT_VERSION = 1;

/** What `report --waste` needs of one customer: its subscriptions and the consumed units per SKU. */
export interface WasteFacts {
  readonly id: string;
  readonly companyName: string;
  readonly subscriptions: readonly LiveSubscription[];
  /** consumedUnits by SKU id (lower case); absent when subscribedskus could not be read (`readProblem`). */
  readonly consumed?: Readonly<Record<string, number>>;
  readonly readProblem?: string;
}

/** One billed subscription: seats paid, assigned and unassigned, what the unassigned seats cost, when they can go. */
export interface WasteRow {
  readonly customerId: string;
  readonly companyName: string;
  readonly subscriptionId: string;
  readonly offerName: string;
  readonly offerId: string;
  readonly commerce: 'legacy' | 'new';
  readonly seats: number;
  /** Seats of this subscription users hold; absent when unknown (its SKU or consumed units could not be read). */
  readonly assigned?: number;
  readonly unassigned?: number;
  readonly currency?: string;
  /** Price of one seat per month (price sheet or price file); absent when unknown — never 0. */
  readonly unitPrice?: number;
  readonly monthlyCost?: number;
  /** unassigned × unitPrice per month; absent when either is unknown. */
  readonly unassignedMonthlyCost?: number;
  /** Why the price is unknown. */
  readonly priceUnknown?: string;
  /** The earliest day the seats can be reduced: now inside the cancellation window or for legacy, else the term end. */
  readonly reducibleFrom?: string;
  /** How: `cancellation window until …`, `term end`, `any time (legacy)`. */
  readonly reducibleHow: string;
}

export interface WasteTotals {
  readonly seats: number;
  readonly assigned: number;
  readonly unassigned: number;
  /** Over every row; null when any row's price (or seat split) is unknown, or the currencies differ. */
  readonly monthlyCost: number | null;
  readonly unassignedMonthlyCost: number | null;
  readonly currency?: string;
  /** The sums over the rows whose price is known (what is known of the money, never passed off as the total). */
  readonly pricedMonthlyCost: number;
  readonly pricedUnassignedMonthlyCost: number;
  /** Rows whose price is unknown. */
  readonly unknownPrices: number;
}

export interface WasteReport {
  readonly formatVersion: typeof WASTE_FORMAT_VERSION;
  readonly asOf: string;
  /** Where prices came from, or why there are none. */
  readonly prices: string;
  readonly customersScanned: number;
  /** Sorted by customer name, then subscription id. */
  readonly rows: readonly WasteRow[];
  readonly totals: WasteTotals;
  /** Reads that failed: their subscriptions are unknown, not absent (exit 1). */
  readonly unreadable: readonly string[];
}

/**
 * Whether the customer pays for a subscription's seats now: an active one; a suspended new-commerce one (suspend is
 * not cancel in new commerce); not a deleted one, a suspended legacy one, or one whose term ended with auto-renew
 * off (legacy, or new commerce set to cancel at term end). The simulator's billing audit decides the same way.
 */
export function billedNow(s: LiveSubscription, now: Date): boolean {
  if (s.status === 'deleted') return false;
  if (s.status === 'suspended' && s.commerce !== 'new') return false;
  if (s.status !== 'active' && s.status !== 'suspended') return false;
  const ended = s.commitmentEndDate !== undefined && Date.parse(s.commitmentEndDate) <= now.getTime();
  return !(ended && s.autoRenewEnabled === false && (s.commerce !== 'new' || s.cancelAtTermEnd === true));
}

/**
 * Pure. Per billed subscription, seats paid and held: users hold SKUs, not subscriptions, so a SKU's consumed units
 * fill the customer's billed subscriptions of that SKU in subscription-id order (case-insensitive), each up to its
 * seats. The unit price is the configured price source's for the subscription's offer, term and billing at `now`;
 * unknown stays unknown (never 0) and keeps the totals unknown too.
 */
export function buildWaste(facts: readonly WasteFacts[], book: PriceBook | undefined, now: Date, noPrices: string): WasteReport {
  const at = now.toISOString();
  const rows: WasteRow[] = [];
  for (const c of facts) {
    const left = new Map<string, number>();
    const billed = c.subscriptions.filter((s) => billedNow(s, now)).sort((a, b) => compareText(a.id.toLowerCase(), b.id.toLowerCase()));
    for (const s of billed) {
      let assigned: number | undefined;
      if (s.skuId !== undefined && c.consumed !== undefined && !s.quantityUnknown) {
        if (!left.has(s.skuId)) left.set(s.skuId, c.consumed[s.skuId] ?? 0);
        assigned = Math.min(s.quantity, left.get(s.skuId)!);
        left.set(s.skuId, left.get(s.skuId)! - assigned);
      }
      const unassigned = assigned === undefined ? undefined : s.quantity - assigned;
      const offerId = s.commerce === 'new' ? s.offerId.split(':').slice(0, 2).join(':') : s.offerId;
      const price = book
        ? termUnitPrice({ offerId, quantity: s.quantity, term: (s.termDuration ?? 'P1Y').toUpperCase(), billing: (s.billingCycle ?? 'monthly').toLowerCase() }, s.offerName, book, at)
        : { unknown: noPrices };
      const known = 'unitPrice' in price ? price : undefined;
      rows.push({
        customerId: c.id,
        companyName: c.companyName,
        subscriptionId: s.id,
        offerName: s.offerName,
        offerId: s.offerId,
        commerce: s.commerce,
        seats: s.quantity,
        ...(assigned !== undefined && { assigned, unassigned: unassigned! }),
        ...(known && { currency: known.currency, unitPrice: known.unitPrice, monthlyCost: money(known.unitPrice * s.quantity) }),
        ...(known && unassigned !== undefined && { unassignedMonthlyCost: money(known.unitPrice * unassigned) }),
        ...(!known && { priceUnknown: 'unknown' in price ? price.unknown : 'no price' }),
        ...reducible(s, now),
      });
    }
  }
  rows.sort((a, b) => compareText(a.companyName, b.companyName) || compareText(a.subscriptionId.toLowerCase(), b.subscriptionId.toLowerCase()));
  const unreadable = facts.filter((c) => c.readProblem).map((c) => `${c.companyName} (${c.id}): ${c.readProblem}`);
  return { formatVersion: WASTE_FORMAT_VERSION, asOf: at, prices: book?.source ?? noPrices, customersScanned: facts.length, rows, totals: totalsOf(rows), unreadable };
}

function reducible(s: LiveSubscription, now: Date): Pick<WasteRow, 'reducibleFrom' | 'reducibleHow'> {
  if (s.commerce !== 'new') return { reducibleFrom: now.toISOString().slice(0, 10), reducibleHow: 'any time (legacy licence-based)' };
  const window = s.cancellationAllowedUntilDate;
  if (window !== undefined && Date.parse(window) >= now.getTime()) return { reducibleFrom: now.toISOString().slice(0, 10), reducibleHow: `now, inside the cancellation window (until ${window.slice(0, 10)})` };
  if (s.commitmentEndDate) return { reducibleFrom: s.commitmentEndDate.slice(0, 10), reducibleHow: 'at the term end (renewal: quantity)' };
  return { reducibleHow: 'unknown: Partner Center sent no term end' };
}

function totalsOf(rows: readonly WasteRow[]): WasteTotals {
  const sum = (f: (r: WasteRow) => number | undefined) => rows.reduce((n, r) => n + (f(r) ?? 0), 0);
  const currencies = [...new Set(rows.filter((r) => r.currency !== undefined).map((r) => r.currency!))];
  const unknownPrices = rows.filter((r) => r.unitPrice === undefined).length;
  const complete = unknownPrices === 0 && currencies.length <= 1;
  const splitKnown = rows.every((r) => r.unassigned !== undefined);
  const priced = money(sum((r) => r.monthlyCost));
  const pricedUnassigned = money(sum((r) => r.unassignedMonthlyCost));
  return {
    seats: sum((r) => r.seats),
    assigned: sum((r) => r.assigned),
    unassigned: sum((r) => r.unassigned),
    monthlyCost: complete ? priced : null,
    unassignedMonthlyCost: complete && splitKnown ? pricedUnassigned : null,
    ...(currencies.length === 1 && { currency: currencies[0] }),
    pricedMonthlyCost: priced,
    pricedUnassignedMonthlyCost: pricedUnassigned,
    unknownPrices,
  };
}
