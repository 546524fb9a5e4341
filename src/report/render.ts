import { inertText as v } from '../core/inert.js';
import { code, mdText } from '../core/markdown-text.js';
import { trimmedEnd } from '../core/chunks.js';
import type { ReportRow, RetiredReport } from './types.js';

export type ReportFormat = 'text' | 'markdown' | 'json' | 'csv';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'json', 'csv'];

/** The one factory; every renderer is a pure function of the report. */
export function renderReport(report: RetiredReport, format: ReportFormat): string {
  return [...reportChunks(report, format)].join('');
}

/** `renderReport` in parts of whole lines, as `pcsync report` writes it: the rendering of a fleet is never one string. */
export function reportChunks(report: RetiredReport, format: ReportFormat): Iterable<string> {
  return batched({ text: renderText, markdown: renderMarkdown, json: (r: RetiredReport) => jsonChunks(r), csv: renderCsv }[format](report));
}

/**
 * `JSON.stringify(value, null, 2)` + newline with the array `value[key]` handed on an item at a time (the same
 * bytes: each item's text indented into place).
 */
export function* jsonChunks<T extends object>(value: T, key = 'rows'): Generator<string> {
  const items = (value as Record<string, unknown>)[key];
  const slot = JSON.stringify('\u0000pcsync:items');
  const outer = `${JSON.stringify({ ...value, [key]: JSON.parse(slot) }, null, 2)}\n`;
  const at = outer.indexOf(slot);
  if (!Array.isArray(items) || items.length === 0 || at < 0) {
    yield `${JSON.stringify(value, null, 2)}\n`;
    return;
  }
  // the array's own indent: the spaces before the key on its line
  const indent = ' '.repeat(outer.slice(outer.lastIndexOf('\n', at) + 1).search(/\S/) + 2);
  yield `${outer.slice(0, at)}[\n`;
  const last = items.length - 1;
  for (const [i, item] of items.entries()) yield `${indent}${(JSON.stringify(item, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`)}${i < last ? ',' : ''}\n`;
  yield `${indent.slice(2)}]${outer.slice(at + slot.length)}`;
}

/** Chunks joined into parts of about 64 KB: a line per write would cost more than it saves. */
export function* batched(chunks: Iterable<string>, size = 65_536): Generator<string> {
  let part = '';
  for (const chunk of chunks) {
    part += chunk;
    if (part.length >= size) {
      yield part;
      part = '';
    }
  }
  if (part !== '') yield part;
}

/** Lines, each with its newline. */
function* eachLine(lines: Iterable<string>, eol = '\n'): Generator<string> {
  for (const l of lines) yield `${l}${eol}`;
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

function* renderText(r: RetiredReport): Generator<string> {
  const lines = [`Retired CRM Basic (Qualified Offer) subscriptions as of ${day(r.asOf)}: ${headline(r)}`, ''];
  if (r.rows.length > 0) {
    const table = [['DAYS LEFT', 'ENDS', 'CUSTOMER', 'CUSTOMER ID', 'SEATS', 'USERS', 'OFFER'], ...r.rows.map((x) => [num(x.daysLeft), v(day(x.commitmentEndDate)), v(x.companyName), v(x.customerId), x.seatsUnknown ? 'unknown' : String(x.seats), users(x.assignedUsers), v(x.offerName)])];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    const right = new Set([0, 4, 5]);
    yield* eachLine(lines);
    lines.length = 0;
    for (const row of table) yield `${row.map((cell, i) => (i === row.length - 1 ? cell : right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}\n`;
    lines.push('');
  }
  yield* eachLine([...lines, ...footer(r, '', v)]);
}

function renderMarkdown(r: RetiredReport): Iterable<string> {
  return trimmedEnd(markdownLines(r));
}

function* markdownLines(r: RetiredReport): Generator<string> {
  // The same escaping as the plan's markdown: no HTML, link, mention, table break or control character.
  const lines = [`### Retired CRM Basic (Qualified Offer) subscriptions as of ${mdText(day(r.asOf))}`, '', `${headline(r)}.`, ''];
  if (r.rows.length > 0) {
    lines.push('| Days left | Ends | Customer | Customer id | Offer | Seats | Assigned users | Suggested replacement |', '|---:|---|---|---|---|---:|---:|---|');
    yield* eachLine(lines);
    lines.length = 0;
    for (const x of r.rows) {
      yield `| ${num(x.daysLeft)} | ${mdText(day(x.commitmentEndDate))} | ${mdText(x.companyName)} | ${code(x.customerId)} | ${mdText(x.offerName)} | ${x.seatsUnknown ? 'unknown' : x.seats} | ${users(x.assignedUsers)} | ${mdText(x.suggestedReplacement ?? '—')} |\n`;
    }
    lines.push('');
  }
  yield* eachLine([...lines, ...footer(r, '- ', mdText).flatMap((l) => [l, ''])]);
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

function* renderCsv(r: RetiredReport): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const x of r.rows) yield `${CSV_COLUMNS.map((k) => csvCell(x[k])).join(',')}\r\n`;
}
