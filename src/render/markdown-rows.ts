import { code, count, htmlText, mdText, thousands } from '../core/markdown-text.js';
import { formatMoney, type CustomerRow, type PlanFacts } from './plan-facts.js';
import { money } from '../plan/cost.js';

/**
 * Every customer, named: one compact table row each (sorted by name) when they fit in `budget`, first with
 * product names, then with the offer's letter from the summary table; past that, customers with identical
 * changes are grouped with a count and their names in a collapsed block. Returns undefined when even that
 * does not fit (the caller then says so and points at the full rendering).
 */
export function customerRows(facts: PlanFacts, priced: boolean, budget: number): string[] | undefined {
  const letters = new Map(facts.offers.map((o, i) => [o.offerName, letter(i)]));
  const byName = table(facts, priced, (name) => name);
  if (size(byName) <= budget) return byName;
  const byLetter = table(facts, priced, (name) => letters.get(name) ?? name);
  if (size(byLetter) <= budget) return [...byLetter.slice(0, 4), legend(facts), '', ...byLetter.slice(4)];
  const frame = groupedRows(facts, priced, (name) => letters.get(name) ?? name, 0);
  const names = budget - size(frame);
  return names > 0 ? groupedRows(facts, priced, (name) => letters.get(name) ?? name, names) : undefined;
}

/** Names joined while they fit in `max` characters, then `… and N more`. */
export function nameList(names: readonly string[], max: number): string {
  const out: string[] = [];
  let used = 0;
  for (const n of names) {
    if (used + n.length + 2 > max) break;
    out.push(n);
    used += n.length + 2;
  }
  const more = names.length - out.length;
  return `${out.join(', ')}${more > 0 ? `${out.length > 0 ? ' ' : ''}… and ${thousands(more)} more (in the complete plan)` : ''}`;
}

/** Offer letters: A … Z, then AA, AB, … */
export function letter(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `${letter(Math.floor(i / 26) - 1)}${letter(i % 26)}`;
}

function legend(facts: PlanFacts): string {
  return `<sub>Offers: ${facts.offers.map((o, i) => `**${letter(i)}** = ${mdText(o.offerName)}`).join(' · ')}</sub>`;
}

/** ⛔ blocked (nothing is written), ⚠️ has warnings: the marks a row carries before the name. */
function marks(r: CustomerRow): string {
  return `${r.blocked ? '⛔ ' : ''}${r.customer.warnings.length > 0 ? '⚠️ ' : ''}`;
}

/** What the marks and the figures of the customer table are, said once above it. */
function key(facts: PlanFacts, priced: boolean, grouped: boolean): string {
  const parts = [
    ...(facts.blocked.length > 0 ? ['⛔ blocked: nothing is written'] : []),
    ...(facts.warnings.length > 0 ? ['⚠️ has warnings (listed above, and in its details)'] : []),
    grouped ? 'figures are per customer ("each"); "together" is the whole group' : `figures are this customer's own${priced ? '; committed = what its purchases commit to' : ''}`,
  ];
  return `<sub>${parts.join(' · ')}</sub>`;
}

function table(facts: PlanFacts, priced: boolean, offer: (name: string) => string): string[] {
  const head = [`### Customers (${thousands(facts.rows.length)}), by name`, '', key(facts, priced, false), ''];
  const cols = ['| customer | buys (seats × offer) | users moved | retirements |', '| --- | --- | ---: | ---: |'];
  const rows = facts.rows.map((r) => `| ${marks(r)}${mdText(r.customer.displayName)} | ${what(r, offer)} | ${r.moved || ''} | ${r.suspends || ''} |${priced ? ` ${cost(r)} |` : ''}`);
  return [...head, priced ? `${cols[0]} committed |` : cols[0]!, priced ? `${cols[1]} ---: |` : cols[1]!, ...rows, ''];
}

/**
 * Groups of identical changes (blocked first, then warned, then by size); the names share `namesBudget` characters,
 * in proportion to each group's size.
 */
function groupedRows(facts: PlanFacts, priced: boolean, offer: (name: string) => string, namesBudget: number): string[] {
  const groups = new Map<string, CustomerRow[]>();
  for (const r of facts.rows) {
    const warned = [...new Set(r.customer.warnings.map((w) => code(w.code)))].join(', ');
    const parts = [what(r, offer), ...(r.moved > 0 ? [`moves ${count(r.moved, 'user')}`] : []), ...(r.suspends > 0 ? [`retires ${count(r.suspends, 'subscription')}`] : []), ...(warned ? [`warnings ${warned}`] : [])];
    const change = `${marks(r)}${parts.join(' · ')}`;
    groups.set(`${change}\u0000${priced ? cost(r) : ''}`, [...(groups.get(`${change}\u0000${priced ? cost(r) : ''}`) ?? []), r]);
  }
  // blocked groups first, then those with warnings, then the largest: what needs a reviewer's eye comes first
  const rank = (rows: readonly CustomerRow[]) => (rows[0]!.blocked ? 0 : rows[0]!.customer.warnings.length > 0 ? 1 : 2);
  const ordered = [...groups].sort(([ka, a], [kb, b]) => rank(a) - rank(b) || b.length - a.length || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const lines = ordered.map(([k, rows]) => {
    const share = Math.floor((namesBudget * rows.length) / facts.rows.length) - 60;
    const names = nameList(rows.map((r) => htmlText(r.customer.displayName)), share);
    const [change] = k.split('\u0000');
    return `- **${count(rows.length, 'customer')}**, each: ${change}${priced ? groupCost(rows) : ''}\n  <details><summary>names</summary>${names}</details>`;
  });
  return [`### Customers (${thousands(facts.rows.length)}), grouped by identical changes`, '', key(facts, priced, true), '', legend(facts), '', ...lines, ''];
}

function what(r: CustomerRow, offer: (name: string) => string): string {
  if (r.blocked) return `blocked: ${[...new Set(r.customer.blockers.map((b) => code(b.code)))].join(', ')}`;
  if (r.buys.length === 0 && r.moved === 0 && r.suspends === 0) return 'no changes';
  return r.buys.map((b) => `${b.seats} × ${mdText(offer(b.offerName))}`).join(', ') || '—';
}

/** ` · USD 4,680.00 committed each, USD 327,600.00 together` (every row of a group has the same cost). */
function groupCost(rows: readonly CustomerRow[]): string {
  const r = rows[0]!;
  if (r.costUnknown) return ' · price unknown';
  if (r.cost.length === 0) return '';
  const together = r.cost.map((c) => formatMoney(c.currency, money(c.amount * rows.length))).join(' + ');
  return ` · ${cost(r)} committed each${rows.length > 1 ? `, ${together} together` : ''}`;
}

function cost(r: CustomerRow): string {
  if (r.costUnknown) return 'price unknown';
  return r.cost.map((c) => formatMoney(c.currency, c.amount)).join(' + ');
}

function size(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}
