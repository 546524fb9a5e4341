import { UserError } from '../core/errors.js';
import { deterministicUuid } from '../core/hash.js';
import { addOneYear, isoSeconds, type SimCustomer } from './model.js';
import type { SimState } from './state.js';

/**
 * An order someone else placed (in the Partner Center portal, another tool): seeded with the scenario, its
 * subscription stays invisible for `provisioningDelayMs` after the simulator starts (or is reset), while GET
 * orders lists it at once with status `pending`.
 */
export interface ForeignOrder {
  customerId: string;
  offerId: string;
  quantity: number;
  /** Default: the offer name (no pcsync tag). */
  friendlyName?: string;
  /** How long its subscription stays invisible. Default one hour (pending for the whole test). */
  provisioningDelayMs?: number;
}

const HOUR = 3_600_000;

/** Checks the option before the simulator listens: known customer and offer, quantity ≥ 1. */
export function checkForeignOrders(list: readonly ForeignOrder[] | undefined, known: (customerId: string, offerId: string) => boolean): ForeignOrder[] {
  for (const o of list ?? []) {
    const bad = !known(o.customerId, o.offerId) || !(Number.isInteger(o.quantity) && o.quantity >= 1) || (o.provisioningDelayMs !== undefined && !(o.provisioningDelayMs >= 0));
    if (bad) throw new UserError('sim.options', `Simulator foreignOrders entry ${JSON.stringify(o)}: needs a scenario customerId and offerId, quantity ≥ 1, provisioningDelayMs ≥ 0.`);
  }
  return [...(list ?? [])];
}

/** Adds each foreign order and its (not yet visible) subscription to its customer; called on every reset. */
export function seedForeignOrders(state: SimState, list: readonly ForeignOrder[]): void {
  const now = state.now();
  list.forEach((o, i) => {
    const c: SimCustomer | undefined = state.customer(o.customerId);
    const offer = state.offer(o.offerId);
    if (!c || !offer) return;
    const orderId = deterministicUuid(`sim-foreign-order:${c.id.toLowerCase()}:${i}`);
    const subscriptionId = deterministicUuid(`sim-foreign-subscription:${c.id.toLowerCase()}:${i}`).toUpperCase();
    const creationDate = isoSeconds(now);
    const friendlyName = o.friendlyName ?? offer.name;
    const nce = offer.id.includes(':') ? { availabilityId: state.availabilityId() } : {};
    c.subscriptions.push({
      id: subscriptionId,
      offerId: offer.id,
      quantity: o.quantity,
      status: 'active',
      autoRenewEnabled: true,
      friendlyName,
      creationDate,
      effectiveStartDate: creationDate,
      commitmentEndDate: addOneYear(creationDate),
      billingCycle: 'monthly',
      termDuration: 'P1Y',
      cancellationAllowedUntilDate: null,
      cancelAtTermEnd: false,
      billingStoppedAt: null,
      orderId,
      version: 1,
      visibleFrom: now + (o.provisioningDelayMs ?? HOUR),
      ...nce,
    });
    c.orders.push({ id: orderId, billingCycle: 'monthly', creationDate, lineItems: [{ lineItemNumber: 0, offerId: offer.id, quantity: o.quantity, friendlyName, subscriptionId, ...nce }] });
  });
}
