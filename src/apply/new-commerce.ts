import { isCatalogItem } from '../catalog/resolve.js';
import { deterministicUuid } from '../core/hash.js';
import { ApiError } from '../partner-center/errors.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { WireAttestationProperties, WireAvailability, WireOrder } from '../partner-center/wire.js';
import type { PurchaseAction } from '../plan/types.js';

/** A new-commerce catalogue item id: `productId:skuId[:availabilityId]` (the availability part may be stale). */
export function isNewCommerceOffer(offerId: string): boolean {
  return isCatalogItem(offerId);
}

const TERM_BILLING: Readonly<Record<string, string>> = { monthly: 'monthly', annual: 'annual', triennial: 'triennial' };

/**
 * Orders a purchase: a legacy offer with one order; a new-commerce item through a cart, whose availability is read
 * fresh just before buying (availability ids are reissued — learn `get-an-availability-by-id`), and checked out (idempotent on the same cart — learn `checkout-a-cart`). The cart
 * and the checkout carry request ids derived from the action's, and the line its nickname tag, so an unknown
 * outcome is resolved by re-listing orders exactly as for legacy orders.
 *
 * The cart carries two attestations in their documented places (learn cart-resources, create-a-cart; .NET SDK
 * `Cart.PartnerOnRecordAttestationAccepted`, `CartLineItem.AttestationAccepted`; partner-center-2026-12.md §4):
 * the partner-of-record one on the cart, and `attestationAccepted` on the line only where the SKU's
 * `attestationProperties.enforceAttestation` is true — the approved plan buys that SKU, and its approval is the
 * partner's acceptance. Without them Partner Center refuses the purchase (900206, 900203).
 */
export async function placeOrder(a: PurchaseAction, client: PartnerCenterClient): Promise<WireOrder | undefined> {
  if (!isNewCommerceOffer(a.offerId)) {
    return client.createOrder(
      a.customerId,
      {
        lineItems: [{ lineItemNumber: 0, offerId: a.offerId, quantity: a.quantity, friendlyName: a.friendlyName, ...(a.term ? { termDuration: a.term } : {}) }],
        ...(a.billing ? { billingCycle: a.billing } : {}),
      },
      a.requestId,
    );
  }
  const [productId, skuId] = a.offerId.split(':') as [string, string, string];
  const term = a.term ?? 'P1Y';
  const billing = TERM_BILLING[a.billing ?? 'monthly'] ?? 'monthly';
  const availabilities = await client.listAvailabilities(a.customerId, productId, skuId);
  const availability = availabilities.find((av) => (av.terms ?? []).some((t) => t.duration === term && String(t.billingCycle).toLowerCase() === billing));
  if (!availability) {
    const path = `/v1/customers/${a.customerId}/products/${productId}/skus/${skuId}/availabilities`;
    const what = availabilities.length === 0 ? 'is not available to this customer' : `is not sold with term ${term} and ${billing} billing to this customer`;
    throw new ApiError('GET', path, 200, undefined, `${productId}:${skuId} ${what}`, 'terminal', a.requestId);
  }
  const attestation = await skuAttestation(a, client, availability, productId, skuId);
  const cart = await client.createCart(
    a.customerId,
    {
      lineItems: [
        {
          id: 0,
          catalogItemId: `${productId}:${skuId}:${availability.id}`,
          quantity: a.quantity,
          termDuration: term,
          billingCycle: billing,
          friendlyName: a.friendlyName,
          ...(attestation?.enforceAttestation === true ? { attestationAccepted: true as const } : {}),
        },
      ],
      partnerOnRecordAttestationAccepted: true,
    },
    // One cart per availability: a replayed request id would hand back the cart of a reissued availability, which
    // can never be checked out (400018). The order's exactly-once rests on the nickname tag re-list, not on this id.
    deterministicUuid(`${a.requestId}|cart|${availability.id}`),
  );
  if (!cart?.id) throw new ApiError('POST', `/v1/customers/${a.customerId}/carts`, 201, undefined, 'the cart reply named no cart id', 'ambiguous', a.requestId);
  const result = await client.checkoutCart(a.customerId, cart.id, deterministicUuid(`${a.requestId}|checkout|${cart.id}`));
  // A 2xx without a body: the order was taken but not shown; the caller finds its line by the nickname tag.
  if (!result) return undefined;
  const error = result.orderErrors?.[0];
  const order = result.orders?.[0];
  if (error || !order) {
    const code = Number(error?.code);
    throw new ApiError('POST', `/v1/customers/${a.customerId}/carts/${cart.id}/checkout`, 201, Number.isFinite(code) ? code : undefined, error?.description ?? 'checkout made no order', 'terminal', a.requestId);
  }
  return order;
}

/**
 * The SKU's attestation properties: from the availability just read (its `sku`, learn product-resources
 * Availability), else from the SKU itself (`GET …/customers/{cid}/products/{pid}/skus/{sid}`). A SKU without
 * `attestationProperties` enforces none (the property is documented as optional).
 */
async function skuAttestation(a: PurchaseAction, client: PartnerCenterClient, availability: WireAvailability, productId: string, skuId: string): Promise<WireAttestationProperties | undefined> {
  return availability.sku?.attestationProperties ?? (await client.getCustomerSku(a.customerId, productId, skuId)).attestationProperties;
}
