import { requireCustomer } from './customers.js';
import { Code, SimFault } from './faults.js';
import { pathSubscription } from './lookup.js';
import { sameId, shownOfferId, type SimCustomer, type SimSubscription } from './model.js';
import type { Route } from './router.js';
import type { SimState } from './state.js';
import { patchSubscription } from './subscription-patch.js';
import { nextTermView } from './next-term.js';
import { collection, enc, etagOf, link } from './wire.js';

export { requireSubscription } from './lookup.js';

export function subscriptionView(state: SimState, c: SimCustomer, s: SimSubscription): unknown {
  const offer = state.offer(s.offerId);
  return {
    id: s.id,
    offerId: shownOfferId(s.offerId, s.availabilityId),
    offerName: offer?.name ?? s.offerId,
    friendlyName: s.friendlyName,
    quantity: s.quantity,
    unitType: 'Licenses',
    hasPurchasableAddons: false,
    creationDate: s.creationDate,
    effectiveStartDate: s.effectiveStartDate,
    commitmentEndDate: s.commitmentEndDate,
    status: s.status,
    autoRenewEnabled: s.autoRenewEnabled,
    isTrial: false,
    billingType: 'license',
    billingCycle: s.billingCycle,
    termDuration: s.termDuration,
    ...(s.cancellationAllowedUntilDate !== null && { cancellationAllowedUntilDate: s.cancellationAllowedUntilDate }),
    ...(s.cancelAtTermEnd && { scheduledActions: [{ scheduleType: 'TermEnd', actionType: 'Cancel' }] }),
    ...(s.nextTerm && { scheduledNextTermInstructions: nextTermView(s.nextTerm) }),
    contractType: 'subscription',
    ...(s.orderId !== null && { orderId: s.orderId }),
    suspensionReasons: [],
    links: { ...offerLinks(state, s), self: link(`/customers/${enc(c.id)}/subscriptions/${enc(s.id)}`) },
    attributes: { etag: etagOf(s.id, s.version), objectType: 'Subscription' },
  };
}

/** A legacy subscription links its offer; a new-commerce one its product, SKU and availability (API reference §3). */
function offerLinks(state: SimState, s: SimSubscription): Record<string, unknown> {
  if (s.availabilityId === undefined) return { offer: link(`/offers/${enc(s.offerId)}?country=${enc(state.options.country)}`) };
  const [productId = '', skuId = ''] = s.offerId.split(':');
  const sku = `/products/${enc(productId)}/skus/${enc(skuId)}`;
  const country = `?country=${enc(state.options.country)}`;
  return { product: link(`/products/${enc(productId)}${country}`), sku: link(`${sku}${country}`), availability: link(`${sku}/availabilities/${enc(s.availabilityId)}${country}`) };
}

/** Provisioning status (2026-11 additions of the API reference): names the licence SKU, retired offers included. */
function provisioningStatusView(state: SimState, s: SimSubscription): unknown {
  const sku = state.skuOf(s);
  return {
    skuId: state.sku(sku)?.skuId ?? sku,
    status: 'success',
    quantity: s.quantity,
    endDate: s.commitmentEndDate,
    attributes: { objectType: 'SubscriptionProvisioningStatus' },
  };
}

export const subscriptionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/subscriptions',
    auth: 'app',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      const orderId = ctx.query.get('order_id');
      const subs = ctx.state.visibleSubscriptions(c).filter((s) => orderId === null || (s.orderId !== null && sameId(s.orderId, orderId)));
      const self = `/customers/${enc(c.id)}/subscriptions${orderId === null ? '' : `?order_id=${enc(orderId)}`}`;
      return { status: 200, body: collection(subs.map((s) => subscriptionView(ctx.state, c, s)), self) };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/subscriptions/:subscriptionId',
    auth: 'app',
    handle: (ctx, p) => {
      const { c, sub } = pathSubscription(ctx, p);
      return { status: 200, body: subscriptionView(ctx.state, c, sub) };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/subscriptions/:subscriptionId/provisioningstatus',
    auth: 'app',
    handle: (ctx, p) => {
      const { sub } = pathSubscription(ctx, p);
      if (ctx.state.options.readGaps?.provisioningStatus === 'refuse') {
        throw new SimFault(403, Code.roleLacksRights, 'The caller is not allowed to read the provisioning status of this subscription.', [sub.id]);
      }
      return { status: 200, body: provisioningStatusView(ctx.state, sub) };
    },
  },
  {
    method: 'PATCH',
    pattern: '/v1/customers/:customerId/subscriptions/:subscriptionId',
    auth: 'app',
    handle: (ctx, p) => {
      const { c, sub } = pathSubscription(ctx, p);
      if (patchSubscription(ctx, c, sub) && ctx.state.options.asyncPatch) {
        // Accepted, applied later: 202, no body, Location = the subscription to poll (API reference §5).
        ctx.reply.headers.Location = `/v1/customers/${enc(c.id)}/subscriptions/${enc(sub.id)}`;
        return { status: 202 };
      }
      return { status: 200, body: subscriptionView(ctx.state, c, sub) };
    },
  },
];
