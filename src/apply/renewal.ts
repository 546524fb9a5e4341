import { ApiError } from '../partner-center/errors.js';
import type { WireSubscription } from '../partner-center/wire.js';
import type { ScheduleRenewalAction } from '../plan/types.js';
import { done, ok, terminal, transient, type ActionResult } from './action-result.js';
import type { ExecutorDeps } from './context.js';
import { NOT_APPLIED } from './retire.js';
import { changeSubscription } from './subscription-change.js';

/** The price sheet and the cart name billing plans `monthly`/`annual`; availabilities the same (new-commerce.ts). */
const TERM_BILLING: Readonly<Record<string, string>> = { monthly: 'monthly', annual: 'annual', triennial: 'triennial' };

/** True when the subscription shows exactly the approved next term as its scheduled instructions. */
function scheduled(a: ScheduleRenewalAction, s: WireSubscription): boolean {
  const n = s.scheduledNextTermInstructions;
  const p = n?.product;
  if (!n || !p) return false;
  return (
    `${p.productId}:${p.skuId}`.toUpperCase() === a.desired.offerId &&
    n.quantity === a.desired.quantity &&
    String(p.termDuration).toUpperCase() === a.desired.term.toUpperCase() &&
    String(p.billingCycle).toLowerCase() === a.desired.billing.toLowerCase()
  );
}

/**
 * Schedules the approved next term (learn create-scheduled-changes: GET the subscription, set
 * `scheduledNextTermInstructions`, PATCH the whole resource back; partner-center-2026.md §2). The availability is
 * read fresh (availability ids are reissued): the subscription's own when the product stays, else the product's
 * availability sold with the term and billing. Judged from what Partner Center then shows, as every PATCH is
 * (subscription-change.ts). Nothing changes before the renewal date.
 */
export async function scheduleRenewal(a: ScheduleRenewalAction, deps: ExecutorDeps): Promise<ActionResult> {
  const { client } = deps;
  const sub = await client.getSubscription(a.customerId, a.subscriptionId);
  if (scheduled(a, sub)) return done(`the change at renewal on ${a.renewsOn.slice(0, 10)} is already scheduled`);
  const ends = Date.parse(sub.commitmentEndDate ?? '');
  if (Number.isFinite(ends) && ends <= deps.now()) {
    return terminal(`not scheduled: the term ended ${sub.commitmentEndDate} before the change could be sent; plan again once the subscription shows its new term`);
  }
  const [productId, skuId] = a.desired.offerId.split(':') as [string, string];
  const current = (sub.offerId ?? '').split(':');
  const sameProduct = `${current[0]}:${current[1]}`.toUpperCase() === a.desired.offerId;
  let availabilityId = sameProduct ? current[2] : undefined;
  if (availabilityId === undefined) {
    const billing = TERM_BILLING[a.desired.billing] ?? a.desired.billing;
    const availabilities = await client.listAvailabilities(a.customerId, productId, skuId);
    const found = availabilities.find((av) => (av.terms ?? []).some((t) => t.duration === a.desired.term && String(t.billingCycle).toLowerCase() === billing));
    if (!found) {
      const path = `/v1/customers/${a.customerId}/products/${productId}/skus/${skuId}/availabilities`;
      throw new ApiError('GET', path, 200, undefined, `${a.desired.offerId} is not sold with term ${a.desired.term} and ${a.desired.billing} billing to this customer, so the renewal cannot be scheduled into it`, 'terminal', a.id);
    }
    availabilityId = found.id;
  }
  const instructions = {
    product: { productId, skuId, availabilityId, billingCycle: a.desired.billing, termDuration: a.desired.term },
    quantity: a.desired.quantity,
  };
  const what = `the change at renewal scheduled`;
  const result = await changeSubscription(deps, a.customerId, sub, { scheduledNextTermInstructions: instructions }, (s) => scheduled(a, s), what);
  if (!result.shows) return result.ignored ? terminal(`not scheduled: ${result.why} — ${NOT_APPLIED}`) : transient(`not confirmed: ${result.why}`);
  return ok(`scheduled for the renewal on ${a.renewsOn.slice(0, 10)}: ${a.observed.quantity} → ${a.desired.quantity} seat(s) of ${a.desired.offerName}, ${a.desired.term} ${a.desired.billing} (${result.how})`);
}
