import type { CustomerContext } from './context.js';
import type { Action, PurchaseAction } from './types.js';

/**
 * Before a new order: has the customer accepted the Microsoft Customer Agreement? Read-only through the
 * agreements list (learn `get-confirmation-of-customer-agreement`); Partner Center refuses an order without it
 * (403 13605, partner-center-2026.md §2). Missing → a blocker saying the customer must act, nothing bought;
 * unreadable → said on the purchase line (`notVerified`).
 */
export function checkCustomerAgreement(ctx: CustomerContext, actions: readonly Action[]): Action[] {
  const agreement = ctx.live.customerAgreement;
  const orders = actions.filter((a): a is PurchaseAction => a.kind === 'purchase' && a.mode === 'new');
  if (!agreement || orders.length === 0 || agreement.state === 'accepted') return [...actions];
  if (agreement.state === 'missing') {
    ctx.findings.block('customer-agreement-missing', `${ctx.who}: the customer has not accepted the Microsoft Customer Agreement, so Partner Center would refuse the order (403 13605); nothing is bought or changed for this customer`, {
      hint: 'the customer must act: accept the Microsoft Customer Agreement (the partner sends the acceptance link from Partner Center → customer → Account); then plan again',
      source: ctx.desired.source,
    });
    return [...actions];
  }
  const note = `the customer's acceptance of the Microsoft Customer Agreement (${agreement.why ?? 'not read'})`;
  return actions.map((a): Action => (a.kind === 'purchase' && a.mode === 'new' ? { ...a, notVerified: [...(a.notVerified ?? []), note] } : a));
}
