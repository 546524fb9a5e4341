import { stableStringify } from '../core/hash.js';
import type { Action, CustomerPlan } from '../plan/types.js';
import type { ActionReport } from './action-result.js';
import { caselessIds, fieldDifference } from './replan-check.js';

export type Resumed =
  | { readonly ok: true; /** Approved actions live state still needs, in plan order. */ readonly todo: readonly Action[]; readonly done: readonly ActionReport[] }
  | { readonly ok: false; readonly message: string };

/**
 * Resuming a saved plan at a customer earlier runs of it already changed (so its fingerprint moved on): plan
 * again from live state, and go on only if what is left is part of what was approved. Every action of the
 * fresh plan must be an approved action with the same parameters; approved actions the fresh plan no longer
 * needs are already done (the journal says by which run when it knows). Anything new means someone else
 * changed the customer: stale.
 */
export function resumeApproved(approved: CustomerPlan, fresh: CustomerPlan, finishedBy: (actionId: string) => string | undefined): Resumed {
  if (fresh.blockers.length > 0) {
    return { ok: false, message: `live state now blocks this customer (${fresh.blockers.map((b) => b.message).join('; ')}); nothing was sent — run plan again` };
  }
  const byId = new Map(approved.actions.map((a) => [a.id, a]));
  for (const a of fresh.actions) {
    const was = byId.get(a.id);
    if (!was || stableStringify(essence(was)) !== stableStringify(essence(a))) {
      const how = was ? `with other parameters (${fieldDifference(essence(was), essence(a))})` : 'which the plan does not contain';
      return { ok: false, message: `live state changed since the plan was made and now needs ${a.id} ${how}; nothing was sent — run plan again` };
    }
  }
  const needed = new Set(fresh.actions.map((a) => a.id));
  return {
    ok: true,
    todo: approved.actions.filter((a) => needed.has(a.id)),
    done: approved.actions
      .filter((a) => !needed.has(a.id))
      .map((a) => {
        const run = finishedBy(a.id);
        return { id: a.id, kind: a.kind, outcome: 'already-done' as const, message: run ? `done by run ${run} (journal); live state agrees` : 'live state already matches' };
      }),
  };
}

/** What an action changes, without the observations it was planned from (ids in one case). */
function essence(a: Action): unknown {
  return caselessIds(essenceOf(a));
}

function essenceOf(a: Action): unknown {
  switch (a.kind) {
    case 'purchase':
      return { mode: a.mode, offerId: a.offerId, quantity: a.quantity, subscriptionId: a.observed.subscriptionId, skuId: a.skuId, term: a.term, billing: a.billing };
    case 'await-provisioning':
      return { purchase: a.purchaseActionId, skuId: a.skuId };
    case 'reassign':
      return { userId: a.userId, assign: a.assignSkuId, remove: [...a.removeSkuIds].sort() };
    case 'suspend':
    case 'cancel':
    case 'end-at-term':
      return { subscriptionId: a.subscriptionId, kind: a.kind };
    case 'schedule-renewal':
      return { subscriptionId: a.subscriptionId, kind: a.kind, offerId: a.desired.offerId, quantity: a.desired.quantity, term: a.desired.term, billing: a.desired.billing };
  }
}
