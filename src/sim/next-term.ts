import { field, isObject, optionalInteger, optionalString } from './body.js';
import type { SimContext } from './context.js';
import { Code, invalidInput, SimFault } from './faults.js';
import { checkQuantity } from './offers.js';
import type { SimNextTerm, SimSubscription } from './model.js';

const TERMS = ['P1M', 'P1Y', 'P3Y'];
const BILLING = ['monthly', 'annual', 'triennial'];

/**
 * `scheduledNextTermInstructions` of a subscription PATCH (learn create-scheduled-changes; partner-center-2026.md §2,
 * partner-center-2026-12.md §4): `{ product { productId, skuId, availabilityId, billingCycle, termDuration,
 * promotionId? }, quantity, customTermEndDate? }`. Undefined when absent, null to clear (unconfirmed by Learn), else
 * the checked next term. Refusals name the field; their codes are the simulator's choice (the real ones are
 * [not found]): 800002 for a malformed body or a subscription that cannot take them, 400013 / 400018 for a product
 * or availability it cannot renew into, 2002 for a quantity outside the offer's range.
 */
export function parseNextTerm(ctx: SimContext, sub: SimSubscription, body: unknown, autoRenewAfter: boolean): SimNextTerm | null | undefined {
  const raw = field(body, 'scheduledNextTermInstructions');
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  if (!isObject(raw)) throw invalidInput('scheduledNextTermInstructions must be an object.');
  const product = field(raw, 'product');
  if (!isObject(product)) throw invalidInput('scheduledNextTermInstructions.product must be an object.');
  const need = (obj: unknown, name: string, where: string): string => {
    const v = optionalString(obj, name);
    if (v === undefined || v.trim() === '') throw invalidInput(`${where}.${name} is required.`);
    return v;
  };
  const productId = need(product, 'productId', 'scheduledNextTermInstructions.product');
  const skuId = need(product, 'skuId', 'scheduledNextTermInstructions.product');
  const availabilityId = need(product, 'availabilityId', 'scheduledNextTermInstructions.product');
  const termDuration = need(product, 'termDuration', 'scheduledNextTermInstructions.product');
  const billingCycle = need(product, 'billingCycle', 'scheduledNextTermInstructions.product');
  const quantity = optionalInteger(raw, 'quantity');
  if (quantity === undefined) throw invalidInput('scheduledNextTermInstructions.quantity is required.');
  if (!TERMS.includes(termDuration.toUpperCase())) throw invalidInput(`scheduledNextTermInstructions.product.termDuration "${termDuration}" is not one of ${TERMS.join(', ')}.`);
  if (!BILLING.includes(billingCycle.toLowerCase())) throw invalidInput(`scheduledNextTermInstructions.product.billingCycle "${billingCycle}" is not one of ${BILLING.join(', ')}.`);
  if (field(raw, 'customTermEndDate') !== undefined && field(raw, 'customTermEndDate') !== null) {
    throw invalidInput('scheduledNextTermInstructions.customTermEndDate (co-terming) is not simulated.');
  }
  if (sub.cancellationAllowedUntilDate === null) {
    throw invalidInput(`Subscription ${sub.id} is not a new-commerce subscription; changes at renewal cannot be scheduled for it.`);
  }
  if (!autoRenewAfter) throw invalidInput(`Subscription ${sub.id} has auto-renew off; changes at renewal need auto-renew on.`);
  if (Date.parse(sub.commitmentEndDate) <= ctx.state.now()) {
    throw invalidInput(`Subscription ${sub.id}'s term ended ${sub.commitmentEndDate}; nothing can be scheduled for its renewal.`);
  }
  const offer = ctx.state.offer(`${productId}:${skuId}`);
  if (!offer || !offer.isAvailableForPurchase) {
    throw new SimFault(400, Code.productNotFound, `Product ${productId} SKU ${skuId} is not available to renew into for subscription ${sub.id}.`, [productId, skuId]);
  }
  if (availabilityId.toLowerCase() !== ctx.state.availabilityId().toLowerCase()) {
    throw new SimFault(400, Code.availabilityNotFound, `Availability ${availabilityId} of product ${productId} SKU ${skuId} was not found.`, [availabilityId]);
  }
  checkQuantity(offer, quantity);
  return { offerId: offer.id, availabilityId, quantity, termDuration: termDuration.toUpperCase(), billingCycle: billingCycle.toLowerCase() };
}

/** How GET shows the instructions (absent when none are scheduled). */
export function nextTermView(n: SimNextTerm | undefined): unknown {
  if (!n) return null;
  const [productId = '', skuId = ''] = n.offerId.split(':');
  return { product: { productId, skuId, availabilityId: n.availabilityId, billingCycle: n.billingCycle, termDuration: n.termDuration }, quantity: n.quantity };
}
