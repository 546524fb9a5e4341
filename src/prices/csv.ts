import { parse } from 'csv-parse/sync';
import { UserError } from '../core/errors.js';
import { excerpt } from '../core/inert.js';
import type { PriceRow } from './source.js';

/** Column names as Partner Center writes them, keyed by their letters and digits only, lower-case. */
const COLUMN = {
  productid: 'productId',
  skuid: 'skuId',
  offerid: 'offerId',
  producttitle: 'productTitle',
  skutitle: 'skuTitle',
  offername: 'productTitle',
  termduration: 'term',
  billingplan: 'billing',
  market: 'market',
  currency: 'currency',
  unitprice: 'unitPrice',
  effectivestartdate: 'effectiveStart',
  effectiveenddate: 'effectiveEnd',
} as const;

type Field = (typeof COLUMN)[keyof typeof COLUMN];

/**
 * A licence-based price list in CSV, as the price sheet API serves it and as partners download it: a header row
 * with at least Currency and UnitPrice, and ProductId (new commerce) or OfferId (legacy); TermDuration,
 * BillingPlan and Market when present narrow a row (empty = any); EffectiveStartDate and EffectiveEndDate, when
 * present, say when its price applies (ISO 8601 dates, partner-center-2026.md §5; empty = open). Other columns are
 * ignored. A UTF-8 BOM and quoted cells are fine. Bad input is a UserError naming `where` and the line.
 */
export function parsePriceCsv(text: string, where: string): PriceRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new UserError('prices.csv', `${where}${line ? `:${line}` : ''}: not a readable CSV price list (${(err as Error).message.split('\n')[0]}).`);
  }
  const [header, ...rows] = records;
  if (!header) throw new UserError('prices.csv', `${where}: the price list is empty (expected a header row with ProductId, Currency, UnitPrice, …).`);
  const fields = header.record.map((name) => COLUMN[name.toLowerCase().replace(/[^a-z0-9]/g, '') as keyof typeof COLUMN] as Field | undefined);
  const has = (f: Field) => fields.includes(f);
  const missing = [...(has('currency') ? [] : ['Currency']), ...(has('unitPrice') ? [] : ['UnitPrice']), ...(has('productId') || has('offerId') ? [] : ['ProductId or OfferId'])];
  if (missing.length > 0) throw new UserError('prices.csv', `${where}:${header.info.lines}: the header has no ${missing.join(', ')} column (found ${header.record.length} column(s): ${header.record.slice(0, 8).map((c) => excerpt(c, 24)).join(', ')}${header.record.length > 8 ? ', …' : ''}).`);
  return rows.map(({ record, info }) => toRow(record, fields, `${where}:${info.lines}`));
}

function toRow(record: readonly string[], fields: ReadonlyArray<Field | undefined>, at: string): PriceRow {
  const cell: Partial<Record<Field, string>> = {};
  fields.forEach((f, i) => {
    const v = record[i]?.trim();
    if (f && v && cell[f] === undefined) cell[f] = v;
  });
  // Plain decimals only (a thousands comma allowed): "65,00" (decimal comma) or 0x41 is refused, never misread.
  const plain = cell.unitPrice !== undefined && /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/.test(cell.unitPrice);
  const unitPrice = plain ? Number(cell.unitPrice!.replace(/,/g, '')) : NaN;
  if (cell.unitPrice === undefined || !Number.isFinite(unitPrice) || unitPrice < 0) {
    throw new UserError('prices.csv', `${at}: UnitPrice ${cell.unitPrice === undefined ? 'is empty' : `${excerpt(cell.unitPrice, 40)} is not a plain decimal price (like 65.00)`}; every row needs a price (leave the row out when there is none).`);
  }
  if (!cell.currency || !/^[A-Za-z]{3}$/.test(cell.currency)) throw new UserError('prices.csv', `${at}: Currency ${cell.currency ? `"${cell.currency.slice(0, 20)}"` : 'is empty'}; expected a three-letter code such as USD.`);
  if (!cell.productId && !cell.offerId) throw new UserError('prices.csv', `${at}: the row names no product (ProductId) or offer (OfferId).`);
  const title = cell.skuTitle ?? cell.productTitle;
  const effectiveStart = isoDate(cell.effectiveStart, 'EffectiveStartDate', at);
  const effectiveEnd = isoDate(cell.effectiveEnd, 'EffectiveEndDate', at);
  return {
    ...(cell.productId ? { productId: cell.productId } : {}),
    ...(cell.skuId ? { skuId: cell.skuId } : {}),
    ...(cell.offerId ? { offerId: cell.offerId } : {}),
    ...(title ? { title } : {}),
    ...(cell.term ? { term: cell.term.toUpperCase() } : {}),
    ...(cell.billing ? { billing: cell.billing.toLowerCase() } : {}),
    ...(cell.market ? { market: cell.market.toUpperCase() } : {}),
    ...(effectiveStart ? { effectiveStart } : {}),
    ...(effectiveEnd ? { effectiveEnd } : {}),
    currency: cell.currency.toUpperCase(),
    unitPrice,
    unitPriceText: exactDecimal(cell.unitPrice!.replace(/,/g, '')),
    where: at,
  };
}

/** An ISO 8601 date or date-time cell as written (undefined when empty); anything else names the column and line. */
function isoDate(value: string | undefined, column: string, at: string): string | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw new UserError('prices.csv', `${at}: ${column} ${excerpt(value, 40)} is not a date (expected ISO 8601, such as 2026-11-01 or 2026-11-01T00:00:00Z).`);
}

/** A plain decimal as written, without leading zeros in its whole part or trailing zeros in its fraction: `065.50` → `65.5`. */
export function exactDecimal(text: string): string {
  const [whole = '0', fraction = ''] = text.split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}

/** -1, 0 or 1: two plain decimals (as exactDecimal writes them, or a JavaScript number's own decimal text) compared exactly. */
export function compareDecimal(a: string, b: string): number {
  const [aw, af] = exactDecimal(a).split('.') as [string, string?];
  const [bw, bf] = exactDecimal(b).split('.') as [string, string?];
  if (aw.length !== bw.length) return aw.length < bw.length ? -1 : 1;
  if (aw !== bw) return aw < bw ? -1 : 1;
  const n = Math.max(af?.length ?? 0, bf?.length ?? 0);
  const [x, y] = [(af ?? '').padEnd(n, '0'), (bf ?? '').padEnd(n, '0')];
  return x === y ? 0 : x < y ? -1 : 1;
}
