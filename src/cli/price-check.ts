import { UserError } from '../core/errors.js';
import { money, purchaseCost, type PriceBook, type PurchaseCost } from '../plan/cost.js';
import { formatMoney } from '../render/plan-facts.js';
import { inertText as v } from '../core/inert.js';
import type { Plan, PurchaseAction } from '../plan/types.js';

/**
 * The money check of `apply plan.json`: every purchase about to run is priced again from the price source
 * `pcsync.yaml` configures (the price sheet, read now; or the price-list file, which is part of the desired state
 * the plan must match) and compared with the price in the plan, which the approved actions hash covers.
 * - dearer now (unit price up, or another currency) → refused before any Partner Center request, saying by how much;
 * - unknown now but known when approved (the offer left the sheet, two rows disagree) → refused, naming why;
 * - cheaper now → allowed: less than was approved is spent; returned as lines to show.
 * A purchase whose price was unknown when approved has no approved amount: nothing to compare (with
 * `policy.maxSpendPerRun` such a purchase was blocked at plan time). `at`: the apply's time (ISO), for the price rows
 * that apply when the purchase is made.
 */
export function checkApprovedPrices(plan: Plan, book: PriceBook, shownAs: string, at: string): string[] {
  const approved = new Map((plan.cost?.purchases ?? []).map((p) => [p.actionId, p]));
  const names = new Map(plan.customers.map((c) => [c.customerId, c.displayName]));
  const refusals: string[] = [];
  const cheaper: string[] = [];
  const rise = new Map<string, number>();
  for (const a of plan.customers.flatMap((c) => c.actions.filter((x): x is PurchaseAction => x.kind === 'purchase'))) {
    const then = approved.get(a.id);
    if (then?.currency === undefined) continue;
    const now = purchaseCost(a, book, at);
    const what = `"${v(a.offerName)}" at ${v(names.get(a.customerId) ?? a.customerId)}`;
    if (now.currency === undefined) refusals.push(`${what}: ${unit(then)} when approved, now the price is unknown (${v(now.unknown ?? 'no price')})`);
    else if (now.currency !== then.currency) refusals.push(`${what}: ${unit(then)} when approved, now ${unit(now)} (another currency)`);
    else if (now.unitPrice! > then.unitPrice!) {
      const more = money(now.committed! - then.committed!);
      rise.set(then.currency, money((rise.get(then.currency) ?? 0) + more));
      refusals.push(`${what}: ${unit(then)} → ${unit(now)} (+${formatMoney(then.currency, money(now.unitPrice! - then.unitPrice!))}); committed ${formatMoney(then.currency, then.committed!)} → ${formatMoney(now.currency, now.committed!)} (+${formatMoney(then.currency, more)})`);
    } else if (now.unitPrice! < then.unitPrice!) cheaper.push(`${what}: ${unit(then)} when approved, ${unit(now)} now (cheaper; applied at the new price)`);
  }
  if (refusals.length > 0) {
    const total = [...rise].map(([c, n]) => `+${formatMoney(c, n)}`).join(', ');
    throw new UserError(
      'plan.price-rose',
      `${shownAs}: prices changed since the plan was approved, so it would spend more than reviewers approved${total ? ` (committed ${total} in all)` : ''}; nothing was sent:\n  - ${refusals.join('\n  - ')}\n` +
        `Source now: ${v(book.source)}. Run plan again and review the new prices.`,
    );
  }
  return cheaper;
}

function unit(p: PurchaseCost): string {
  return `${formatMoney(p.currency!, p.unitPrice!)}/seat/month`;
}
