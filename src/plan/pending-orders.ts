import { sameProduct } from '../catalog/resolve.js';
import type { CustomerContext, Handle } from './context.js';
import type { PurchaseAction } from './types.js';
import type { LivePendingOrder } from '../live/types.js';

/**
 * A purchase while an order of the same offer is still being provisioned would pay twice: that order's
 * subscription is not listed yet, so its seats are not counted. Any such order blocks the customer — unless it
 * is this very purchase, placed by an earlier run: of the same plan (same nickname tag), or an interrupted apply
 * whose journal says it started this purchase under that nickname (`ctx.remembered.purchaseTags`, the tags the
 * executor looks for too, apply/actions.ts `purchase`) and for at least the seats planned now. Apply then finds it
 * and waits for it instead of ordering again. An interrupted run's order for fewer seats still blocks, saying so:
 * waiting for it would wait for seats it does not have, and the next plan, once it is provisioned, buys the rest.
 */
export function blockPendingOrders(ctx: CustomerContext, h: Handle, purchase: PurchaseAction): void {
  const earlier = ctx.remembered?.purchaseTags?.[purchase.id] ?? [];
  const interrupted = (line: LivePendingOrder) => line.friendlyName !== undefined && earlier.includes(line.friendlyName);
  const own = (line: LivePendingOrder) =>
    purchase.mode === 'new' && (line.friendlyName === purchase.friendlyName || (interrupted(line) && line.quantity >= purchase.quantity));
  if (ctx.live.pendingOrders === undefined) {
    // Orders unread are unknown, not "none pending": buying could pay twice.
    ctx.findings.block('read-missing', `${h.handle}: pcsync did not read the orders of ${ctx.who}, so it cannot tell whether "${purchase.offerName}" is already on order`, {
      hint: 'a pcsync bug: please report it; nothing is bought for this customer meanwhile',
      source: h.sub.source,
    });
    return;
  }
  for (const line of ctx.live.pendingOrders) {
    // New-commerce lines name the availability, which is reissued: the same product SKU is the same offer.
    if (!sameProduct(line.offerId, purchase.offerId) || own(line)) continue;
    const byPcsync = line.friendlyName?.startsWith('pcsync ') ?? false;
    const who = interrupted(line)
      ? `placed by an interrupted apply of this purchase ("${line.friendlyName}"), for fewer seats than the ${purchase.quantity} planned now`
      : byPcsync
        ? `placed by another pcsync run ("${line.friendlyName}")`
        : `not placed by pcsync${line.friendlyName ? ` (nickname "${line.friendlyName}")` : ''}`;
    ctx.findings.block(
      'order-pending',
      `${h.handle}: order ${line.orderId} for ${line.quantity} × "${purchase.offerName}" at ${ctx.who} is not provisioned yet (${line.status}; ${who}); pcsync does not buy "${purchase.offerName}" again while it is pending`,
      {
        hint: 'plan again once its subscription is active — pcsync then counts its seats — or cancel that order in Partner Center',
        source: h.sub.source,
      },
    );
  }
}
