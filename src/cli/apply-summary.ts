import { compareText } from '../catalog/names.js';
import { inertText as v } from '../core/inert.js';
import { isSuccess } from '../apply/outcomes.js';
import { money, type PurchaseCost } from '../plan/cost.js';
import { seatsBought } from '../plan/summary.js';
import { costsById, formatMoney } from '../render/plan-facts.js';
import type { ActionReport, CustomerReport } from '../apply/customer.js';
import type { RunReport } from '../apply/run.js';
import type { Action, Plan } from '../plan/types.js';

/** What one customer got from this run: the writes it sent, and what it committed to. */
export interface CustomerWrites {
  /** Purchases applied by this run: `6 × Dynamics 365 for Sales Professional (order 1234)`. */
  readonly bought: readonly string[];
  readonly seats: number;
  /** Committed cost of the purchases applied, per currency; `unknown` counts purchases without a price. */
  readonly committed: ReadonlyMap<string, number>;
  readonly unknownPrice: number;
  /** Licence moves applied by this run. */
  readonly moved: number;
  /** Retirements applied by this run: `suspended "…" (subscription …)`. */
  readonly retired: readonly string[];
  /** Changes scheduled for a renewal, in words (`schedule-renewal` actions applied). */
  readonly scheduled?: readonly string[];
}

/** Totals of a run's writes over every customer. */
export interface RunWrites {
  readonly purchases: number;
  readonly seats: number;
  /** Seats per offer name, for the totals line. */
  readonly byOffer: ReadonlyMap<string, number>;
  readonly committed: ReadonlyMap<string, number>;
  readonly unknownPrice: number;
  readonly moved: number;
  readonly retired: number;
}

const RETIRED_VERB: Readonly<Record<string, string>> = { suspend: 'suspended', cancel: 'cancelled', 'end-at-term': 'set to end at term end' };

/**
 * The writes this run made for one customer, from its kept action reports (every action but successful licence
 * moves, which are tallied) and the plan's actions and costs. Only `applied` counts: `already-done` sent nothing.
 */
export function customerWrites(c: CustomerReport, planned: ReadonlyMap<string, Action>, costs: ReadonlyMap<string, PurchaseCost>): CustomerWrites {
  const bought: string[] = [];
  const retired: string[] = [];
  const scheduled: string[] = [];
  const committed = new Map<string, number>();
  let seats = 0;
  let unknownPrice = 0;
  for (const r of c.actions.filter((a) => a.outcome === 'applied')) {
    const a = planned.get(r.id);
    if (a?.kind === 'purchase') {
      const n = seatsBought(a);
      seats += n;
      bought.push(`${n} × ${v(a.offerName)}${orderOf(r)}`);
      const cost = costs.get(a.id);
      if (cost?.currency === undefined) unknownPrice += costs.size > 0 ? 1 : 0;
      else committed.set(cost.currency, money((committed.get(cost.currency) ?? 0) + cost.committed!));
    } else if (a && (a.kind === 'suspend' || a.kind === 'cancel' || a.kind === 'end-at-term')) {
      retired.push(`${RETIRED_VERB[a.kind]} "${v(a.offerName)}" (${v(a.subscriptionId)})`);
    } else if (a?.kind === 'schedule-renewal') {
      scheduled.push(`scheduled "${v(a.offerName)}" (${v(a.subscriptionId)}) for its renewal on ${v(a.renewsOn.slice(0, 10))}: ${a.observed.quantity} → ${a.desired.quantity} seat(s) of ${v(a.desired.offerName)}`);
    }
  }
  return { bought, seats, committed, unknownPrice, moved: c.moves.applied, retired, ...(scheduled.length > 0 && { scheduled }) };
}

/** Sums the customers' writes; seats per offer come from the plan's purchase actions. */
export function runWrites(customers: ReadonlyArray<{ report: CustomerReport; writes: CustomerWrites }>, planned: ReadonlyMap<string, Action>): RunWrites {
  const byOffer = new Map<string, number>();
  const committed = new Map<string, number>();
  let purchases = 0;
  for (const { report } of customers) {
    for (const r of report.actions) {
      const a = planned.get(r.id);
      if (r.outcome !== 'applied' || a?.kind !== 'purchase') continue;
      purchases++;
      byOffer.set(a.offerName, (byOffer.get(a.offerName) ?? 0) + seatsBought(a));
    }
  }
  for (const { writes } of customers) for (const [cur, n] of writes.committed) committed.set(cur, money((committed.get(cur) ?? 0) + n));
  const sum = (f: (w: CustomerWrites) => number) => customers.reduce((n, c) => n + f(c.writes), 0);
  return { purchases, seats: sum((w) => w.seats), byOffer, committed, unknownPrice: sum((w) => w.unknownPrice), moved: sum((w) => w.moved), retired: sum((w) => w.retired.length) };
}

/** `USD 4,680.00 + EUR 10.00`, or `—`. */
export function moneyText(committed: ReadonlyMap<string, number>): string {
  return [...committed].sort(([a], [b]) => compareText(a, b)).map(([cur, n]) => formatMoney(cur, n)).join(' + ') || '—';
}

/** ` (order 1234)` from a purchase's message, when it names one. */
function orderOf(r: ActionReport): string {
  const m = /\(order ([^)\s]+)\)/.exec(r.message);
  return m ? ` (order ${v(m[1]!)})` : '';
}

/** Customers by name, then id: the order every list of the summary uses. */
export function byName<T extends { readonly displayName: string; readonly customerId: string }>(a: T, b: T): number {
  return compareText(a.displayName, b.displayName) || compareText(a.customerId, b.customerId);
}

/**
 * A customer needs someone to look at it: it failed, was refused or blocked, stopped part-way, or a user did not end
 * on the new licence. A customer nothing was sent to (not-started) does not: running apply again does it.
 */
export function needsAttention(c: CustomerReport): boolean {
  if (c.outcome === 'not-started') return false;
  return !isSuccess(c.outcome) || c.users.some((u) => u.where !== 'moved');
}

/** Per customer (by name) what this run wrote, and the totals: the one reading of a run both summaries use. */
export function runSummary(report: RunReport, plan: Plan): { customers: Array<{ report: CustomerReport; writes: CustomerWrites }>; totals: RunWrites } {
  const planned = new Map<string, Action>(plan.customers.flatMap((c) => c.actions.filter((a) => a.kind !== 'reassign').map((a) => [a.id, a] as const)));
  const costs = costsById(plan);
  const customers = [...report.customers].sort(byName).map((r) => ({ report: r, writes: customerWrites(r, planned, costs) }));
  return { customers, totals: runWrites(customers, planned) };
}
