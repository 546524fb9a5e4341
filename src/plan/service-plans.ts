import { skuOf, type CustomerContext } from './context.js';
import type { LivePlan, LiveUser } from '../live/types.js';

/**
 * The service plans switched off for `user` on the licences a move takes away, kept off on the licence it assigns
 * (partner-center-2026-12.md §5: `excludedPlans` takes the new SKU's service-plan ids and replaces the whole set, so
 * it is computed from the user's own licences; learn `assign-licenses-to-a-user`: null = every plan on). A plan
 * matches the new SKU's by id or by `serviceName`. Where the new SKU lists no such plan, a warning names the user
 * and the plan; where its plans are not known yet (not bought yet), the plans go by id and name and apply matches
 * them once the SKU is provisioned — the plan says so.
 */
export function plansToKeepOff(ctx: CustomerContext, user: LiveUser, upn: string, assignSkuId: string, removeSkuIds: readonly string[], newName: string): LivePlan[] {
  const off = unique(removeSkuIds.flatMap((sku) => user.disabledPlans?.[sku] ?? []));
  if (off.length === 0) return [];
  const names = (plans: readonly LivePlan[]) => plans.map((p) => `"${p.displayName ?? p.serviceName ?? p.id}"${p.serviceName && p.displayName ? ` (${p.serviceName})` : ''}`).join(', ');
  const offered = skuOf(ctx, assignSkuId)?.servicePlans;
  if (!offered) {
    ctx.findings.warn('not-verified', `${upn}: ${names(off)} switched off for this user stay off on "${newName}" where it has the same service plan; its service plans are known only once it is bought (apply says which it kept off)`, {
      user: upn,
      source: ctx.desired.source,
    });
    return off;
  }
  const kept = off.flatMap((p) => offered.filter((o) => same(o, p)));
  const lost = off.filter((p) => !offered.some((o) => same(o, p)));
  if (lost.length > 0) {
    ctx.findings.warn('service-plans-not-carried', `${upn}: ${names(lost)} switched off for this user on the old licence cannot be kept off on "${newName}": it has no such service plan`, {
      hint: 'check the new licence\'s service plans for this user in the Microsoft 365 admin center after the move',
      user: upn,
      source: ctx.desired.source,
    });
  }
  return unique(kept);
}

/** The same service plan: same id, or the same serviceName (ids are per plan, names survive a SKU change). */
export function same(a: LivePlan, b: LivePlan): boolean {
  return a.id === b.id || (a.serviceName !== undefined && b.serviceName !== undefined && a.serviceName.toLowerCase() === b.serviceName.toLowerCase());
}

function unique(plans: readonly LivePlan[]): LivePlan[] {
  const byId = new Map(plans.map((p) => [p.id, p]));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
