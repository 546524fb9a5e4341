import type { LiveCustomer } from '../live/types.js';
import type { ImportProposal } from './propose.js';

/**
 * Why the proposal cannot be written: every retired subscription's holders must be known — its licence SKU
 * learned, listed by subscribedskus, and every holder found. Otherwise the file would say "nobody holds it" (or
 * name too few holders) about users who do, so `pcsync import` refuses instead. Empty = grounded. Pure.
 */
export function ungrounded(p: ImportProposal, live: LiveCustomer): string[] {
  const out: string[] = [];
  for (const r of p.retirements) {
    const what = `"${r.sub.offerName}" (${r.sub.id})`;
    if (r.sub.skuId === undefined) {
      out.push(`the licence SKU of ${what} is unknown${r.sub.skuProblem ? ` (${r.sub.skuProblem})` : ''}; set catalog.retired[].skuId in pcsync.yaml to override`);
      continue;
    }
    const check = live.holderChecks?.find((c) => c.skuId === r.sub.skuId);
    if (!live.skus.some((s) => s.skuId === r.sub.skuId)) {
      out.push(`GET subscribedskus does not list SKU ${r.sub.skuId} of ${what}, so who holds it is unknown`);
    } else if (check?.consumedUnits !== undefined && check.holdersFound < check.consumedUnits) {
      out.push(
        `Partner Center counts ${check.consumedUnits} consumed unit(s) of SKU ${r.sub.skuId} of ${what}, but the licences of ${check.usersRead} of ${check.users} user(s) show ${check.holdersFound} holder(s) ` +
          '(a deleted user still holding the licence, or a count lagging behind a recent change)',
      );
    } else if (!live.holdersComplete && !check) {
      out.push(`not every holder of ${what} could be found`);
    }
  }
  return out;
}
