import { inertText as v } from '../core/inert.js';
import { mdText } from '../core/markdown-text.js';
import type { RenewalReport, RenewalRow } from './renewals.js';
import { batched, csvCell, jsonChunks, type ReportFormat } from './render.js';
import { trimmedEnd } from '../core/chunks.js';

/** The renewal report in each format; pure functions of the report. */
export function renderRenewals(r: RenewalReport, format: ReportFormat): string {
  return [...renewalsChunks(r, format)].join('');
}

/** `renderRenewals` in parts of whole lines, as `pcsync report --renewals` writes it. */
export function renewalsChunks(r: RenewalReport, format: ReportFormat): Iterable<string> {
  const lines = { text: () => trimmedEnd(text(r)), markdown: () => trimmedEnd(markdown(r)), json: () => jsonChunks(r), csv: () => csv(r) }[format];
  return batched(lines());
}

function* eachLine(lines: Iterable<string>, eol = '\n'): Generator<string> {
  for (const l of lines) yield `${l}${eol}`;
}

const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—');
const num = (n?: number) => (n === undefined ? '?' : String(n));
const yesNo = (b?: boolean) => (b === undefined ? '?' : b ? 'on' : 'off');
const kind = (x: RenewalRow) => (x.commerce === 'new' ? 'NCE' : 'legacy');

function headline(r: RenewalReport): string {
  const action = r.rows.filter((x) => x.risk === 'extended-term' || x.risk === 'retired-offer').length;
  const missing = r.unreadable.length > 0 ? `; ${r.unreadable.length} customer(s) could not be read` : '';
  const within = r.withinDays !== undefined ? ` with a deadline within ${r.withinDays} day(s)` : '';
  return `${r.rows.length} active subscription(s)${within} at ${r.customersScanned} customer(s); ${action} need action${missing}`;
}

function* text(r: RenewalReport): Generator<string> {
  const lines = [`Renewals as of ${day(r.asOf)}: ${headline(r)}`, ''];
  if (r.rows.length > 0) {
    const table = [
      ['DAYS', 'DEADLINE', 'RISK', 'CUSTOMER', 'KIND', 'TERM', 'BILLING', 'TERM END', 'AUTO-RENEW', 'CANCEL UNTIL', 'SEATS', 'OFFER'],
      // Names, terms and dates come from Partner Center: each cell is one inert line.
      ...r.rows.map((x) => [num(x.daysLeft), day(x.deadline), x.risk, x.companyName, kind(x), x.term ?? '—', x.billing ?? '—', day(x.termEnd), yesNo(x.autoRenew), day(x.cancellationDeadline), String(x.seats), x.offerName].map(v)),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    yield* eachLine(lines);
    lines.length = 0;
    for (const row of table) yield `${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`;
    yield '\n';
    for (const x of r.rows) if (x.risk !== 'renews' && x.risk !== 'ends') yield `${v(x.companyName)} — ${v(x.offerName)}: ${v(x.action)}\n`;
  }
  if (r.unreadable.length > 0) lines.push('', 'Not read (their subscriptions are unknown, not absent):', ...r.unreadable.map((u) => `  ${v(u)}`));
  yield* eachLine(lines);
}

function* markdown(r: RenewalReport): Generator<string> {
  const lines = [`### Renewals as of ${day(r.asOf)}`, '', `${headline(r)}.`, ''];
  if (r.rows.length > 0) {
    lines.push('| Days | Deadline | Risk | Customer | Kind | Term | Billing | Term end | Auto-renew | Cancel until | Seats | Offer | What to do |', '|---:|---|---|---|---|---|---|---|---|---|---:|---|---|');
    for (const x of r.rows) {
      const cells = [num(x.daysLeft), day(x.deadline), x.risk, x.companyName, kind(x), x.term ?? '—', x.billing ?? '—', day(x.termEnd), yesNo(x.autoRenew), day(x.cancellationDeadline), String(x.seats), x.offerName, x.action].map(mdText);
      lines.push(`| ${cells.join(' | ')} |`);
      yield* eachLine(lines);
      lines.length = 0;
    }
  }
  if (r.unreadable.length > 0) lines.push('', '**Not read** (their subscriptions are unknown, not absent):', '', ...r.unreadable.map((u) => `- ${mdText(u)}`));
  yield* eachLine(lines);
}

const CSV_COLUMNS: readonly (keyof RenewalRow)[] = ['daysLeft', 'deadline', 'risk', 'customerId', 'companyName', 'subscriptionId', 'offerName', 'commerce', 'term', 'billing', 'termEnd', 'autoRenew', 'cancellationDeadline', 'seats', 'action'];

function* csv(r: RenewalReport): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const x of r.rows) yield `${CSV_COLUMNS.map((k) => csvCell(x[k])).join(',')}\r\n`;
}
