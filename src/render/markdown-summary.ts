import { customerUsers, redactUsers } from './redact.js';
import { clip, code, count, htmlText, mdText, thousands } from '../core/markdown-text.js';
import { formatMoney, type OfferLine, type PlanFacts } from './plan-facts.js';
import { nameList } from './markdown-rows.js';
import type { CustomerPlan, Plan, Problem } from '../plan/types.js';

/** What "⚠️ irreversible" means, said once. */
export const IRREVERSIBLE_NOTE =
  '⚠️ marks what cannot be undone: a **purchase** commits to its term (you pay for the seats until the term ends; new-commerce seats can be cancelled only within 7 days) a **suspension** is de-provisioned by Partner Center 120 days later (its data goes with it), a new-commerce **cancel** ends the subscription at once and **end at term end** cannot be taken back once the term has ended. Licence moves and waits can be reversed.';

/** The table of what is bought: per offer, seats, customers and, when prices are known, the money. */
export function offerTable(plan: Plan, facts: PlanFacts): string[] {
  if (facts.offers.length === 0) return ['Nothing is bought.', ''];
  const priced = plan.cost !== undefined;
  const head = priced
    ? ['| offer | term | seats (total) | customers | unit price / seat / month | monthly (total) | committed (total) |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |']
    : ['| offer | term | seats (total) | customers |', '| --- | --- | ---: | ---: |'];
  const rows = facts.offers.map((o) => {
    const base = `| ${mdText(o.offerName)} ${tableCode(o.offerId)} | ${mdText(o.terms || '—')} | ${thousands(o.seats)} | ${thousands(o.customers)} |`;
    return priced ? `${base} ${priceCells(o)} |` : base;
  });
  const totals = priced ? (plan.cost!.totals.map((t) => `| **total ${mdText(t.currency)}** | | | | | **${formatMoney(t.currency, t.monthly)}** | **${formatMoney(t.currency, t.committed)}** |`)) : [];
  return [...head, ...rows, ...totals, '', ...priceNote(plan), ''];
}

/** A code span inside a table cell: a `|` from Partner Center must not split the row (GFM reads `\|` as `|`). */
function tableCode(s: string): string {
  return code(s).replace(/\|/g, '\\|');
}

function priceCells(o: OfferLine): string {
  if (o.currency === undefined && o.unknown === 0) return 'several currencies | see the customers | see the customers';
  if (o.currency === undefined) return `price unknown (${o.unknown}) | price unknown | price unknown`;
  const unit = o.unitPrice === undefined ? 'varies' : formatMoney(o.currency, o.unitPrice);
  return `${unit} | ${formatMoney(o.currency, o.monthly!)} | ${formatMoney(o.currency, o.committed!)}`;
}

function priceNote(plan: Plan): string[] {
  if (!plan.cost) return ['<sub>No prices: set `prices:` in pcsync.yaml (a downloaded price list, or the price sheet API) for a cost preview.</sub>'];
  const c = plan.cost;
  const reasons = [...new Set(c.purchases.flatMap((p) => (p.unknown ? [p.unknown] : [])))];
  const why = reasons.length > 0 ? ` Why: ${reasons.slice(0, 3).map((r) => mdText(clip(r, 300))).join('; ')}${reasons.length > 3 ? ` (and ${reasons.length - 3} more, in the details)` : ''}.` : '';
  const unknown = c.unknownPurchases > 0 ? ` **${count(c.unknownPurchases, 'purchase')} with unknown price, not in the totals.**${why}` : '';
  return [`<sub>Prices: ${mdText(c.source)}, market ${mdText(c.market)}. Per offer, totals over every customer buying it; committed = unit price × seats × term months.</sub>${unknown}`];
}

/** Moves and suspensions, one line each, and the irreversible note. */
export function changeLines(facts: PlanFacts): string[] {
  return [
    `- 🔁 **Licence moves:** ${thousands(facts.moved.users)} user(s) at ${thousands(facts.moved.customers)} customer(s), each in one call (new licence in, old out).`,
    `- ⏸️ **Retirements** ⚠️ (suspend, or cancel / end at term end for new commerce): ${thousands(facts.suspends.subscriptions)} subscription(s) at ${thousands(facts.suspends.customers)} customer(s), after their users are moved.`,
    '',
    `<sub>${IRREVERSIBLE_NOTE}</sub>`,
    '',
  ];
}

/** One line per blocked customer with its reasons, outside any collapsed block; grouped by code past `budget`. */
export function blockedLines(facts: PlanFacts, hideUsers: boolean, budget: number): string[] {
  if (facts.blocked.length === 0) return [];
  const head = [`### ⛔ Blocked: nothing is written for ${count(facts.blocked.length, 'customer')}`, ''];
  const each = facts.blocked.map((c) => `- ⛔ **${mdText(c.displayName)}** ${code(c.customerId)}: ${c.blockers.map((b) => `${code(b.code)} ${problemText(c, b, hideUsers)}`).join('; ')}`);
  if (size(each) <= budget) return [...head, ...each, ''];
  const byCode = grouped(facts.blocked.flatMap((c) => c.blockers.map((b) => ({ customer: c, problem: b }))), hideUsers, budget);
  return [...head, ...byCode, ''];
}

/**
 * Every warning, grouped by code at every fleet size: per code, how many customers and the message itself (one
 * customer) or one example and every name in a collapsed block. Each customer's own messages are in its details.
 */
export function warningLines(facts: PlanFacts, hideUsers: boolean, budget: number): string[] {
  if (facts.warnings.length === 0) return [];
  const customers = new Set(facts.warnings.map((w) => w.customer.customerId)).size;
  const head = [`### ⚠️ Warnings at ${count(customers, 'customer')} (marked ⚠️ in the customer table): check these before approving`, ''];
  return [...head, ...grouped(facts.warnings.map(({ customer, warning }) => ({ customer, problem: warning })), hideUsers, budget, '⚠️ '), ''];
}

/**
 * Per code: the message itself when one customer has it, else how many customers, one example message and every
 * customer name in a collapsed block (as many as fit in the code's share of `budget`).
 */
function grouped(items: ReadonlyArray<{ customer: CustomerPlan; problem: Problem }>, hideUsers: boolean, budget: number, mark = ''): string[] {
  const codes = new Map<string, Array<{ customer: CustomerPlan; problem: Problem }>>();
  for (const i of items) codes.set(i.problem.code, [...(codes.get(i.problem.code) ?? []), i]);
  const share = Math.floor(budget / Math.max(1, codes.size)) - 400;
  return [...codes].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([k, list]) => {
    const names = [...new Set(list.map((i) => i.customer.displayName))];
    const first = list[0]!;
    if (names.length === 1 && mark) return list.map((i) => `- ${mark}${code(k)} **${mdText(i.customer.displayName)}**: ${problemText(i.customer, i.problem, hideUsers)}`);
    return [
      `- ${mark}${code(k)} at ${count(names.length, 'customer')}, e.g. **${mdText(first.customer.displayName)}**: ${problemText(first.customer, first.problem, hideUsers)}`,
      `  <details><summary>the ${thousands(names.length)} customer(s)</summary>${nameList(names.map(htmlText), share)}</details>`,
    ];
  });
}

function problemText(c: CustomerPlan, p: Problem, hideUsers: boolean): string {
  const text = hideUsers ? redactUsers(p.message, customerUsers(c)) : p.message;
  return mdText(text);
}

function size(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}
