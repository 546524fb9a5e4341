import { randomUUID } from 'node:crypto';
import { optionalArray, optionalInteger, optionalString, requireObject, field } from './body.js';
import type { SimContext } from './context.js';
import { requireCustomer } from './customers.js';
import { requireAgreement } from './agreements.js';
import { Code, invalidInput, SimFault } from './faults.js';
import { isoSeconds, sameId, type SimCustomer } from './model.js';
import { checkQuantity } from './offers.js';
import type { ScenarioOffer } from './scenarios/types.js';
import { orderView, recordOrder, replayed } from './orders.js';
import type { Route } from './router.js';
import { collection, enc } from './wire.js';

/**
 * New-commerce purchases (API reference §4 and partner-center-2026.md §2): a product's SKU is sold under an
 * availability whose id is reissued over time; a cart holds catalogue items `productId:skuId:availabilityId`,
 * and its checkout creates the order. Checkout is idempotent: a second checkout of the same cart returns the
 * first result. Two attestations in two places (partner-center-2026-12.md §4): the cart needs the partner-of-record
 * one (`partnerOnRecordAttestationAccepted`, else 900206), and a line buying a SKU that enforces attestation needs
 * `attestationAccepted` (else 900203). The body itself is checked against the documented Cart first (middleware.ts).
 */
const TERMS = [
  { duration: 'P1Y', billingCycle: 'monthly' },
  { duration: 'P1Y', billingCycle: 'annual' },
  { duration: 'P1M', billingCycle: 'monthly' },
];
const CART_LIFETIME_MS = 7 * 86_400_000;

interface SimCart {
  id: string;
  customerId: string;
  lines: { lineItemNumber: number; offerId: string; availabilityId: string; catalogItemId: string; quantity: number; friendlyName: string; termDuration: string; billingCycle: string }[];
  creationDate: string;
  checkout?: unknown;
}

const carts = new WeakMap<object, Map<string, SimCart>>();
function cartsOf(ctx: SimContext): Map<string, SimCart> {
  let m = carts.get(ctx.state);
  if (!m) carts.set(ctx.state, (m = new Map()));
  return m;
}

const availabilityOf = (ctx: SimContext) => ctx.state.availabilityId();

/** The new-commerce product SKU (an offer with id `productId:skuId`) a catalogue item id names, or a fault. */
function catalogItem(ctx: SimContext, id: string, at: string) {
  const [productId, skuId, availabilityId] = id.split(':');
  const offer = productId && skuId ? ctx.state.offer(`${productId}:${skuId}`) : undefined;
  if (!offer || !offer.isAvailableForPurchase) throw new SimFault(400, Code.invalidOffer, `${at}: catalog item ${id} is not for sale.`, [id]);
  if (!availabilityId || !sameId(availabilityId, availabilityOf(ctx))) {
    throw new SimFault(400, Code.availabilityNotFound, `${at}: availability ${availabilityId ?? '(none)'} of ${productId}:${skuId} was not found (availabilities are reissued; get the current one).`, [id]);
  }
  return offer;
}

/** The Sku resource (learn product-resources; .NET SDK Sku, SkuAttestationProperties) of a new-commerce product SKU. */
function skuView(offer: ScenarioOffer, productId: string, skuId: string): unknown {
  return {
    id: skuId,
    productId,
    title: offer.name,
    description: offer.name,
    minimumQuantity: offer.minimumQuantity ?? 1,
    maximumQuantity: offer.maximumQuantity ?? 10_000,
    isTrial: false,
    supportedBillingCycles: ['monthly', 'annual'],
    attestationProperties: { enforceAttestation: offer.enforceAttestation === true },
    links: { self: { uri: `/products/${enc(productId)}/skus/${enc(skuId)}`, method: 'GET', headers: [] } },
    attributes: { objectType: 'Sku' },
  };
}

function cartView(c: SimCustomer, cart: SimCart): unknown {
  return {
    id: cart.id,
    creationTimestamp: cart.creationDate,
    expirationTimestamp: isoSeconds(Date.parse(cart.creationDate) + CART_LIFETIME_MS),
    status: cart.checkout ? 'Ordered' : 'Active',
    lineItems: cart.lines.map((l) => ({ id: l.lineItemNumber, catalogItemId: l.catalogItemId, quantity: l.quantity, termDuration: l.termDuration, billingCycle: l.billingCycle, friendlyName: l.friendlyName })),
    links: { self: { uri: `/customers/${enc(c.id)}/carts/${enc(cart.id)}`, method: 'GET', headers: [] } },
    attributes: { objectType: 'Cart' },
  };
}

function createCart(ctx: SimContext, c: SimCustomer): SimCart {
  const cart = requireObject(ctx.body, 'The cart');
  const raw = optionalArray(cart, 'lineItems');
  if (raw.length === 0) throw invalidInput('A cart needs at least one line item.');
  if (field(cart, 'partnerOnRecordAttestationAccepted') !== true) throw new SimFault(400, Code.partnerAttestationMissing, 'Partner Attestation is missing.');
  const lines = raw.map((item, i) => {
    const obj = requireObject(item, `lineItems[${i}]`);
    const catalogItemId = optionalString(obj, 'catalogItemId');
    if (!catalogItemId) throw invalidInput(`lineItems[${i}]: catalogItemId is required.`);
    const offer = catalogItem(ctx, catalogItemId, `lineItems[${i}]`);
    if (offer.enforceAttestation && field(obj, 'attestationAccepted') !== true) {
      throw new SimFault(400, Code.attestationMissing, 'CatalogItemId requires attestation acceptance.', [catalogItemId]);
    }
    const quantity = optionalInteger(obj, 'quantity');
    if (quantity === undefined) throw invalidInput(`lineItems[${i}]: quantity is required.`);
    checkQuantity(offer, quantity);
    const termDuration = optionalString(obj, 'termDuration') ?? 'P1Y';
    const billingCycle = (optionalString(obj, 'billingCycle') ?? 'monthly').toLowerCase();
    if (!TERMS.some((t) => t.duration === termDuration && t.billingCycle === billingCycle)) throw invalidInput(`lineItems[${i}]: ${termDuration}/${billingCycle} is not sold for ${offer.id}.`);
    return { lineItemNumber: i, offerId: offer.id, availabilityId: catalogItemId.split(':')[2]!, catalogItemId, quantity, friendlyName: optionalString(obj, 'friendlyName') ?? offer.name, termDuration, billingCycle };
  });
  return { id: randomUUID(), customerId: c.id, lines, creationDate: isoSeconds(ctx.state.now()) };
}

export const cartRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/products/:productId/skus/:skuId',
    auth: 'app',
    handle: (ctx, p) => {
      requireCustomer(ctx, p.customerId!);
      const offer = ctx.state.offer(`${p.productId}:${p.skuId}`);
      if (!offer) throw new SimFault(404, Code.productNotFound, `Product ${p.productId} has no SKU ${p.skuId}.`, [`${p.productId}:${p.skuId}`]);
      return { status: 200, body: skuView(offer, p.productId!, p.skuId!) };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/products/:productId/skus/:skuId/availabilities',
    auth: 'app',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      const offer = ctx.state.offer(`${p.productId}:${p.skuId}`);
      const items = offer?.isAvailableForPurchase
        ? [
            {
              id: availabilityOf(ctx),
              productId: p.productId,
              skuId: p.skuId,
              catalogItemId: `${p.productId}:${p.skuId}:${availabilityOf(ctx)}`,
              sku: skuView(offer, p.productId!, p.skuId!),
              terms: TERMS,
              attributes: { objectType: 'Availability' },
            },
          ]
        : [];
      return { status: 200, body: collection(items, `/customers/${enc(c.id)}/products/${enc(p.productId!)}/skus/${enc(p.skuId!)}/availabilities`) };
    },
  },
  {
    method: 'POST',
    pattern: '/v1/customers/:customerId/carts',
    auth: 'app',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      return replayed(ctx, `cart|${c.id}`, () => {
        const cart = createCart(ctx, c);
        cartsOf(ctx).set(cart.id.toLowerCase(), cart);
        return { status: 201, body: cartView(c, cart) };
      });
    },
  },
  {
    method: 'POST',
    pattern: '/v1/customers/:customerId/carts/:cartId/checkout',
    auth: 'app',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      requireAgreement(ctx.state, c);
      const cart = cartsOf(ctx).get(p.cartId!.toLowerCase());
      if (!cart || !sameId(cart.customerId, c.id)) throw new SimFault(404, Code.cartNotFound, `Cart ${p.cartId} not found.`, [p.cartId!]);
      if (!cart.checkout) {
        // Availabilities may have been reissued since the cart was made: checkout checks again.
        cart.lines.forEach((l, i) => catalogItem(ctx, l.catalogItemId, `lineItems[${i}]`));
        const order = recordOrder(ctx, c, cart.lines, cart.lines[0]!.billingCycle);
        cart.checkout = { orders: [orderView(ctx, c, order)], orderErrors: [], attributes: { objectType: 'CartCheckoutResult' } };
      }
      return { status: 201, body: structuredClone(cart.checkout) };
    },
  },
];
