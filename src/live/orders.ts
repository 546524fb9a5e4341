import type { WireOrder, WireSubscription } from '../partner-center/wire.js';
import type { LivePendingOrder } from './types.js';

/** A completed order younger than this whose subscription is not listed yet is still being provisioned. */
const RECENT_MS = 2 * 86_400_000;

/**
 * Order lines that are not provisioned yet: the order says `pending` (Partner Center's status while its
 * subscriptions are being created), or it is not cancelled and its subscription is not listed yet — also a
 * `completed` order, whose provisioning status may still be unfulfilled (API reference §4), when it was placed
 * in the last two days (older completed orders whose subscriptions are gone are history, not pending).
 * Whoever placed them (the portal, another tool, another pcsync run) — a new purchase of the same offer would
 * pay twice. Sorted by order id, then line.
 */
export function pendingOrderLines(orders: readonly WireOrder[], subscriptions: readonly Pick<WireSubscription, 'id'>[], now = Date.now()): LivePendingOrder[] {
  const listed = new Set(subscriptions.map((s) => s.id.toLowerCase()));
  const lines: LivePendingOrder[] = [];
  for (const order of orders) {
    const status = String(order.status ?? 'unknown').toLowerCase();
    if (status === 'cancelled') continue;
    const created = Date.parse(order.creationDate ?? '');
    if (status === 'completed' && !(Number.isFinite(created) && now - created < RECENT_MS)) continue;
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
