import { inertText as v } from '../core/inert.js';
import { formatMoney, type PlanFacts } from './plan-facts.js';
import type { Plan } from '../plan/types.js';
import type { Style } from './style.js';

/**
 * The reviewer's summary in text: the same facts as the markdown summary, one line each. Offer names and ids,
 * terms, the price source, customer names and warnings come from outside: each is one inert line (`v`), so no
 * value can start a line of its own that reads like pcsync's.
 */
export function textSummary(plan: Plan, facts: PlanFacts, s: Style): string[] {
  const out = [s.bold('What is bought:')];
  if (facts.offers.length === 0) out.push('  nothing');
  for (const o of facts.offers) {
    const money = plan.cost
      ? o.currency === undefined
        ? o.unknown > 0 ? ` · price unknown for ${o.unknown} purchase(s)` : ' · prices in several currencies'
        : ` · ${o.unitPrice === undefined ? 'unit price varies' : `${formatMoney(o.currency, o.unitPrice)}/seat/month`} · monthly ${formatMoney(o.currency, o.monthly!)} · committed ${formatMoney(o.currency, o.committed!)}`
      : '';
    out.push(`  ${s.green('+')} ${v(o.offerName)} (${v(o.offerId)})${o.terms ? ` ${v(o.terms)}` : ''}: ${o.seats} seat(s) at ${o.customers} customer(s)${money}`);
  }
  if (plan.cost) {
    for (const t of plan.cost.totals) out.push(`  total ${v(t.currency)}: monthly ${formatMoney(t.currency, t.monthly)} · committed ${formatMoney(t.currency, t.committed)} (${t.purchases} purchase(s))`);
    if (plan.cost.unknownPurchases > 0) out.push(s.yellow(`  ${plan.cost.unknownPurchases} purchase(s) with unknown price, not in the totals`));
    out.push(s.dim(`  prices: ${v(plan.cost.source)}, market ${v(plan.cost.market)}; committed = unit price × seats × term months`));
  }
  out.push(`Licence moves: ${facts.moved.users} user(s) at ${facts.moved.customers} customer(s)`);
  out.push(`Retirements (suspend; cancel or end at term end for new commerce): ${facts.suspends.subscriptions} subscription(s) at ${facts.suspends.customers} customer(s)`);
  out.push(s.dim('[irreversible] = a purchase commits to its term; a suspension is de-provisioned 120 days later.'));
  if (facts.warnings.length > 0) {
    out.push(s.yellow(`Warnings (${facts.warnings.length}):`));
    for (const { customer, warning } of facts.warnings) out.push(`  ${s.yellow('⚠')} ${v(warning.code)} ${v(customer.displayName)}: ${v(warning.message)}`);
  }
  return out;
}
