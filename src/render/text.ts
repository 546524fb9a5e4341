import { summarize } from '../plan/summary.js';
import { actionLines, reassignGroupLines } from './text-actions.js';
import { customerUsers, planUsers, redactUsers } from './redact.js';
import { trimmedEnd } from '../core/chunks.js';
import { style, type Style } from './style.js';
import { inertText as v } from '../core/inert.js';
import { byName, costsById, formatMoney, planFacts, purchaseCostText, renewalMoneyText } from './plan-facts.js';
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
  return [...textChunks(plan, options)].join('');
}

/**
 * `renderText` a customer at a time, each chunk whole lines: written as it is made, a fleet's plan is never one
 * string. Users are hidden per chunk — the plan-wide parts with every user the plan names, a customer's part with
 * its own — and lines wrapped per chunk; the same text as the whole at once (both act within a line).
 */
export function* textChunks(plan: Plan, options: RenderOptions = {}): Generator<string> {
  const s = style(options.color ?? false);
  const finish = (text: string, users: () => readonly string[]) => {
    const shown = options.hideUsers ? redactUsers(text, users()) : text;
    return options.width === undefined ? shown : wrapText(shown, options.width);
  };
  let everyone: readonly string[] | undefined;
  const allUsers = () => (everyone ??= planUsers(plan));
  const lines = (list: readonly string[], users: () => readonly string[]) => finish(`${list.join('\n')}\n`, users);
  yield* trimmedEnd(
    (function* () {
      yield lines([...headline(plan, s), '', ...textSummary(plan, planFacts(plan), s), ''], allUsers);
      const customers = byName(plan.customers);
      const blocked = customers.filter((c) => c.blockers.length > 0);
      const unchanged = customers.filter((c) => c.blockers.length === 0 && c.actions.length === 0);
      if (blocked.length > 0) {
        yield lines([s.red(s.bold('BLOCKED — nothing will be changed for these customers:'))], allUsers);
        for (const c of blocked) yield lines([...customerTitle(c, s), ...problems(c.blockers, 'blocker', s), ...problems(c.warnings, 'warning', s), ''], () => customerUsers(c));
      }
      const costs = costsById(plan);
      for (const c of customers) {
        if (c.blockers.length > 0) continue;
        const actions = c.actions; // unpacked once per customer (held-plan.ts)
        if (actions.length === 0) continue;
        const out = [...customerTitle(c, s, actions.length)];
        const reassigns = actions.filter((a): a is ReassignAction => a.kind === 'reassign');
        let grouped = false;
        for (const a of actions) {
          if (a.kind === 'schedule-renewal') out.push(...actionLines(a, s), `        ${v(renewalMoneyText(plan, a))}`);
          else if (a.kind === 'purchase' && costs.has(a.id)) out.push(...actionLines(a, s), s.dim(`        ${v(purchaseCostText(costs.get(a.id)))}`)); // an unknown price's reason names the offer
          else if (a.kind !== 'reassign' || !options.hideUsers) out.push(...actionLines(a, s));
          else if (!grouped) {
            out.push(...reassignGroupLines(reassigns, s));
            grouped = true;
          }
        }
        out.push(...problems(c.warnings, 'warning', s), '');
        yield lines(out, () => customerUsers(c));
      }
      if (unchanged.length > 0) {
        yield lines([s.green('No changes:')], allUsers);
        for (const c of unchanged) yield lines([`  ${v(c.displayName)} (${v(c.customerId)})`, ...problems(c.warnings, 'warning', s)], () => customerUsers(c));
        yield lines([''], allUsers);
      }
      yield lines(closing(plan, s), allUsers);
    })(),
  );
}

function headline(plan: Plan, s: Style): string[] {
  const t = summarize(plan);
  const title = `pcsync plan: ${t.customers} customer(s), ${t.changed} to change, ${t.blocked} blocked`;
  const totals = [
    `seats to buy: ${t.seatsBought}`,
    `users to move: ${t.usersMoved}`,
    `subscriptions to retire: ${t.retirements}`,
    ...renewalCount(plan),
    `blockers: ${t.blockers}`,
    `warnings: ${t.warnings}`,
  ].join(' · ');
  return [s.bold(title), `  ${t.blockers > 0 ? s.red(totals) : totals}`];
}

/** `changes at renewal: N`, only when the plan schedules any (plans without them read as before). */
function renewalCount(plan: Plan): string[] {
  const n = plan.customers.reduce((k, c) => k + c.actions.filter((a) => a.kind === 'schedule-renewal').length, 0);
  return n > 0 ? [`changes at renewal: ${n}`] : [];
}

/** The totals again at the end, where a long plan leaves the reader (the top may have scrolled out of the terminal). */
function closing(plan: Plan, s: Style): string[] {
  const money = (plan.cost?.totals ?? []).map((t) => `  committed ${formatMoney(t.currency, t.committed)} (monthly ${formatMoney(t.currency, t.monthly)}) in ${t.purchases} purchase(s)`);
  const unknown = plan.cost && plan.cost.unknownPurchases > 0 ? [`  ${plan.cost.unknownPurchases} purchase(s) with unknown price, not in the totals`] : [];
  return [s.dim('Totals (as at the top):'), ...headline(plan, s), ...money, ...unknown, `  actions hash ${v(plan.actionsHash)}`];
}

function customerTitle(c: CustomerPlan, s: Style, actions = c.actions.length): string[] {
  const count = actions > 0 ? ` — ${actions} action(s)` : '';
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
