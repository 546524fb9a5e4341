import { summarize } from '../plan/summary.js';
import { actionLines, reassignGroupLines } from './text-actions.js';
import { planUsers, redactUsers } from './redact.js';
import { style, type Style } from './style.js';
import { inertText as v } from '../core/inert.js';
import { byName, costsById, formatMoney, planFacts, purchaseCostText } from './plan-facts.js';
import { textSummary } from './text-summary.js';
import { wrapText } from './wrap.js';
import type { CustomerPlan, Plan, Problem, ReassignAction } from '../plan/types.js';
import type { RenderOptions } from './options.js';

/**
 * The plan for an operations person: a headline of totals, what is bought (per offer, with prices when known),
 * moves, suspensions and warnings, blocked customers first (nothing will be written
 * for them), then each changing customer's actions in run order with the reason under each, and finally the
 * customers already in the desired state; customers by name in each part, as in the markdown (`byName`). With `options.width`, every line fits that many columns (wrapped at spaces).
 */
export function renderText(plan: Plan, options: RenderOptions = {}): string {
  const s = style(options.color ?? false);
  const out = [...headline(plan, s), '', ...textSummary(plan, planFacts(plan), s), ''];
  const customers = byName(plan.customers);
  const blocked = customers.filter((c) => c.blockers.length > 0);
  const changing = customers.filter((c) => c.blockers.length === 0 && c.actions.length > 0);
  const unchanged = customers.filter((c) => c.blockers.length === 0 && c.actions.length === 0);
  if (blocked.length > 0) {
    out.push(s.red(s.bold('BLOCKED — nothing will be changed for these customers:')));
    for (const c of blocked) out.push(...customerTitle(c, s), ...problems(c.blockers, 'blocker', s), ...problems(c.warnings, 'warning', s), '');
  }
  const costs = costsById(plan);
  for (const c of changing) {
    out.push(...customerTitle(c, s));
    const reassigns = c.actions.filter((a): a is ReassignAction => a.kind === 'reassign');
    let grouped = false;
    for (const a of c.actions) {
      if (a.kind === 'purchase' && costs.has(a.id)) out.push(...actionLines(a, s), s.dim(`        ${v(purchaseCostText(costs.get(a.id)))}`)); // an unknown price's reason names the offer
      else if (a.kind !== 'reassign' || !options.hideUsers) out.push(...actionLines(a, s));
      else if (!grouped) {
        out.push(...reassignGroupLines(reassigns, s));
        grouped = true;
      }
    }
    out.push(...problems(c.warnings, 'warning', s), '');
  }
  if (unchanged.length > 0) {
    out.push(s.green('No changes:'));
    for (const c of unchanged) out.push(`  ${v(c.displayName)} (${v(c.customerId)})`, ...problems(c.warnings, 'warning', s));
    out.push('');
  }
  out.push(...closing(plan, s));
  const text = `${out.join('\n').trimEnd()}\n`;
  const shown = options.hideUsers ? redactUsers(text, planUsers(plan)) : text;
  return options.width === undefined ? shown : wrapText(shown, options.width);
}

function headline(plan: Plan, s: Style): string[] {
  const t = summarize(plan);
  const title = `pcsync plan: ${t.customers} customer(s), ${t.changed} to change, ${t.blocked} blocked`;
  const totals = [
    `seats to buy: ${t.seatsBought}`,
    `users to move: ${t.usersMoved}`,
    `subscriptions to retire: ${t.retirements}`,
    `blockers: ${t.blockers}`,
    `warnings: ${t.warnings}`,
  ].join(' · ');
  return [s.bold(title), `  ${t.blockers > 0 ? s.red(totals) : totals}`];
}

/** The totals again at the end, where a long plan leaves the reader (the top may have scrolled out of the terminal). */
function closing(plan: Plan, s: Style): string[] {
  const money = (plan.cost?.totals ?? []).map((t) => `  committed ${formatMoney(t.currency, t.committed)} (monthly ${formatMoney(t.currency, t.monthly)}) in ${t.purchases} purchase(s)`);
  const unknown = plan.cost && plan.cost.unknownPurchases > 0 ? [`  ${plan.cost.unknownPurchases} purchase(s) with unknown price, not in the totals`] : [];
  return [s.dim('Totals (as at the top):'), ...headline(plan, s), ...money, ...unknown, `  actions hash ${v(plan.actionsHash)}`];
}

function customerTitle(c: CustomerPlan, s: Style): string[] {
  const count = c.actions.length > 0 ? ` — ${c.actions.length} action(s)` : '';
  return [`${s.bold(`${v(c.displayName)} (${v(c.customerId)})`)}  ${s.dim(v(c.file))}${count}`];
}

function problems(list: readonly Problem[], kind: 'blocker' | 'warning', s: Style): string[] {
  const mark = kind === 'blocker' ? s.red('✗ blocker') : s.yellow('⚠ warning');
  return list.flatMap((p) => [
    `  ${mark} ${v(p.code)}: ${v(p.message)}`,
    ...(p.hint ? [s.dim(`        hint: ${v(p.hint)}`)] : []),
    ...(p.source ? [s.dim(`        at ${v(p.source.file)}:${p.source.line}:${p.source.column}`)] : []),
  ]);
}
