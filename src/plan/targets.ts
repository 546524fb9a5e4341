import { compareText } from '../catalog/names.js';
import { heldSkus, type CustomerContext, type Handle, type Target } from './context.js';
import type { DesiredLicenseEntry } from '../desired/types.js';
import type { LiveUser } from '../live/types.js';

/**
 * Step 3: who should hold which licence. Explicit users must exist; `from: h` takes every user who holds
 * h's SKU now. A user who is to receive a licence needs a usage location. Sorted by UPN.
 */
export function licenceTargets(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>): Map<string, Target> {
  const targets = new Map<string, Target>();
  const conflicted = new Set<string>();
  const add = (user: LiveUser, h: Handle, skuId: string) => {
    const known = targets.get(user.upn);
    if (!known) {
      targets.set(user.upn, { user, handle: h, skuId, assign: !heldSkus(user).includes(skuId) });
    } else if (known.skuId !== skuId && !conflicted.has(user.upn)) {
      conflicted.add(user.upn);
      ctx.findings.block('user-in-several-subscriptions', `${user.upn} at ${ctx.who} is listed for both ${known.handle.handle} and ${h.handle}; one plan gives a user one new licence`, {
        hint: 'list the user under one subscription, apply, then add the second',
        user: user.upn,
        source: h.sub.source,
      });
    }
  };
  for (const entry of ctx.desired.licenses) {
    const h = handles.get(entry.subscription);
    if (!h) continue; // validation reports unknown handles with their position
    if (h.retiring) {
      ctx.findings.block('licence-for-retiring-subscription', `licences are assigned from ${h.handle} at ${ctx.who}, which is set to be suspended`, {
        hint: `assign the users to the replacement subscription instead, or remove status: suspended from ${h.handle}`,
        source: entry.source,
      });
      continue;
    }
    if (h.skuId === undefined) continue; // sku-unknown already
    for (const user of entryUsers(ctx, entry, handles)) add(user, h, h.skuId);
  }
  const sorted = new Map([...targets].sort(([a], [b]) => compareText(a, b)));
  for (const t of sorted.values()) {
    if (t.user.licenses === undefined) {
      // Licences unread are unknown, not "holds nothing".
      ctx.findings.block('read-missing', `pcsync did not read the licences of ${t.user.upn} at ${ctx.who}, so it cannot tell whether they already hold "${t.handle.name}"`, {
        hint: 'a pcsync bug: please report it; nothing is changed for this customer meanwhile',
        user: t.user.upn,
        source: t.handle.sub.source,
      });
    }
    if (t.assign && !t.user.usageLocation) {
      ctx.findings.block('usage-location-missing', `${t.user.upn} at ${ctx.who} has no usage location, so Partner Center cannot assign "${t.handle.name}"`, {
        hint: 'set the user\'s usage location (country) in the customer\'s admin centre, then plan again',
        user: t.user.upn,
        source: t.handle.sub.source,
      });
    }
  }
  return sorted;
}

function entryUsers(ctx: CustomerContext, entry: DesiredLicenseEntry, handles: ReadonlyMap<string, Handle>): LiveUser[] {
  const users: LiveUser[] = [];
  (entry.users ?? []).forEach((raw, i) => {
    const upn = raw.toLowerCase();
    const user = ctx.live.users.find((u) => u.upn === upn);
    if (user) users.push(user);
    else {
      ctx.findings.block('user-not-found', `${upn} is not a user of ${ctx.who}`, {
        hint: 'check the spelling, or create the user first',
        user: upn,
        source: entry.userSources?.[i] ?? entry.source,
      });
    }
  });
  const fromSku = entry.from === undefined ? undefined : handles.get(entry.from)?.skuId;
  if (fromSku !== undefined) users.push(...ctx.live.users.filter((u) => heldSkus(u).includes(fromSku)));
  return users;
}
