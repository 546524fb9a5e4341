import { randomUUID } from 'node:crypto';
import { optionalArray, optionalInteger, optionalString, requireObject } from './body.js';
import type { SimContext } from './context.js';
import { requireCustomer } from './customers.js';
import { requireAgreement } from './agreements.js';
import { Code, invalidInput, SimFault } from './faults.js';
import { addOneYear, isoSeconds, sameId, shownOfferId, type SimCustomer, type SimOrder, type SimOrderLine } from './model.js';
import type { Route, RouteReply } from './router.js';
import { checkQuantity } from './offers.js';
import { collection, enc, etagOf, link } from './wire.js';

/** `pending` while any subscription of the order is still provisioning (invisible), then `completed`. */
export function orderView(ctx: SimContext, c: SimCustomer, o: SimOrder): unknown {
  const provisioning = o.lineItems.some((l) => c.subscriptions.some((s) => sameId(s.id, l.subscriptionId) && !ctx.state.isVisible(s)));
  const unnamed = provisioning && ctx.state.options.pendingLinesUnnamed === true;
  return {
    id: o.id,
    referenceCustomerId: c.id,
    billingCycle: o.billingCycle,
    lineItems: o.lineItems.map((l) => ({
      lineItemNumber: l.lineItemNumber,
      offerId: shownOfferId(l.offerId, l.availabilityId),
      ...(!unnamed && { subscriptionId: l.subscriptionId }),
      friendlyName: l.friendlyName,
      quantity: l.quantity,
      termDuration: 'P1Y',
      transactionType: 'New',
      ...(!unnamed && { links: { subscription: link(`/customers/${enc(c.id)}/subscriptions/${enc(l.subscriptionId)}`) } }),
    })),
    creationDate: o.creationDate,
    status: provisioning ? 'pending' : 'completed',
    transactionType: 'UserPurchase',
    links: { self: link(`/customers/${enc(c.id)}/orders/${enc(o.id)}`) },
    attributes: { etag: etagOf(o.id, 1), objectType: 'Order' },
  };
}

type Line = Omit<SimOrderLine, 'subscriptionId'> & {
  /** New commerce (cart checkout): the term bought; the subscription gets a 7-day cancellation window. */
  readonly termDuration?: string;
};

const NCE_CANCEL_WINDOW_MS = 7 * 86_400_000;

/** Validates every line item before anything is created (an order is all or nothing). */
function readLines(ctx: SimContext): Line[] {
  const raw = optionalArray(requireObject(ctx.body, 'The order'), 'lineItems');
  if (raw.length === 0) throw invalidInput('An order needs at least one line item.');
  const seen = new Set<number>();
  const lines = raw.map((item, i): Line => {
    const obj = requireObject(item, `lineItems[${i}]`);
    const n = optionalInteger(obj, 'lineItemNumber');
    if (n === undefined || n < 0 || n >= raw.length || seen.has(n)) {
      throw new SimFault(400, Code.badLineItemNumber, `lineItems[${i}]: lineItemNumber must be unique and between 0 and ${raw.length - 1}.`);
    }
    seen.add(n);
    const offerId = optionalString(obj, 'offerId');
    if (offerId === undefined) throw invalidInput(`lineItems[${i}]: offerId is required.`);
    const offer = ctx.state.offer(offerId);
    if (!offer) throw new SimFault(400, Code.invalidOffer, `The offer id ${offerId} is not valid.`, [offerId]);
    if (!offer.isAvailableForPurchase) throw new SimFault(403, Code.offerRetired, `Offer ${offer.id} is no longer available for purchase.`, [offer.id]);
    const quantity = optionalInteger(obj, 'quantity');
    if (quantity === undefined) throw invalidInput(`lineItems[${i}]: quantity is required.`);
    checkQuantity(offer, quantity);
    return { lineItemNumber: n, offerId: offer.id, quantity, friendlyName: optionalString(obj, 'friendlyName') ?? offer.name };
  });
  return lines.sort((a, b) => a.lineItemNumber - b.lineItemNumber);
}

/** One subscription per line item; under a provisioning delay they stay invisible until `visibleFrom`. */
function createOrder(ctx: SimContext, c: SimCustomer): RouteReply {
  const order = recordOrder(ctx, c, readLines(ctx), optionalString(ctx.body, 'billingCycle') ?? 'monthly');
  return { status: 201, body: orderView(ctx, c, order) };
}

/** Creates an order and its subscriptions from validated lines (orders and cart checkouts), with its audit entry. */
export function recordOrder(ctx: SimContext, c: SimCustomer, lines: readonly Line[], billingCycle: string): SimOrder {
  const rawCycle = billingCycle.toLowerCase();
  const now = ctx.state.now();
  const creationDate = isoSeconds(now);
  const delay = ctx.state.provisioningDelayFor(c.id);
  const order: SimOrder = { id: randomUUID(), billingCycle: rawCycle === 'unknown' ? 'monthly' : rawCycle, creationDate, lineItems: [] };
  for (const line of lines) {
    const subscriptionId = randomUUID().toUpperCase();
    c.subscriptions.push({
      id: subscriptionId,
      offerId: line.offerId,
      quantity: line.quantity,
      status: 'active',
      autoRenewEnabled: true,
      friendlyName: line.friendlyName,
      creationDate,
      effectiveStartDate: creationDate,
      commitmentEndDate: line.termDuration === 'P1M' ? isoSeconds(now + 30 * 86_400_000) : addOneYear(creationDate),
      billingCycle: order.billingCycle,
      termDuration: line.termDuration ?? 'P1Y',
      cancellationAllowedUntilDate: line.termDuration ? isoSeconds(now + NCE_CANCEL_WINDOW_MS) : null,
      cancelAtTermEnd: false,
      billingStoppedAt: null,
      orderId: order.id,
      version: 1,
      visibleFrom: delay > 0 ? now + delay : 0,
      ...(line.availabilityId !== undefined && { availabilityId: line.availabilityId }),
    });
    order.lineItems.push({
      lineItemNumber: line.lineItemNumber,
      offerId: line.offerId,
      quantity: line.quantity,
      friendlyName: line.friendlyName,
      subscriptionId,
      ...(line.availabilityId !== undefined && { availabilityId: line.availabilityId }),
    });
  }
  c.orders.push(order);
  ctx.audit.record({
    type: 'order-created',
    customerId: c.id,
    orderId: order.id,
    ...(ctx.requestId !== undefined && { requestId: ctx.requestId }),
    lineItems: order.lineItems.map(({ offerId, quantity, subscriptionId, friendlyName }) => ({ offerId, quantity, subscriptionId, friendlyName })),
  });
  return order;
}

/**
 * A POST answered once per `MS-RequestId` (per `scope`): the same id gets the stored reply again and changes
 * nothing; a request without one always runs.
 */
export function replayed(ctx: SimContext, scope: string, run: () => RouteReply): RouteReply {
  const key = ctx.requestId ? `${scope}|${ctx.requestId}`.toLowerCase() : undefined;
  const stored = key === undefined ? undefined : ctx.state.replays.get(key);
  if (stored) return structuredClone(stored);
  const out = run();
  if (key !== undefined) ctx.state.replays.set(key, structuredClone(out));
  return out;
}

export const orderRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/customers/:customerId/orders',
    auth: 'app',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      requireAgreement(ctx.state, c);
      return replayed(ctx, `${c.id}`, () => createOrder(ctx, c));
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/orders',
    auth: 'app',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      return { status: 200, body: collection(c.orders.map((o) => orderView(ctx, c, o)), `/customers/${enc(c.id)}/orders`) };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/orders/:orderId',
    auth: 'app',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      const order = c.orders.find((o) => sameId(o.id, p.orderId!));
      if (!order) throw new SimFault(404, Code.orderNotFound, `Order ${p.orderId} not found.`, [p.orderId!]);
      return { status: 200, body: orderView(ctx, c, order) };
    },
  },
];
