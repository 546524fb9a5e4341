import { inertText as v } from '../core/inert.js';
import { mdText } from '../core/markdown-text.js';
import type { RenewalReport, RenewalRow } from './renewals.js';
import { csvCell, type ReportFormat } from './render.js';

/** The renewal report in each format; pure functions of the report. */
export function renderRenewals(r: RenewalReport, format: ReportFormat): string {
  return { text, markdown, json: (x: RenewalReport) => `${JSON.stringify(x, null, 2)}\n`, csv }[format](r);
}

const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—');
const num = (n?: number) => (n === undefined ? '?' : String(n));
const yesNo = (b?: boolean) => (b === undefined ? '?' : b ? 'on' : 'off');
const kind = (x: RenewalRow) => (x.commerce === 'new' ? 'NCE' : 'legacy');

function headline(r: RenewalReport): string {
  const action = r.rows.filter((x) => x.risk === 'extended-term' || x.risk === 'retired-offer').length;
  const missing = r.unreadable.length > 0 ? `; ${r.unreadable.length} customer(s) could not be read` : '';
  return `${r.rows.length} active subscription(s) at ${r.customersScanned} customer(s); ${action} need action${missing}`;
}

function text(r: RenewalReport): string {
  const lines = [`Renewals as of ${day(r.asOf)}: ${headline(r)}`, ''];
  if (r.rows.length > 0) {
    const table = [
      ['DAYS', 'DEADLINE', 'RISK', 'CUSTOMER', 'KIND', 'TERM', 'BILLING', 'TERM END', 'AUTO-RENEW', 'CANCEL UNTIL', 'SEATS', 'OFFER'],
      // Names, terms and dates come from Partner Center: each cell is one inert line.
      ...r.rows.map((x) => [num(x.daysLeft), day(x.deadline), x.risk, x.companyName, kind(x), x.term ?? '—', x.billing ?? '—', day(x.termEnd), yesNo(x.autoRenew), day(x.cancellationDeadline), String(x.seats), x.offerName].map(v)),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) lines.push(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
    lines.push('');
    for (const x of r.rows.filter((row) => row.risk !== 'renews' && row.risk !== 'ends')) lines.push(`${v(x.companyName)} — ${v(x.offerName)}: ${v(x.action)}`);
  }
  if (r.unreadable.length > 0) lines.push('', 'Not read (their subscriptions are unknown, not absent):', ...r.unreadable.map((u) => `  ${v(u)}`));
  return `${lines.join('\n').trimEnd()}\n`;
}

function markdown(r: RenewalReport): string {
  const lines = [`### Renewals as of ${day(r.asOf)}`, '', `${headline(r)}.`, ''];
  if (r.rows.length > 0) {
    lines.push('| Days | Deadline | Risk | Customer | Kind | Term | Billing | Term end | Auto-renew | Cancel until | Seats | Offer | What to do |', '|---:|---|---|---|---|---|---|---|---|---|---:|---|---|');
    for (const x of r.rows) {
      const cells = [num(x.daysLeft), day(x.deadline), x.risk, x.companyName, kind(x), x.term ?? '—', x.billing ?? '—', day(x.termEnd), yesNo(x.autoRenew), day(x.cancellationDeadline), String(x.seats), x.offerName, x.action].map(mdText);
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  if (r.unreadable.length > 0) lines.push('', '**Not read** (their subscriptions are unknown, not absent):', '', ...r.unreadable.map((u) => `- ${mdText(u)}`));
  return `${lines.join('\n').trimEnd()}\n`;
}

const CSV_COLUMNS: readonly (keyof RenewalRow)[] = ['daysLeft', 'deadline', 'risk', 'customerId', 'companyName', 'subscriptionId', 'offerName', 'commerce', 'term', 'billing', 'termEnd', 'autoRenew', 'cancellationDeadline', 'seats', 'action'];

function csv(r: RenewalReport): string {
  return `${[CSV_COLUMNS.join(','), ...r.rows.map((x) => CSV_COLUMNS.map((k) => csvCell(x[k])).join(','))].join('\r\n')}\r\n`;
}
