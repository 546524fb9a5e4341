import { inertText as v } from '../core/inert.js';
import { code, mdText } from '../core/markdown-text.js';
import type { ReportRow, RetiredReport } from './types.js';

export type ReportFormat = 'text' | 'markdown' | 'json' | 'csv';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'json', 'csv'];

/** The one factory; every renderer is a pure function of the report. */
export function renderReport(report: RetiredReport, format: ReportFormat): string {
  return { text: renderText, markdown: renderMarkdown, json: renderJson, csv: renderCsv }[format](report);
}

const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—');
/** Days left to the commitment end; once it has passed the count is negative and says so, so no date in the past reads as a deadline. */
const num = (n?: number) => (n === undefined ? '—' : n < 0 ? `${n} (ended)` : String(n));
/** Assigned users: a count pcsync could not read is "unknown", never blank, 0 or "?" (the report then exits 1). */
const users = (n?: number) => (n === undefined ? 'unknown' : String(n));

function headline(r: RetiredReport): string {
  const seats = r.rows.some((row) => row.seatsUnknown) ? 'unknown' : String(r.rows.reduce((n, row) => n + row.seats, 0));
  const users = r.rows.some((row) => row.assignedUsers === undefined) ? '' : `, ${r.rows.reduce((n, row) => n + (row.assignedUsers ?? 0), 0)} users`;
  return `${r.affectedCustomers} of ${r.customersScanned} customers affected (${r.rows.length} subscriptions, ${seats} seats${users})`;
}

/** `text` makes one value inert for the output format (`inertText` for a terminal, `mdText` for markdown). */
function footer(r: RetiredReport, bullet: string, text: (s: string) => string): string[] {
  const out: string[] = [];
  if (r.alreadyMigrated.length > 0) out.push(`Already migrated (retired subscription suspended): ${r.alreadyMigrated.map((m) => text(m.companyName)).join(', ')}`);
  for (const w of r.warnings) out.push(`${bullet}Warning: ${text(w)}`);
  for (const u of r.unreadable) out.push(`${bullet}Could not read (the report is incomplete): ${text(u)}`);
  if (r.rows.length > 0) out.push('Next: `pcsync import --customer <id>` writes a desired-state file for one customer.');
  return out;
}

function renderText(r: RetiredReport): string {
  const lines = [`Retired CRM Basic (Qualified Offer) subscriptions as of ${day(r.asOf)}: ${headline(r)}`, ''];
  if (r.rows.length > 0) {
    const table = [['DAYS LEFT', 'ENDS', 'CUSTOMER', 'CUSTOMER ID', 'SEATS', 'USERS', 'OFFER'], ...r.rows.map((x) => [num(x.daysLeft), v(day(x.commitmentEndDate)), v(x.companyName), v(x.customerId), x.seatsUnknown ? 'unknown' : String(x.seats), users(x.assignedUsers), v(x.offerName)])];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    const right = new Set([0, 4, 5]);
    for (const row of table) lines.push(row.map((cell, i) => (i === row.length - 1 ? cell : right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  '));
    lines.push('');
  }
  return `${[...lines, ...footer(r, '', v)].join('\n')}\n`;
}

function renderMarkdown(r: RetiredReport): string {
  // The same escaping as the plan's markdown: no HTML, link, mention, table break or control character.
  const lines = [`### Retired CRM Basic (Qualified Offer) subscriptions as of ${mdText(day(r.asOf))}`, '', `${headline(r)}.`, ''];
  if (r.rows.length > 0) {
    lines.push('| Days left | Ends | Customer | Customer id | Offer | Seats | Assigned users | Suggested replacement |', '|---:|---|---|---|---|---:|---:|---|');
    for (const x of r.rows) {
      lines.push(`| ${num(x.daysLeft)} | ${mdText(day(x.commitmentEndDate))} | ${mdText(x.companyName)} | ${code(x.customerId)} | ${mdText(x.offerName)} | ${x.seatsUnknown ? 'unknown' : x.seats} | ${users(x.assignedUsers)} | ${mdText(x.suggestedReplacement ?? '—')} |`);
    }
    lines.push('');
  }
  return `${[...lines, ...footer(r, '- ', mdText).flatMap((l) => [l, ''])].join('\n').trimEnd()}\n`;
}

function renderJson(r: RetiredReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

const CSV_COLUMNS: readonly (keyof ReportRow)[] = [
  'daysLeft',
  'commitmentEndDate',
  'customerId',
  'companyName',
  'domain',
  'subscriptionId',
  'offerName',
  'offerId',
  'priceGroup',
  'seats',
  'assignedUsers',
  'status',
  'suggestedReplacement',
];

/** RFC 4180, each value on one inert line; text that a spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe. */
export function csvCell(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const t = v(String(value));
  const s = /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function renderCsv(r: RetiredReport): string {
  const rows = r.rows.map((x) => CSV_COLUMNS.map((k) => csvCell(x[k])).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
