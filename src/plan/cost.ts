import { seatsBought } from './summary.js';
import type { CustomerPlan, PurchaseAction, ScheduleRenewalAction, TermShape } from './types.js';

/**
 * One row of a licence-based price list: the partner price of one SKU for one term and billing plan. It is a
 * row of Partner Center's price sheet (`updatedlicensebased` view: ProductId, SkuId, TermDuration, BillingPlan,
 * Market, Currency, UnitPrice; see partner-center-2026.md §5) or of the same list downloaded as a file.
 */
export interface PriceRow {
  /** New-commerce product id (`CFQ7TTC0LH18`); for a legacy offer, its offer GUID. */
  readonly productId?: string;
  /** New-commerce SKU id within the product (`0001`). */
  readonly skuId?: string;
  /** Legacy offer GUID, when the list has an OfferId column. */
  readonly offerId?: string;
  /** ProductTitle / SkuTitle, for messages. */
  readonly title?: string;
  /** `P1M`, `P1Y`, `P3Y`; absent = any term. */
  readonly term?: string;
  /** `monthly`, `annual`, `triennial` (lower-case); absent = any billing plan. */
  readonly billing?: string;
  /** ISO-2 market; absent = any. */
  readonly market?: string;
  /** EffectiveStartDate / EffectiveEndDate as written (ISO 8601): when this price applies; absent = open (partner-center-2026.md §5). */
  readonly effectiveStart?: string;
  readonly effectiveEnd?: string;
  /** ISO-4217 currency, upper-case. */
  readonly currency: string;
  /** Partner price (UnitPrice) of one seat for one billing period. */
  readonly unitPrice: number;
  /** The same price exactly as written (plain decimal, `65.5`), for comparisons no rounding can hide. */
  readonly unitPriceText?: string;
  /** Where the row came from (`prices.csv:12`, `price sheet US row 3`), for messages. */
  readonly where: string;
}

/** Every price the planner may use, read once per run. Plain data: the planner stays pure. */
export interface PriceBook {
  /** Human description of the source (`Partner Center price sheet (US, updatedlicensebased)`, `file prices.csv`). */
  readonly source: string;
  /** Market the plan buys in (pcsync.yaml `country`). */
  readonly market: string;
  readonly rows: readonly PriceRow[];
  /**
   * The source lists new-commerce products only — Partner Center's price sheet (`updatedlicensebased`; its
   * "current" timeline holds licence-based new commerce, learn `developer/get-a-price-sheet`) — so a legacy
   * offer's price is unknown for that reason, not because the partner's list lacks it.
   */
  readonly newCommerceOnly?: boolean;
}

/** The cost of one purchase. `unitPrice`, `monthly` and `committed` are absent when the price is unknown (never 0). */
export interface PurchaseCost {
  readonly actionId: string;
  readonly customerId: string;
  readonly offerId: string;
  readonly offerName: string;
  /** Seats this purchase adds. */
  readonly seats: number;
  /** Term the price is for (the purchase's, or `P1Y` for a legacy offer). */
  readonly term: string;
  /** Billing plan the price is for (the purchase's, or `monthly` for a legacy offer). */
  readonly billing: string;
  /** Months the purchase commits to (P1M 1, P1Y 12, P3Y 36). */
  readonly termMonths: number;
  readonly currency?: string;
  /** Price of one seat for one month (UnitPrice ÷ months per billing period), rounded to cents. */
  readonly unitPrice?: number;
  /**
   * The price row's UnitPrice for one seat and one billing period, exactly as the source wrote it (a plain decimal,
   * never rounded): the unit price above is rounded to cents, so a rise of less than a cent a month shows only here.
   * Covered by the actions hash and compared exactly at apply.
   */
  readonly periodPrice?: string;
  /** unitPrice × seats, per month. */
  readonly monthly?: number;
  /** unitPrice × seats × termMonths: what the purchase commits to. */
  readonly committed?: number;
  /** The price row used. */
  readonly priceRow?: string;
  /** Why the price is unknown. */
  readonly unknown?: string;
}

export interface CurrencyTotal {
  readonly currency: string;
  readonly monthly: number;
  readonly committed: number;
  readonly purchases: number;
}

/**
 * The money effect of a change at renewal, per year: the current term's seats at today's price against the next
 * term's seats at the price that applies on the renewal date. Absent amounts = unknown (never 0), with `unknown`.
 */
export interface RenewalCost {
  readonly actionId: string;
  readonly customerId: string;
  readonly renewsOn: string;
  readonly currency?: string;
  /** Price of one seat per month now (current offer, term, billing) and at the renewal (next term's). */
  readonly unitPriceNow?: number;
  readonly unitPriceNext?: number;
  /** Seats × unit price × 12, now and for the next term. */
  readonly yearlyNow?: number;
  readonly yearlyNext?: number;
  /** yearlyNext − yearlyNow: negative saves money. */
  readonly yearlyChange?: number;
  /** Why it is unknown. */
  readonly unknown?: string;
}

/** The cost preview of a plan: per purchase, and totals per currency. Purchases with unknown prices are counted apart, never as 0. */
export interface PlanCost {
  readonly source: string;
  readonly market: string;
  /** One per purchase action of the plan, in plan order. */
  readonly purchases: readonly PurchaseCost[];
  /** Sorted by currency. */
  readonly totals: readonly CurrencyTotal[];
  /** Purchases whose price is unknown (not in any total). */
  readonly unknownPurchases: number;
  /** One per `schedule-renewal` action, in plan order (absent when there are none). */
  readonly renewals?: readonly RenewalCost[];
}

const TERM_MONTHS: Readonly<Record<string, number>> = { P1M: 1, P1Y: 12, P3Y: 36 };
const BILLING_MONTHS: Readonly<Record<string, number>> = { monthly: 1, annual: 12, triennial: 36 };

/** Cents, without binary fractions piling up. */
export function money(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * The cost of one purchase from the book at `at` (the plan's time, ISO): matched by offer/product, SKU, term,
 * billing and market, among the rows effective then — a list can hold last month's and next month's price too.
 */
export function purchaseCost(a: PurchaseAction, book: PriceBook, at: string): PurchaseCost {
  const legacy = !a.offerId.includes(':');
  const term = a.term ?? 'P1Y';
  const billing = (a.billing ?? 'monthly').toLowerCase();
  const termMonths = TERM_MONTHS[term] ?? 12;
  const base = { actionId: a.id, customerId: a.customerId, offerId: a.offerId, offerName: a.offerName, seats: seatsBought(a), term, billing, termMonths };
  const matching = book.rows.filter((r) => sameOffer(r, a.offerId, legacy) && fits(r.term, term) && fits(r.billing, billing) && fits(r.market, book.market));
  if (matching.length === 0 && legacy && book.newCommerceOnly) {
    return { ...base, unknown: `"${a.offerName}" (${a.offerId}) is a legacy offer: legacy offers are not in the new-commerce price sheet (${book.source}); put its price in a price-list file (prices.file)` };
  }
  if (matching.length === 0) return { ...base, unknown: `no ${term} ${billing} price for "${a.offerName}" (${a.offerId}) in ${book.source}` };
  const rows = matching.filter((r) => effectiveAt(r, at));
  if (rows.length === 0) {
    const when = matching.map((r) => `${r.effectiveStart?.slice(0, 10) ?? '…'} to ${r.effectiveEnd?.slice(0, 10) ?? '…'} (${r.where})`).join(', ');
    return { ...base, unknown: `no ${term} ${billing} price for "${a.offerName}" (${a.offerId}) in ${book.source} applies on ${at.slice(0, 10)}: its rows apply ${when}` };
  }
  const best = Math.max(...rows.map(specificity));
  const top = rows.filter((r) => specificity(r) === best);
  const prices = new Set(top.map((r) => `${r.currency} ${r.unitPrice}`));
  if (prices.size > 1) return { ...base, unknown: `${top.length} different prices for "${a.offerName}" ${term} ${billing} in ${book.source} (${top.map((r) => r.where).join(', ')})` };
  const row = top[0]!;
  const perMonth = row.unitPrice / (BILLING_MONTHS[row.billing ?? billing] ?? 1);
  return {
    ...base,
    currency: row.currency,
    unitPrice: money(perMonth),
    periodPrice: row.unitPriceText ?? String(row.unitPrice),
    monthly: money(perMonth * base.seats),
    committed: money(perMonth * base.seats * termMonths),
    priceRow: row.where,
  };
}

/** Costs of every purchase the plan makes at `at` (blocked customers buy nothing), with totals per currency. */
export function planCost(customers: readonly CustomerPlan[], book: PriceBook, at: string): PlanCost {
  const purchases = customers.flatMap((c) => c.actions.filter((a): a is PurchaseAction => a.kind === 'purchase').map((a) => purchaseCost(a, book, at)));
  const totals = new Map<string, { monthly: number; committed: number; purchases: number }>();
  for (const p of purchases) {
    if (p.currency === undefined) continue;
    const t = totals.get(p.currency) ?? { monthly: 0, committed: 0, purchases: 0 };
    totals.set(p.currency, { monthly: t.monthly + p.monthly!, committed: t.committed + p.committed!, purchases: t.purchases + 1 });
  }
  const renewals = customers.flatMap((c) => c.actions.filter((a): a is ScheduleRenewalAction => a.kind === 'schedule-renewal').map((a) => renewalCost(a, book, at)));
  return {
    ...(renewals.length > 0 && { renewals }),
    source: book.source,
    market: book.market,
    purchases,
    totals: [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => ({ currency, monthly: money(t.monthly), committed: money(t.committed), purchases: t.purchases })),
    unknownPurchases: purchases.filter((p) => p.currency === undefined).length,
  };
}

function sameOffer(r: PriceRow, offerId: string, legacy: boolean): boolean {
  const eq = (x: string | undefined, y: string | undefined) => x !== undefined && y !== undefined && x.toUpperCase() === y.toUpperCase();
  if (legacy) return eq(r.offerId, offerId) || eq(r.productId, offerId);
  const [product, sku] = offerId.split(':');
  return eq(r.productId, product) && (r.skuId === undefined || eq(r.skuId, sku));
}

/**
 * Whether the row's price applies at `at`: from its EffectiveStartDate to its EffectiveEndDate, both included (a
 * date without a time covers that whole day; a time without a zone is UTC).
 */
function effectiveAt(r: PriceRow, at: string): boolean {
  const t = Date.parse(at);
  const start = r.effectiveStart === undefined ? undefined : instant(r.effectiveStart);
  const end = r.effectiveEnd === undefined ? undefined : instant(r.effectiveEnd) + (r.effectiveEnd.length === 10 ? DAY_MS - 1 : 0);
  return (start === undefined || start <= t) && (end === undefined || t <= end);
}

const DAY_MS = 86_400_000;

function instant(iso: string): number {
  return Date.parse(iso.length > 10 && !/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? `${iso.replace(' ', 'T')}Z` : iso);
}

function fits(rowValue: string | undefined, wanted: string): boolean {
  return rowValue === undefined || rowValue.toUpperCase() === wanted.toUpperCase();
}

/** Rows naming more of term, billing, market and SKU win over rows that leave them open. */
function specificity(r: PriceRow): number {
  return [r.term, r.billing, r.market, r.skuId ?? r.offerId].filter((v) => v !== undefined).length;
}

/** The price of one seat per month of a term shape from the book at `at`, or why it is unknown. */
export function termUnitPrice(shape: TermShape, offerName: string, book: PriceBook, at: string): { currency: string; unitPrice: number } | { unknown: string } {
  const probe: PurchaseAction = {
    kind: 'purchase', id: '', customerId: '', dependsOn: [], reason: 'subscription-missing', reasonText: '', irreversible: false,
    handle: '', offerId: shape.offerId, offerName, mode: 'new', quantity: 1, term: shape.term, billing: shape.billing,
    friendlyName: '', requestId: '', observed: { quantity: 0 }, desired: { quantity: 1 },
  };
  const c = purchaseCost(probe, book, at);
  return c.currency === undefined || c.unitPrice === undefined ? { unknown: c.unknown ?? 'no price' } : { currency: c.currency, unitPrice: c.unitPrice };
}

/** The yearly money effect of one scheduled renewal (see `RenewalCost`). */
export function renewalCost(a: ScheduleRenewalAction, book: PriceBook, at: string): RenewalCost {
  const base = { actionId: a.id, customerId: a.customerId, renewsOn: a.renewsOn };
  const now = termUnitPrice(a.observed, a.offerName, book, at);
  const next = termUnitPrice(a.desired, a.desired.offerName, book, a.renewsOn);
  if ('unknown' in now) return { ...base, unknown: `current term: ${now.unknown}` };
  if ('unknown' in next) return { ...base, unknown: `next term: ${next.unknown}` };
  if (now.currency !== next.currency) return { ...base, unknown: `the prices are in different currencies (${now.currency}, ${next.currency})` };
  const yearlyNow = money(now.unitPrice * a.observed.quantity * 12);
  const yearlyNext = money(next.unitPrice * a.desired.quantity * 12);
  return { ...base, currency: now.currency, unitPriceNow: now.unitPrice, unitPriceNext: next.unitPrice, yearlyNow, yearlyNext, yearlyChange: money(yearlyNext - yearlyNow) };
}
