import { skuOf, type CustomerContext, type Handle } from './context.js';
import type { ReassignAction, SuspendAction } from './types.js';

/** Partner Center de-provisions a suspended subscription after this many days. */
const DEPROVISION_DAYS = 120;

/**
 * Step 7: suspend each retiring subscription that is still active, after every licence move off its SKU.
 * Irreversible in effect, so a policy may forbid it (a blocker, not a silent skip).
 */
export function planSuspends(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>, reassigns: readonly ReassignAction[]): SuspendAction[] {
  const actions: SuspendAction[] = [];
  for (const h of handles.values()) {
    if (!h.retiring) continue;
    const active = h.matched.filter((m) => m.status === 'active');
    if (active.length > 0 && !ctx.partner.policy.allowSuspend) {
      ctx.findings.block('suspend-not-allowed', `${h.handle}: "${h.name}" at ${ctx.who} is to be suspended, but policy.allowSuspend is false`, {
        hint: 'set policy.allowSuspend: true in pcsync.yaml, or suspend it by hand',
        source: h.sub.source,
      });
      continue;
    }
    const moves = reassigns.filter((r) => h.skuId !== undefined && r.removeSkuIds.includes(h.skuId)).map((r) => r.id);
    for (const sub of active) {
      const subject = active.length === 1 ? h.handle : `${h.handle}/${sub.id}`;
      actions.push({
        kind: 'suspend',
        id: `${ctx.live.id}/suspend/${subject}`,
        customerId: ctx.live.id,
        dependsOn: moves,
        reason: 'retiring-subscription',
        reasonText: `${h.handle} is set to status: suspended; runs after ${moves.length} user(s) are moved off it, and Partner Center de-provisions it ${DEPROVISION_DAYS} days later`,
        irreversible: true,
        handle: h.handle,
        subscriptionId: sub.id,
        offerName: sub.offerName,
        ...(h.skuId ? { skuId: h.skuId } : {}),
        observed: { status: sub.status, consumedUnits: skuOf(ctx, h.skuId)?.consumedUnits ?? 0 },
        desired: { status: 'suspended' },
      });
    }
  }
  return actions;
}
