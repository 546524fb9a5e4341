import { Code, SimFault } from './faults.js';
import type { Route } from './router.js';
import type { SimState } from './state.js';

/** The price sheet's host takes tokens for its own resource, not Partner Center's (partner-center-2026.md §5). */
export const PRICE_SHEET_AUDIENCE = 'https://api.partner.microsoft.com';

/** Columns of the licence-based (`updatedlicensebased`) price sheet, in the documented order. */
const COLUMNS = ['ProductTitle', 'ProductId', 'SkuId', 'SkuTitle', 'Publisher', 'SkuDescription', 'UnitOfMeasure', 'TermDuration', 'BillingPlan', 'Market', 'Currency', 'UnitPrice', 'PricingTierRangeMin', 'PricingTierRangeMax', 'EffectiveStartDate', 'EffectiveEndDate', 'Tags', 'ERP Price'];

const SHEET = /^pricesheets\(Market='([A-Za-z]{2})',PricesheetView='([A-Za-z_]+)'\)$/;

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of the month start open-ended unless a price change splits them. */
const MONTH_START = '2026-01-01T00:00:00Z';
const OPEN_END = '9999-12-31T23:59:59Z';

/**
 * The sheet for the simulator's catalogue: per offer with a `unitPrice`, a P1Y row billed monthly (UnitPrice =
 * the monthly price) and a P1Y row billed annually (12 ×). Legacy offers are not in the real NCE sheet; the
 * simulator names them by their offer id in ProductId (SkuId `0001`) so a plan of its catalogue can be priced,
 * unless `priceSheetNewCommerceOnly` asks for the real sheet (then the built-in catalogue, all legacy, has no row).
 * A `priceSheetChanges` entry splits an offer's rows at `from`: the old price until one second before, the new
 * one from then on (EffectiveStartDate / EffectiveEndDate).
 */
export function priceSheetCsv(state: SimState, market: string): string {
  const omit = new Set((state.options.priceSheetOmit ?? []).map((id) => id.toLowerCase()));
  const legacy = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const changeOf = (id: string) => state.options.priceSheetChanges?.find((c) => c.offerId.toLowerCase() === id.toLowerCase());
  const rows = [...state.offers.values()]
    .filter((o) => o.unitPrice !== undefined && o.isAvailableForPurchase && !omit.has(o.id.toLowerCase()))
    .filter((o) => !(state.options.priceSheetNewCommerceOnly && legacy(o.id)))
    .flatMap((o) => {
      const change = changeOf(o.id);
      const periods: [number, string, string][] = change
        ? [
            [o.unitPrice!, MONTH_START, new Date(Date.parse(change.from) - 1000).toISOString()],
            [change.unitPrice, change.from, OPEN_END],
          ]
        : [[o.unitPrice!, MONTH_START, OPEN_END]];
      return periods.flatMap(([monthly, start, end]) =>
        (['Monthly', 'Annual'] as const).map((billing) => {
          const price = billing === 'Monthly' ? monthly : Math.round(monthly * 12 * 100) / 100;
          const erp = Math.round(price * 1.25 * 100) / 100;
          // A new-commerce product SKU (`productId:skuId`) is listed as the real sheet lists it: ProductId and SkuId apart.
          const [productId, skuId = '0001'] = o.id.split(':');
          return [o.name, productId!, skuId, o.name, 'Microsoft Corporation', o.name, 'Licenses', 'P1Y', billing, market, 'USD', price, 0, 0, start, end, '', erp];
        }),
      );
    });
  return `\uFEFF${[COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export const priceSheetRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1.0/sales/:sheet/$value',
    auth: 'app+user',
    audience: PRICE_SHEET_AUDIENCE,
    handle: (ctx, p) => {
      const m = SHEET.exec(p.sheet ?? '');
      if (!m) throw new SimFault(404, Code.notFound, `The requested resource ${ctx.path} was not found.`);
      const [, market, view] = m;
      if (view!.toLowerCase() !== 'updatedlicensebased') throw new SimFault(400, Code.invalidInput, `The simulator serves only the updatedlicensebased price sheet view (asked for ${view}).`);
      if (market!.toUpperCase() !== ctx.state.options.country.toUpperCase()) {
        throw new SimFault(400, Code.invalidInput, `Market ${market} is not a market this partner sells in.`);
      }
      ctx.reply.raw = priceSheetCsv(ctx.state, market!.toUpperCase());
      ctx.reply.headers['Content-Type'] = 'text/csv; charset=utf-8';
      return { status: 200 };
    },
  },
];
