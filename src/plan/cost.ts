import { seatsBought } from './summary.js';
import type { PriceBook, PriceRow } from '../prices/source.js';
import type { CustomerPlan, PlanCost, PurchaseAction, PurchaseCost, RenewalCost, ScheduleRenewalAction, TermShape } from './types.js';

export type { CurrencyTotal, PlanCost, PurchaseCost, RenewalCost } from './types.js';
export type { PriceBook, PriceRow } from '../prices/source.js';

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
