import { deterministicUuid } from '../core/hash.js';
import { heldSkus, skuOf, type CustomerContext, type Handle, type Target } from './context.js';
import { blockPendingOrders } from './pending-orders.js';
import type { LiveSubscription } from '../live/types.js';
import type { AwaitProvisioningAction, PurchaseAction, ReasonCode } from './types.js';

export interface PurchasePlan {
  readonly actions: Array<PurchaseAction | AwaitProvisioningAction>;
  /** Per handle, the action its licence assignments wait for (await for a new order, purchase for an increase). */
  readonly gates: ReadonlyMap<string, string>;
}

/** Seat arithmetic of one kept subscription. */
interface Seats {
  readonly consumed: number;
  readonly total: number;
  readonly assigns: number;
  readonly headroom: number;
}

/**
 * Step 6: buy what the licence targets need. `auto` = seats in use + seats to assign + headroom, never lowered;
 * a number is a floor. Checks the policy's per-purchase limit and that enough seats remain after buying.
 */
export function planPurchases(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>, targets: ReadonlyMap<string, Target>): PurchasePlan {
  const actions: Array<PurchaseAction | AwaitProvisioningAction> = [];
  const gates = new Map<string, string>();
  for (const h of handles.values()) {
    if (h.retiring || (h.sub.offer !== undefined && !h.offer)) continue;
    const seats = seatsOf(ctx, h, targets);
    const purchase = h.offer ? purchaseFor(ctx, h, seats, replacedNames(h, handles, targets)) : undefined;
    const bought = purchase ? purchase.quantity - purchase.observed.quantity : 0;
    if (seats.assigns > 0 && seats.consumed + seats.assigns > seats.total + bought) {
      ctx.findings.block('seats-short', `${h.handle}: ${seats.assigns} user(s) at ${ctx.who} need "${h.name}" but only ${seats.total + bought - seats.consumed} seat(s) would be free`, {
        hint: 'use quantity: auto or a larger quantity',
        source: h.sub.fieldSources?.quantity ?? h.sub.source,
      });
    }
    if (!purchase) continue;
    blockPendingOrders(ctx, h, purchase);
    actions.push(purchase);
    if (purchase.mode === 'increase') {
      gates.set(h.handle, purchase.id);
      continue;
    }
    const wait = awaitFor(ctx, h, purchase, seats.assigns);
    actions.push(wait);
    gates.set(h.handle, wait.id);
  }
  return { actions, gates };
}

function seatsOf(ctx: CustomerContext, h: Handle, targets: ReadonlyMap<string, Target>): Seats {
  const sku = skuOf(ctx, h.skuId);
  const active = h.matched.filter((m) => m.status === 'active');
  return {
    consumed: sku?.consumedUnits ?? 0,
    total: sku?.totalUnits ?? (h.skuId === undefined ? active.reduce((n, m) => n + m.quantity, 0) : 0),
    assigns: [...targets.values()].filter((t) => t.assign && t.skuId === h.skuId).length,
    headroom: ctx.partner.seatHeadroom,
  };
}

function purchaseFor(ctx: CustomerContext, h: Handle, seats: Seats, retired: readonly string[]): PurchaseAction | undefined {
  const existing = h.matched.find((m) => m.status === 'active');
  if (!existing && !canOrderNew(ctx, h)) return undefined;
  if (existing?.quantityUnknown) {
    // Seat arithmetic on an unknown quantity could lower it or buy blindly: block instead.
    ctx.findings.block('quantity-unknown', `${h.handle}: Partner Center sent no quantity for subscription ${existing.id} ("${existing.offerName}") at ${ctx.who}, so pcsync cannot tell how many seats it has`, {
      hint: 'plan again later; check the subscription in Partner Center if it persists',
      source: h.sub.source,
    });
    return undefined;
  }
  const shortfall = seats.consumed + seats.assigns + seats.headroom - seats.total;
  const wanted = h.sub.quantity;
  let quantity: number;
  if (!existing) {
    // auto follows the users: a new subscription nobody is to hold (a `from:` that matches nobody) is not bought.
    if (wanted === 'auto' && seats.assigns === 0 && seats.consumed === 0) return undefined;
    quantity = typeof wanted === 'number' ? wanted : Math.max(1, shortfall);
  }
  else if (wanted === 'auto') quantity = existing.quantity + Math.max(0, shortfall);
  else if (typeof wanted === 'number') {
    if (wanted < existing.quantity) {
      ctx.findings.warn('quantity-not-lowered', `${h.handle}: desired quantity ${wanted} is below the live ${existing.quantity} at ${ctx.who}; pcsync never lowers a quantity`, { source: h.sub.source });
    }
    quantity = Math.max(wanted, existing.quantity);
  } else return undefined;
  if (existing && quantity <= existing.quantity) return undefined;

  const bought = quantity - (existing?.quantity ?? 0);
  if (!h.offer!.purchasable) {
    ctx.findings.block('offer-not-purchasable', `${h.handle}: "${h.name}" cannot be bought for ${ctx.who} (the live catalogue says it is not available for purchase)`, {
      hint: 'pick another replacement offer',
      source: h.sub.source,
    });
  }
  if (bought > ctx.partner.policy.maxSeatsPerPurchase) {
    ctx.findings.block('purchase-too-large', `${h.handle}: buying ${bought} seats of "${h.name}" for ${ctx.who} exceeds policy.maxSeatsPerPurchase (${ctx.partner.policy.maxSeatsPerPurchase})`, {
      hint: 'raise policy.maxSeatsPerPurchase in pcsync.yaml if this is intended',
      source: h.sub.fieldSources?.quantity ?? h.sub.source,
    });
  }
  return purchaseAction(ctx, h, existing, quantity, why(h, seats, existing, retired));
}

/** A pending or only-suspended subscription of the offer: buying another would duplicate it. */
function canOrderNew(ctx: CustomerContext, h: Handle): boolean {
  const other = h.matched.find((m) => m.status === 'pending') ?? h.matched.find((m) => m.status === 'suspended');
  if (!other) return true;
  const pending = other.status === 'pending';
  ctx.findings.block(pending ? 'subscription-pending' : 'subscription-suspended', `${h.handle}: the subscription ${other.id} of "${h.name}" at ${ctx.who} is ${other.status}`, {
    hint: pending ? 'it is still being provisioned; plan again once it is active' : 'reactivate it in Partner Center (pcsync does not buy a second one)',
    source: h.sub.source,
  });
  return false;
}

function why(h: Handle, seats: Seats, existing: LiveSubscription | undefined, retired: readonly string[]): { reason: ReasonCode; text: string } {
  const arithmetic = `${seats.consumed} in use + ${seats.assigns} to assign + ${seats.headroom} headroom, ${seats.total} owned`;
  if (retired.length > 0) {
    return { reason: 'retired-offer-replaced', text: `replaces retired ${retired.map((n) => `"${n}"`).join(', ')}; ${seats.assigns} users need seats (${arithmetic})` };
  }
  if (!existing) return { reason: 'subscription-missing', text: `"${h.name}" is not subscribed yet; ${seats.assigns} users need seats (${arithmetic})` };
  if (h.sub.quantity === 'auto') return { reason: 'quantity-below-assigned', text: `more seats needed than owned (${arithmetic})` };
  return { reason: 'quantity-below-desired', text: `desired quantity ${String(h.sub.quantity)}, live ${existing.quantity}` };
}

/** Offer names of the retiring subscriptions whose holders this subscription receives. */
function replacedNames(h: Handle, handles: ReadonlyMap<string, Handle>, targets: ReadonlyMap<string, Target>): string[] {
  const moving = [...targets.values()].filter((t) => t.handle === h && t.assign);
  return [...handles.values()]
    .filter((r) => r.retiring && r.skuId !== undefined && moving.some((t) => heldSkus(t.user).includes(r.skuId!)))
    .map((r) => r.name);
}

/**
 * The purchase's `MS-RequestId` (idempotency key), derived from what it buys. When a cancelled subscription already
 * carries the nickname that id gives (the same purchase was bought and then undone, or cancelled by hand), the next
 * generation is taken: Partner Center would otherwise answer the new order with the old, cancelled one (same request
 * id), and apply would wait for a deleted subscription. Pure: a function of the desired and live state.
 */
function freshRequestId(ctx: CustomerContext, handle: string, key: string): string {
  const gone = new Set(ctx.live.subscriptions.filter((s) => ['deleted', 'cancelled'].includes(s.status)).map((s) => s.friendlyName));
  for (let generation = 0; ; generation++) {
    const id = deterministicUuid(generation === 0 ? key : `${key}|again ${generation}`);
    if (!gone.has(`pcsync ${handle} ${id.slice(0, 8)}`)) return id;
  }
}

function purchaseAction(ctx: CustomerContext, h: Handle, existing: LiveSubscription | undefined, quantity: number, why: { reason: ReasonCode; text: string }): PurchaseAction {
  const offer = h.offer!;
  const id = `${ctx.live.id}/purchase/${h.handle}`;
  const observedQty = existing?.quantity ?? 0;
  const requestId = freshRequestId(ctx, h.handle, `${id}|${ctx.desired.contentHash}|${observedQty}|${quantity}`);
  return {
    kind: 'purchase',
    id,
    customerId: ctx.live.id,
    dependsOn: [],
    reason: why.reason,
    reasonText: why.text,
    irreversible: true,
    handle: h.handle,
    offerId: offer.offerId,
    offerName: offer.name,
    ...(h.skuId ? { skuId: h.skuId } : {}),
    mode: existing ? 'increase' : 'new',
    quantity,
    ...(h.sub.term ? { term: h.sub.term } : {}),
    ...(h.sub.billing ? { billing: h.sub.billing } : {}),
    friendlyName: `pcsync ${h.handle} ${requestId.slice(0, 8)}`,
    requestId,
    observed: { ...(existing ? { subscriptionId: existing.id } : {}), quantity: observedQty },
    desired: { quantity },
  };
}

function awaitFor(ctx: CustomerContext, h: Handle, purchase: PurchaseAction, assigns: number): AwaitProvisioningAction {
  const timeoutSeconds = ctx.partner.policy.provisioningTimeoutSeconds;
  return {
    kind: 'await-provisioning',
    id: `${ctx.live.id}/await-provisioning/${h.handle}`,
    customerId: ctx.live.id,
    dependsOn: [purchase.id],
    reason: 'new-subscription-provisioning',
    reasonText: `a new order can take minutes to show up; ${assigns} user(s) are assigned "${purchase.offerName}" right after`,
    irreversible: false,
    handle: h.handle,
    purchaseActionId: purchase.id,
    ...(h.skuId ? { skuId: h.skuId } : {}),
    minAvailableUnits: assigns,
    timeoutSeconds,
  };
}
