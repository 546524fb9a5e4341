import { compareText } from '../catalog/names.js';
import { inertText as v } from '../core/inert.js';
import { formatMoney } from '../core/money.js';
import { money, type PurchaseCost } from '../plan/cost.js';
import { seatsBought } from '../plan/summary.js';
import { isRetirement, type CustomerPlan, type Plan, type Problem, type PurchaseAction, type ScheduleRenewalAction } from '../plan/types.js';

export { formatMoney };

/** One offer the plan buys, over all customers. */
export interface OfferLine {
  readonly offerId: string;
  readonly offerName: string;
  readonly seats: number;
  readonly customers: number;
  /** Term and billing the purchases ask for (`P1Y monthly`), distinct values joined. */
  readonly terms: string;
  /** Set when every purchase of the offer has a known price in one currency. */
  readonly currency?: string;
  readonly unitPrice?: number;
  readonly monthly?: number;
  readonly committed?: number;
  /** Purchases of this offer whose price is unknown. */
  readonly unknown: number;
}

/** What one customer's plan does, in one row. */
export interface CustomerRow {
  readonly customer: CustomerPlan;
  readonly buys: ReadonlyArray<{ readonly offerName: string; readonly seats: number }>;
  readonly moved: number;
  readonly suspends: number;
  /** Committed cost by currency; `unknown` when any purchase has no price. */
  readonly cost: ReadonlyArray<{ readonly currency: string; readonly amount: number }>;
  readonly costUnknown: boolean;
  readonly blocked: boolean;
}

/** The facts a reviewer approves from, computed once for every renderer. Pure. */
export interface PlanFacts {
  readonly offers: readonly OfferLine[];
  readonly moved: { readonly users: number; readonly customers: number };
  readonly suspends: { readonly subscriptions: number; readonly customers: number };
  /** Every customer, sorted by name (then id). */
  readonly rows: readonly CustomerRow[];
  readonly blocked: readonly CustomerPlan[];
  readonly warnings: ReadonlyArray<{ readonly customer: CustomerPlan; readonly warning: Problem }>;
}

/**
 * Customers in the one order every human-readable rendering uses (text, markdown, show, annotations): by name
 * — what a reviewer looks for — then by id when two share a name. JSON and the plan file keep the plan's own
 * order (by id), which the actions hash is computed over.
 */
export function byName<C extends { readonly displayName: string; readonly customerId: string }>(customers: readonly C[]): C[] {
  return [...customers].sort((a, b) => compareText(a.displayName, b.displayName) || compareText(a.customerId, b.customerId));
}

export function planFacts(plan: Plan): PlanFacts {
  const costs = new Map((plan.cost?.purchases ?? []).map((p) => [p.actionId, p]));
  const customers = byName(plan.customers);
  const rows = customers.map((c) => customerRow(c, costs, plan.cost !== undefined));
  return {
    offers: offerLines(plan, costs),
    moved: { users: rows.reduce((n, r) => n + r.moved, 0), customers: rows.filter((r) => r.moved > 0).length },
    suspends: { subscriptions: rows.reduce((n, r) => n + r.suspends, 0), customers: rows.filter((r) => r.suspends > 0).length },
    rows,
    blocked: customers.filter((c) => c.blockers.length > 0),
    warnings: customers.flatMap((c) => c.warnings.map((warning) => ({ customer: c, warning }))),
  };
}

function customerRow(c: CustomerPlan, costs: ReadonlyMap<string, PurchaseCost>, priced: boolean): CustomerRow {
  const purchases = c.actions.filter((a): a is PurchaseAction => a.kind === 'purchase');
  const byCurrency = new Map<string, number>();
  let unknown = false;
  for (const a of purchases) {
    const p = costs.get(a.id);
    if (p?.currency === undefined) unknown = priced;
    else byCurrency.set(p.currency, (byCurrency.get(p.currency) ?? 0) + p.committed!);
  }
  return {
    customer: c,
    buys: purchases.map((a) => ({ offerName: a.offerName, seats: seatsBought(a) })),
    moved: c.actions.filter((a) => a.kind === 'reassign').length,
    suspends: c.actions.filter(isRetirement).length,
    cost: [...byCurrency].sort(([a], [b]) => compareText(a, b)).map(([currency, amount]) => ({ currency, amount: money(amount) })),
    costUnknown: unknown,
    blocked: c.blockers.length > 0,
  };
}

function offerLines(plan: Plan, costs: ReadonlyMap<string, PurchaseCost>): OfferLine[] {
  const groups = new Map<string, PurchaseAction[]>();
  // a customer at a time (held plans unpack their actions at each read): only the purchases are kept
  for (const a of plan.customers.flatMap((c) => c.actions.filter((x) => x.kind === 'purchase'))) {
    if (a.kind !== 'purchase') continue;
    const key = `${a.offerName}\u0000${a.offerId}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()]
    .map((list) => {
      const first = list[0]!;
      const priced = list.map((a) => costs.get(a.id));
      const known = priced.filter((p): p is PurchaseCost => p?.currency !== undefined);
      const currencies = new Set(known.map((p) => p.currency));
      const units = new Set(known.map((p) => p.unitPrice));
      const one = known.length === list.length && currencies.size === 1;
      return {
        offerId: first.offerId,
        offerName: first.offerName,
        seats: list.reduce((n, a) => n + seatsBought(a), 0),
        customers: new Set(list.map((a) => a.customerId)).size,
        terms: [...new Set(list.map((a) => `${a.term ?? costs.get(a.id)?.term ?? ''} ${a.billing ?? costs.get(a.id)?.billing ?? ''}`.trim()).filter(Boolean))].join(', '),
        ...(one ? { currency: known[0]!.currency, ...(units.size === 1 ? { unitPrice: known[0]!.unitPrice } : {}), monthly: money(known.reduce((n, p) => n + p.monthly!, 0)), committed: money(known.reduce((n, p) => n + p.committed!, 0)) } : {}),
        unknown: plan.cost ? list.length - known.length : 0,
      };
    })
    .sort((a, b) => compareText(a.offerName, b.offerName) || compareText(a.offerId, b.offerId));
}

/** One purchase's price in words: `USD 65.00/seat/month × 5 = USD 325.00/month, USD 3,900.00 committed (P1Y monthly)`. */
export function purchaseCostText(p: PurchaseCost | undefined): string {
  if (!p) return '';
  if (p.currency === undefined) return `price unknown (${v(p.term)} ${v(p.billing)})${p.unknown ? `: ${v(p.unknown)}` : ''}`;
  return `${formatMoney(p.currency, p.unitPrice!)}/seat/month × ${p.seats} = ${formatMoney(p.currency, p.monthly!)}/month, ${formatMoney(p.currency, p.committed!)} committed (${v(p.term)} ${v(p.billing)})`;
}

/** Costs of a plan by purchase action id (empty without prices). */
export function costsById(plan: Plan): ReadonlyMap<string, PurchaseCost> {
  return new Map((plan.cost?.purchases ?? []).map((p) => [p.actionId, p]));
}

/**
 * A change at renewal in money, per year: `saves USD 8,424.00/year (40 × USD 23.00 → 31 × USD 23.00 /seat/month)`,
 * `costs USD 1,200.00 more/year (…)`, or why it is unknown — never 0 for an unknown price.
 */
export function renewalMoneyText(plan: Plan, a: ScheduleRenewalAction): string {
  if (!plan.cost) return 'money effect unknown: no price source is configured (prices: in pcsync.yaml)';
  const r = plan.cost.renewals?.find((x) => x.actionId === a.id);
  if (!r || r.currency === undefined) return `money effect unknown: ${v(r?.unknown ?? 'not priced')}`;
  const change = r.yearlyChange!;
  const verb = change < 0 ? `saves ${formatMoney(r.currency, -change)}/year` : change > 0 ? `costs ${formatMoney(r.currency, change)} more/year` : 'no change in money per year';
  return `${verb} (${a.observed.quantity} × ${formatMoney(r.currency, r.unitPriceNow!)} → ${a.desired.quantity} × ${formatMoney(r.currency, r.unitPriceNext!)} /seat/month; ${formatMoney(r.currency, r.yearlyNow!)} → ${formatMoney(r.currency, r.yearlyNext!)} a year)`;
}

/** `renewalMoneyText` of every change at renewal in the plan, by action id. */
export function renewalMoneyById(plan: Plan): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const c of plan.customers) for (const a of c.actions) if (a.kind === 'schedule-renewal') out.set(a.id, renewalMoneyText(plan, a));
  return out;
}
