import { UserError } from '../core/errors.js';
import { money, purchaseCost, type PriceBook, type PurchaseCost } from '../plan/cost.js';
import { compareDecimal } from '../prices/csv.js';
import { formatMoney } from '../core/money.js';
import { inertText as v } from '../core/inert.js';
import type { Plan, PurchaseAction } from '../plan/types.js';

/**
 * The money check of `apply plan.json`: every purchase about to run is priced again from the price source
 * `pcsync.yaml` configures (the price sheet, read now; or the price-list file, which is part of the desired state
 * the plan must match) and compared with the price in the plan, which the approved actions hash covers.
 * - dearer now (unit price up — compared exactly, as the source writes it, so a rise below a cent a month counts —
 *   or another currency) → refused before any Partner Center request, saying by how much;
 * - unknown now but known when approved (the offer left the sheet, two rows disagree) → refused, naming why;
 * - cheaper now → allowed: less than was approved is spent; returned as lines to show.
 * `live`: with a price-list file, the price sheet read now where the credential allows (the file cannot change
 * between plan and apply, the price Partner Center charges can): a purchase the sheet prices higher than approved
 * is refused as well; one it cannot price is named in a returned line (not checked live).
 * A purchase whose price was unknown when approved has no approved amount: nothing to compare (with
 * `policy.maxSpendPerRun` such a purchase was blocked at plan time). `at`: the apply's time (ISO), for the price rows
 * that apply when the purchase is made.
 */
export function checkApprovedPrices(plan: Plan, book: PriceBook, shownAs: string, at: string, live?: PriceBook): string[] {
  const approved = new Map((plan.cost?.purchases ?? []).map((p) => [p.actionId, p]));
  const names = new Map(plan.customers.map((c) => [c.customerId, c.displayName]));
  const refusals: string[] = [];
  const notes: string[] = [];
  const rise = new Map<string, number>();
  for (const a of plan.customers.flatMap((c) => c.actions.filter((x): x is PurchaseAction => x.kind === 'purchase'))) {
    const then = approved.get(a.id);
    if (then?.currency === undefined) continue;
    const what = `"${v(a.offerName)}" at ${v(names.get(a.customerId) ?? a.customerId)}`;
    const sources: [PriceBook, string][] = [[book, ''], ...(live ? [[live, ` (${v(live.source)}, read now)`] as [PriceBook, string]] : [])];
    for (const [source, from] of sources) {
      const now = purchaseCost(a, source, at);
      if (now.currency === undefined) {
        if (source === live) notes.push(`${what}: the price Partner Center charges now could not be checked (${v(now.unknown ?? 'no price')}); the approved ${unit(then)} from ${v(book.source)} stands`);
        else refusals.push(`${what}: ${unit(then)} when approved, now the price is unknown (${v(now.unknown ?? 'no price')})`);
        continue;
      }
      if (now.currency !== then.currency) {
        refusals.push(`${what}: ${unit(then)} when approved, now ${unit(now)}${from} (another currency)`);
        continue;
      }
      const order = dearer(now, then);
      if (order > 0) {
        const more = money(now.committed! - then.committed!);
        rise.set(then.currency, money((rise.get(then.currency) ?? 0) + more));
        const exact = now.unitPrice === then.unitPrice ? `; UnitPrice ${v(then.periodPrice ?? '')} → ${v(now.periodPrice ?? '')} per seat per ${v(a.billing ?? 'monthly')} period, a rise below a cent a month` : '';
        refusals.push(`${what}: ${unit(then)} → ${unit(now)}${from} (+${formatMoney(then.currency, money(now.unitPrice! - then.unitPrice!))}); committed ${formatMoney(then.currency, then.committed!)} → ${formatMoney(now.currency, now.committed!)} (+${formatMoney(then.currency, more)})${exact}`);
      } else if (order < 0 && source === book) notes.push(`${what}: ${unit(then)} when approved, ${unit(now)} now (cheaper; applied at the new price)`);
    }
  }
  if (refusals.length > 0) {
    const total = [...rise].map(([c, n]) => `+${formatMoney(c, n)}`).join(', ');
    throw new UserError(
      'plan.price-rose',
      `${shownAs}: prices changed since the plan was approved, so it would spend more than reviewers approved${total ? ` (committed ${total} in all)` : ''}; nothing was sent:\n  - ${refusals.join('\n  - ')}\n` +
        `Source now: ${v(book.source)}${live ? `; ${v(live.source)}` : ''}. Run plan again and review the new prices.`,
    );
  }
  return notes;
}

/**
 * 1 when `now` costs more than `then`, -1 when less, 0 when the same: the exact prices of the rows (per seat and
 * billing period, as written) when both have them — strictly, so any rise counts — else the unit prices in cents.
 */
export function dearer(now: PurchaseCost, then: PurchaseCost): number {
  if (now.periodPrice !== undefined && then.periodPrice !== undefined) return compareDecimal(now.periodPrice, then.periodPrice);
  return now.unitPrice! > then.unitPrice! ? 1 : now.unitPrice! < then.unitPrice! ? -1 : 0;
}

function unit(p: PurchaseCost): string {
  return `${formatMoney(p.currency!, p.unitPrice!)}/seat/month`;
}
