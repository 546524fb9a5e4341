import { heldSkus, type CustomerContext, type Handle, type Target } from './context.js';
import type { LiveSubscription, LiveUser } from '../live/types.js';

/**
 * A retiring SKU that an active subscription pcsync keeps also grants: its holders cannot be told apart (a
 * licence does not say which subscription's seat it uses), so moving "every holder" would take the licence from
 * users of the current subscription too — a silent downgrade. Returns the upns whose holding is left to the other
 * subscriptions (no blocker for them), or blocks the customer (`sku-shared`) with the counts per subscription:
 * - `from:` or `prune: true` on the retiring handle: always blocked (both mean "every holder").
 * - `users:` lists: at most as many listed holders move as the retiring subscription has seats, and the holders
 *   left must fit the seats of the subscriptions that stay.
 * `blocked` after a blocker; undefined when nothing else grants the SKU.
 */
export function sharedSkuHolders(ctx: CustomerContext, h: Handle, handles: ReadonlyMap<string, Handle>, targets: ReadonlyMap<string, Target>, holders: readonly LiveUser[]): Set<string> | 'blocked' | undefined {
  const retiringIds = new Set([...handles.values()].filter((r) => r.retiring).flatMap((r) => r.matched.map((m) => m.id)));
  const others = ctx.live.subscriptions.filter((s) => s.skuId === h.skuId && s.status === 'active' && !retiringIds.has(s.id));
  if (others.length === 0) return undefined;
  const retiring = h.matched.filter((m) => m.status === 'active');
  const seats = (subs: readonly LiveSubscription[]) => subs.reduce((n, s) => n + s.quantity, 0);
  const counts = [...retiring.map((s) => `${s.id} (retiring ${h.handle}, ${s.quantity} seat(s))`), ...others.map((s) => `${s.id} ("${s.offerName}", ${s.status}, ${s.quantity} seat(s), stays)`)].join('; ');
  const head = `${h.handle}: ${holders.length} user(s) at ${ctx.who} hold the licence of "${h.name}", which is also granted by a subscription that stays — ${counts}`;
  const block = (why: string, hint: string) => {
    ctx.findings.block('sku-shared', `${head}. ${why}`, { hint, source: h.sub.source });
    return 'blocked' as const;
  };
  const everyHolder = ctx.desired.licenses.some((l) => l.from === h.handle) || h.sub.prune;
  if (everyHolder) {
    return block(
      `pcsync cannot tell which holders use the retiring subscription's seats, so "${h.sub.prune ? 'prune: true' : `from: ${h.handle}`}" would also take it from users of the current subscription`,
      `list the users to move explicitly (users:, at most ${seats(retiring)}) instead of ${h.sub.prune ? 'prune: true' : `from: ${h.handle}`}`,
    );
  }
  const moving = holders.filter((u) => targets.has(u.upn) && targets.get(u.upn)!.skuId !== h.skuId);
  const staying = holders.filter((u) => !moving.includes(u));
  if (moving.length > seats(retiring)) {
    return block(`${moving.length} listed holder(s) would move, more than the ${seats(retiring)} seat(s) the retiring subscription accounts for; the rest use the current subscription's seats`, `list at most ${seats(retiring)} of its holders for the replacement`);
  }
  if (staying.length > seats(others)) {
    return block(`${staying.length} holder(s) are not listed, but the subscriptions that stay have only ${seats(others)} seat(s): suspending would leave some without a seat`, `list ${staying.length - seats(others)} more of its holders for the replacement`);
  }
  return new Set(staying.filter((u) => heldSkus(u).includes(h.skuId!)).map((u) => u.upn));
}
