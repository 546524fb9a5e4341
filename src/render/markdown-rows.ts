import { code, count, htmlText, mdText, thousands } from './markdown-text.js';
import { formatMoney, type CustomerRow, type PlanFacts } from './plan-facts.js';

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
  if (size(byLetter) <= budget) return [...byLetter.slice(0, 2), legend(facts), '', ...byLetter.slice(2)];
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

function table(facts: PlanFacts, priced: boolean, offer: (name: string) => string): string[] {
  const head = [`### Customers (${thousands(facts.rows.length)}), by name`, ''];
  const cols = ['| customer | buys | users moved | suspends |', '| --- | --- | ---: | ---: |'];
  const rows = facts.rows.map((r) => `| ${r.blocked ? '⛔ ' : ''}${mdText(r.customer.displayName)} | ${what(r, offer)} | ${r.moved || ''} | ${r.suspends || ''} |${priced ? ` ${cost(r)} |` : ''}`);
  return [...head, priced ? `${cols[0]} committed |` : cols[0]!, priced ? `${cols[1]} ---: |` : cols[1]!, ...rows, ''];
}

/** Groups of identical changes; the names share `namesBudget` characters, in proportion to each group's size. */
function groupedRows(facts: PlanFacts, priced: boolean, offer: (name: string) => string, namesBudget: number): string[] {
  const groups = new Map<string, CustomerRow[]>();
  for (const r of facts.rows) {
    const key = `${what(r, offer)} · moves ${r.moved} · suspends ${r.suspends}${priced ? ` · ${cost(r)}` : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = [...groups].map(([key, rows]) => {
    const share = Math.floor((namesBudget * rows.length) / facts.rows.length) - 60;
    const names = nameList(rows.map((r) => htmlText(r.customer.displayName)), share);
    return `- **${count(rows.length, 'customer')}**: ${key}\n  <details><summary>names</summary>${names}</details>`;
  });
  return [`### Customers (${thousands(facts.rows.length)}), grouped by identical changes`, '', legend(facts), '', ...lines, ''];
}

function what(r: CustomerRow, offer: (name: string) => string): string {
  if (r.blocked) return `blocked: ${[...new Set(r.customer.blockers.map((b) => code(b.code)))].join(', ')}`;
  if (r.buys.length === 0 && r.moved === 0 && r.suspends === 0) return 'no changes';
  return r.buys.map((b) => `${b.seats} × ${mdText(offer(b.offerName))}`).join(', ') || '—';
}

function cost(r: CustomerRow): string {
  if (r.costUnknown) return 'price unknown';
  return r.cost.map((c) => formatMoney(c.currency, c.amount)).join(' + ');
}

function size(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}
