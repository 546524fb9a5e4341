import { compareText } from '../catalog/names.js';
import { heldSkus, type CustomerContext, type Handle, type Removal, type Target } from './context.js';
import { sharedSkuHolders } from './shared-sku.js';
import type { LiveUser } from '../live/types.js';

/**
 * Step 4, the "would lose access" guard. Every holder of a retiring SKU must be a licence target (the move
 * removes the old licence) or the subscription says `prune: true` (removal, shown as destructive); anyone
 * else is a blocker naming the user and the customer. `prune: true` on a kept subscription removes its
 * licence from users not listed for it. Also: holders not all read, expired or past-commitment subscriptions.
 */
export function retiringGuard(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>, targets: ReadonlyMap<string, Target>): Map<string, Removal> {
  const { findings } = ctx;
  const guarded = [...handles.values()].filter((h) => (h.retiring || h.sub.prune) && h.skuId !== undefined);
  if (!ctx.live.holdersComplete) blockUnknownHolders(ctx, handles);
  for (const h of handles.values()) if (h.retiring) checkRetiredSubscriptions(ctx, h);

  const removals = new Map<string, { user: LiveUser; skuIds: Set<string>; pruned: boolean }>();
  const remove = (user: LiveUser, skuId: string, pruned: boolean) => {
    const r = removals.get(user.upn) ?? { user, skuIds: new Set<string>(), pruned: false };
    r.skuIds.add(skuId);
    r.pruned ||= pruned;
    removals.set(user.upn, r);
  };
  const coveredByUnresolved = unresolvedCoverage(ctx, handles);
  for (const h of guarded) {
    const skuId = h.skuId!;
    const pruned: string[] = [];
    const holders = holdersOf(ctx, skuId);
    const keptByOthers = h.retiring ? sharedSkuHolders(ctx, h, handles, targets, holders) : undefined;
    if (keptByOthers === 'blocked') continue;
    for (const user of holders) {
      const target = targets.get(user.upn);
      if (target?.skuId === skuId || keptByOthers?.has(user.upn)) continue;
      // One cause, one message: a user listed for a subscription whose offer is unknown has no target because of
      // that blocker (already reported at the offer's line), not because the YAML forgot them.
      if (!target && coveredByUnresolved(user.upn, h.handle)) continue;
      if (h.retiring && target) remove(user, skuId, false);
      else if (h.sub.prune) {
        remove(user, skuId, true);
        pruned.push(user.upn);
      } else {
        findings.block('holder-not-in-desired-state', `${user.upn} at ${ctx.who} holds "${h.name}" (${h.handle}) but is in no licenses entry; retiring it would leave them without access`, {
          hint: `add ${user.upn} to a licenses entry (e.g. under the replacement), or set prune: true on ${h.handle} to remove the licence on purpose`,
          user: user.upn,
          source: h.sub.source,
        });
      }
    }
    if (pruned.length > 0) {
      findings.warn('prune-removes-licences', `prune: true on ${h.handle} removes "${h.name}" from ${pruned.length} user(s) at ${ctx.who} not listed for it: ${pruned.join(', ')} (destructive)`, {
        source: h.sub.source,
      });
    }
  }
  return new Map(
    [...removals]
      .sort(([a], [b]) => compareText(a, b))
      .map(([upn, r]) => [upn, { user: r.user, skuIds: [...r.skuIds].sort(compareText), pruned: r.pruned }]),
  );
}

/**
 * Holders pcsync could not all find: every SKU whose consumed units and holders found disagree, with both
 * numbers and the likely causes, for every handle that takes, retires or prunes holders (its "who holds it"
 * conclusion would be wrong). SKUs subscribedskus did not list are blocked by `sku-not-reported` already.
 */
function blockUnknownHolders(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>): void {
  const fromNamed = new Set(ctx.desired.licenses.map((l) => l.from));
  const relevant = [...handles.values()].filter((h) => (h.retiring || h.sub.prune || fromNamed.has(h.handle)) && h.skuId !== undefined);
  const checks = ctx.live.holderChecks ?? [];
  for (const h of relevant) {
    const check = checks.find((c) => c.skuId === h.skuId);
    if (check && check.consumedUnits === undefined) continue;
    if (check && check.consumedUnits !== undefined && check.holdersFound >= check.consumedUnits) continue;
    const numbers = check
      ? `Partner Center counts ${check.consumedUnits} consumed unit(s) of SKU ${h.skuId}, but the licences of ${check.usersRead} of ${check.users} user(s) show ${check.holdersFound} holder(s)`
      : `the holders of SKU ${h.skuId} read differ from its consumed units`;
    const missing = check?.consumedUnits !== undefined ? check.consumedUnits - check.holdersFound : undefined;
    ctx.findings.block('holders-unknown', `${h.handle}: could not find every holder of "${h.name}" at ${ctx.who}: ${numbers}${missing !== undefined ? ` (${missing} missing, still after re-reading the counts)` : ''}`, {
      hint: 'likely causes: a deleted user who still holds the licence (remove it from them, or delete them for good, in the customer\'s admin centre), the count lagging behind a recent licence change (plan again in a few minutes), or someone else assigning it meanwhile',
      source: h.sub.source,
      retry: true,
    });
  }
}

/** Whether a user is listed (by name or by `from:`) for a subscription whose offer or licence SKU is unknown. */
function unresolvedCoverage(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>): (upn: string, from: string) => boolean {
  // an unknown offer or licence SKU is blocked on its own; its users are listed, not "in no licenses entry"
  const unresolved = new Set([...handles.values()].filter((h) => (h.sub.offer !== undefined && !h.offer) || h.skuId === undefined).map((h) => h.handle));
  const entries = ctx.desired.licenses.filter((l) => unresolved.has(l.subscription));
  return (upn, from) => entries.some((l) => l.from === from || (l.users?.includes(upn) ?? false));
}

function holdersOf(ctx: CustomerContext, skuId: string): LiveUser[] {
  return ctx.live.users.filter((u) => heldSkus(u).includes(skuId)).sort((a, b) => compareText(a.upn, b.upn));
}

function checkRetiredSubscriptions(ctx: CustomerContext, h: Handle): void {
  for (const m of h.matched) {
    if (m.status === 'expired') {
      ctx.findings.block('subscription-expired', `${h.handle}: subscription ${m.id} ("${m.offerName}") at ${ctx.who} has expired${m.commitmentEndDate ? ` (${m.commitmentEndDate})` : ''}`, {
        hint: 'its users may already have lost access: buy the replacement and list them explicitly under it, then remove this entry',
        source: h.sub.source,
      });
    } else if (m.status === 'active' && m.commitmentEndDate && Date.parse(m.commitmentEndDate) < Date.parse(ctx.now)) {
      ctx.findings.warn('commitment-ended', `${h.handle}: subscription ${m.id} ("${m.offerName}") at ${ctx.who} passed its end date ${m.commitmentEndDate} and may expire at any time`, {
        source: h.sub.source,
      });
    }
  }
}
