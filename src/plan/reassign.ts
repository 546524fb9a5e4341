import { compareText } from '../catalog/names.js';
import { heldSkus, skuOf, type CustomerContext, type Handle, type Removal, type Target } from './context.js';
import { plansToKeepOff } from './service-plans.js';
import type { ReasonCode, ReassignAction } from './types.js';

/**
 * Step 5: one `licenseupdates` per user that assigns the target SKU (if not held) and removes every
 * retiring or pruned SKU the user holds, in the same call. A user already in the desired shape gets nothing.
 */
export function planReassigns(
  ctx: CustomerContext,
  handles: ReadonlyMap<string, Handle>,
  targets: ReadonlyMap<string, Target>,
  removals: ReadonlyMap<string, Removal>,
  gates: ReadonlyMap<string, string>,
): ReassignAction[] {
  const owners = ownersBySku(handles);
  const upns = [...new Set([...targets.keys(), ...removals.keys()])].sort(compareText);
  const actions: ReassignAction[] = [];
  for (const upn of upns) {
    const target = targets.get(upn);
    const removal = removals.get(upn);
    const user = (target ?? removal)!.user;
    const held = [...heldSkus(user)].sort(compareText);
    const assignSkuId = target?.assign ? target.skuId : undefined;
    const removeSkuIds = (removal?.skuIds ?? []).filter((s) => s !== target?.skuId);
    if (assignSkuId === undefined && removeSkuIds.length === 0) continue;
    const after = held.filter((s) => !removeSkuIds.includes(s)).concat(assignSkuId ? [assignSkuId] : []).sort(compareText);
    // A SKU no subscription of the file names (left over from a renewal into another SKU): its name as subscribedskus gives it.
    const skuName = (sku: string) => skuOf(ctx, sku)?.name ?? skuOf(ctx, sku)?.skuPartNumber ?? sku;
    const removeNames = removeSkuIds.map((sku) => owners.get(sku)?.name ?? skuName(sku));
    const gate = assignSkuId && target ? gates.get(target.handle.handle) : undefined;
    const removeHandles = removeSkuIds.map((sku) => owners.get(sku)?.handle ?? `"${skuName(sku)}" (no subscription pays for it any more)`);
    const { reason, text } = why(target, removal, removeHandles, assignSkuId !== undefined);
    const excludedPlans = assignSkuId ? plansToKeepOff(ctx, user, upn, assignSkuId, removeSkuIds, target!.handle.name) : [];
    actions.push({
      kind: 'reassign',
      id: `${ctx.live.id}/reassign/${upn}`,
      customerId: ctx.live.id,
      dependsOn: gate ? [gate] : [],
      reason,
      reasonText: text,
      irreversible: false,
      userId: user.id,
      upn,
      ...(target ? { toHandle: target.handle.handle } : {}),
      ...(assignSkuId ? { assignSkuId, assignName: target!.handle.name } : {}),
      removeSkuIds,
      observed: { skuIds: held },
      desired: { skuIds: after },
      removeNames,
      ...(excludedPlans.length > 0 && { excludedPlans }),
    });
  }
  return actions;
}

/** Reason in terms of the YAML's handles (the action line already shows the offer names). */
function why(target: Target | undefined, removal: Removal | undefined, removeHandles: readonly string[], assigns: boolean): { reason: ReasonCode; text: string } {
  const removed = removeHandles.join(', ');
  if (!target) {
    return { reason: 'prune-unlisted-holder', text: `holds ${removed} but is not listed for it; prune: true removes it (destructive)` };
  }
  const via = target.handle.handle;
  if (removal && !removal.pruned && removeHandles.length > 0) {
    return assigns
      ? { reason: 'holder-of-retiring-sku', text: `moves from retiring ${removed} to ${via}; both in one call, so access never lapses` }
      : { reason: 'holder-of-retiring-sku', text: `already holds ${via}; only the retiring ${removed} licence goes` };
  }
  if (removal?.pruned && !assigns) {
    return { reason: 'prune-unlisted-holder', text: `listed for ${via} only; prune: true removes ${removed} (destructive)` };
  }
  const extra = removeHandles.length > 0 ? `; prune: true removes ${removed} (destructive)` : '';
  return { reason: 'user-listed-for-new-sku', text: `listed for ${via} in the desired state${extra}` };
}

/** The desired subscription (first in file order) that has each SKU, for names in the plan. */
function ownersBySku(handles: ReadonlyMap<string, Handle>): Map<string, Handle> {
  const owners = new Map<string, Handle>();
  for (const h of handles.values()) if (h.skuId && !owners.has(h.skuId)) owners.set(h.skuId, h);
  return owners;
}
