import type { WireOrder, WireSubscription } from '../partner-center/wire.js';
import type { LivePendingOrder } from './types.js';

/**
 * Order lines that are not provisioned yet: the order says `pending` (Partner Center's status while its
 * subscriptions are being created), or it is neither completed nor cancelled and its subscription is not
 * listed yet. Whoever placed them (the portal, another tool, another pcsync run) — a new purchase of the same
 * offer would pay twice. Sorted by order id, then line.
 */
export function pendingOrderLines(orders: readonly WireOrder[], subscriptions: readonly WireSubscription[]): LivePendingOrder[] {
  const listed = new Set(subscriptions.map((s) => s.id.toLowerCase()));
  const lines: LivePendingOrder[] = [];
  for (const order of orders) {
    const status = String(order.status ?? 'unknown').toLowerCase();
    if (status === 'cancelled' || status === 'completed') continue;
    for (const line of order.lineItems ?? []) {
      const sid = line.subscriptionId?.toLowerCase();
      if (status !== 'pending' && sid !== undefined && listed.has(sid)) continue;
      lines.push({
        orderId: order.id,
        status,
        offerId: (line.offerId ?? '').toUpperCase(),
        quantity: Number(line.quantity ?? 0),
        ...(line.friendlyName !== undefined && { friendlyName: line.friendlyName }),
        ...(line.subscriptionId !== undefined && { subscriptionId: line.subscriptionId }),
      });
    }
  }
  return lines.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
}
