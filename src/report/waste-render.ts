import { inertText as v } from '../core/inert.js';
import { mdText } from '../core/markdown-text.js';
import { formatMoney } from '../core/money.js';
import type { WasteReport, WasteRow } from './waste.js';
import { csvCell, type ReportFormat } from './render.js';

/** The waste report in each format; pure functions of the report. */
export function renderWaste(r: WasteReport, format: ReportFormat): string {
  return { text, markdown, json: (x: WasteReport) => `${JSON.stringify(x, null, 2)}\n`, csv }[format](r);
}

const num = (n?: number) => (n === undefined ? '?' : String(n));
const cost = (x: WasteRow, n?: number) => (n === undefined || x.currency === undefined ? 'unknown' : formatMoney(x.currency, n));
const kind = (x: WasteRow) => (x.commerce === 'new' ? 'NCE' : 'legacy');

function totalLine(r: WasteReport): string {
  const t = r.totals;
  const c = t.currency ?? '';
  const money = t.unassignedMonthlyCost !== null && c ? `${formatMoney(c, t.unassignedMonthlyCost)}/month for unassigned seats (of ${formatMoney(c, t.monthlyCost!)}/month billed)` : `unassigned seats cost unknown: ${t.unknownPrices} subscription(s) without a known price${c ? `; the priced ones: ${formatMoney(c, t.pricedUnassignedMonthlyCost)}/month of ${formatMoney(c, t.pricedMonthlyCost)}/month` : ''}`;
  return `${t.seats} seat(s) paid, ${t.assigned} assigned, ${t.unassigned} unassigned at ${r.customersScanned} customer(s); ${money}`;
}

function text(r: WasteReport): string {
  const lines = [`Waste as of ${r.asOf.slice(0, 10)}: ${totalLine(r)}`, `Prices: ${v(r.prices)}`, ''];
  if (r.rows.length > 0) {
    const table = [
      ['CUSTOMER', 'KIND', 'SEATS', 'ASSIGNED', 'UNASSIGNED', 'PRICE/SEAT/MONTH', 'UNASSIGNED/MONTH', 'REDUCE FROM', 'OFFER'],
      ...r.rows.map((x) => [x.companyName, kind(x), String(x.seats), num(x.assigned), num(x.unassigned), cost(x, x.unitPrice), cost(x, x.unassignedMonthlyCost), x.reducibleFrom ?? '?', x.offerName].map(v)),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) lines.push(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
    const unknown = r.rows.filter((x) => x.priceUnknown);
    if (unknown.length > 0) lines.push('', 'Price unknown (not counted as 0):', ...unknown.map((x) => `  ${v(x.companyName)} — ${v(x.offerName)}: ${v(x.priceUnknown!)}`));
  }
  if (r.unreadable.length > 0) lines.push('', 'Not read (their subscriptions are unknown, not absent):', ...r.unreadable.map((u) => `  ${v(u)}`));
  return `${lines.join('\n').trimEnd()}\n`;
}

function markdown(r: WasteReport): string {
  const lines = [`### Unused seats as of ${r.asOf.slice(0, 10)}`, '', `${mdText(totalLine(r))}. Prices: ${mdText(r.prices)}.`, ''];
  if (r.rows.length > 0) {
    lines.push('| Customer | Kind | Seats | Assigned | Unassigned | Price/seat/month | Unassigned/month | Reduce from | How | Offer |', '|---|---|---:|---:|---:|---:|---:|---|---|---|');
    for (const x of r.rows) {
      const cells = [x.companyName, kind(x), String(x.seats), num(x.assigned), num(x.unassigned), cost(x, x.unitPrice), cost(x, x.unassignedMonthlyCost), x.reducibleFrom ?? '?', x.reducibleHow, x.offerName].map(mdText);
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  if (r.unreadable.length > 0) lines.push('', '**Not read** (their subscriptions are unknown, not absent):', '', ...r.unreadable.map((u) => `- ${mdText(u)}`));
  return `${lines.join('\n').trimEnd()}\n`;
}

const CSV_COLUMNS: readonly (keyof WasteRow)[] = ['customerId', 'companyName', 'subscriptionId', 'offerName', 'offerId', 'commerce', 'seats', 'assigned', 'unassigned', 'currency', 'unitPrice', 'monthlyCost', 'unassignedMonthlyCost', 'priceUnknown', 'reducibleFrom', 'reducibleHow'];

function csv(r: WasteReport): string {
  return `${[CSV_COLUMNS.join(','), ...r.rows.map((x) => CSV_COLUMNS.map((k) => csvCell(x[k])).join(','))].join('\r\n')}\r\n`;
}
