import { hashOfItems } from '../core/hash.js';
import type { Action } from './types.js';

/**
 * The actions hash of a plan: sha256 over every customer's id and actions (ids, kinds, parameters), in plan
 * order. What reviewers approve; apply recomputes it from the actions it is about to run and never trusts a
 * plan file's own `actionsHash` field. Fed one customer at a time (a fleet's whole text is never built).
 */
export function actionsHashOf(customers: readonly { readonly customerId: string; readonly actions: readonly Action[] }[]): string {
  return hashOfItems(eachCustomer(customers));
}

function* eachCustomer(customers: readonly { readonly customerId: string; readonly actions: readonly Action[] }[]) {
  for (const c of customers) yield { customerId: c.customerId, actions: c.actions };
}
