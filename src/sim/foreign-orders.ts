import { UserError } from '../core/errors.js';

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

/** Checks the option before the simulator listens: known customer and offer, quantity ≥ 1. */
export function checkForeignOrders(list: readonly ForeignOrder[] | undefined, known: (customerId: string, offerId: string) => boolean): ForeignOrder[] {
  for (const o of list ?? []) {
    const bad = !known(o.customerId, o.offerId) || !(Number.isInteger(o.quantity) && o.quantity >= 1) || (o.provisioningDelayMs !== undefined && !(o.provisioningDelayMs >= 0));
    if (bad) throw new UserError('sim.options', `Simulator foreignOrders entry ${JSON.stringify(o)}: needs a scenario customerId and offerId, quantity ≥ 1, provisioningDelayMs ≥ 0.`);
  }
  return [...(list ?? [])];
}
