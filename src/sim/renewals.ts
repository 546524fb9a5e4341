import type { AuditLog } from './audit.js';
import type { Middleware } from './context.js';
import { addTerm, isoSeconds, type SimCustomer, type SimSubscription } from './model.js';
import type { SimState } from './state.js';

const DAY = 86_400_000;
/** New commerce: a renewal opens a fresh cancellation window of this many days (partner-center-2026.md §2). */
const WINDOW_DAYS = 7;

/**
 * Whether a subscription renews now: new commerce, active, auto-renew on, no cancel at term end, still billed, and
 * its term has ended on the simulator's clock. Legacy subscriptions and auto-renew off are left alone (their billing
 * ends or rolls into the extended service term as `billedUntil` says).
 */
function due(s: SimSubscription, now: number): boolean {
  return (
    s.cancellationAllowedUntilDate !== null &&
    s.status === 'active' &&
    s.autoRenewEnabled &&
    !s.cancelAtTermEnd &&
    s.billingStoppedAt === null &&
    Date.parse(s.commitmentEndDate) <= now
  );
}

/**
 * The renewal of one term at its `commitmentEndDate`: the scheduled next-term instructions, when set, become the new
 * term's offer (SKU), quantity, term and billing; the users keep the licences they hold (Microsoft does not move them,
 * partner-center-2026-12.md §4 [not found]: the simulator assumes they do not follow). A new term and a new
 * cancellation window start; the instructions are used up. One `subscription-renewed` audit entry.
 */
function renew(state: SimState, audit: AuditLog, c: SimCustomer, s: SimSubscription): void {
  const renewedAt = s.commitmentEndDate;
  const shape = () => ({ offerId: s.offerId, quantity: s.quantity, termDuration: s.termDuration, billingCycle: s.billingCycle, commitmentEndDate: s.commitmentEndDate });
  const before = shape();
  const next = s.nextTerm;
  if (next) {
    s.offerId = state.offer(next.offerId)?.id ?? next.offerId;
    s.availabilityId = next.availabilityId;
    s.quantity = next.quantity;
    s.termDuration = next.termDuration;
    s.billingCycle = next.billingCycle;
  }
  delete s.nextTerm;
  s.effectiveStartDate = renewedAt;
  s.commitmentEndDate = addTerm(renewedAt, s.termDuration);
  s.cancellationAllowedUntilDate = isoSeconds(Date.parse(renewedAt) + WINDOW_DAYS * DAY);
  s.version += 1;
  audit.record({ type: 'subscription-renewed', customerId: c.id, subscriptionId: s.id, renewedAt, before, after: shape() });
}

/** Renews every subscription whose term has ended on the simulator's clock (option `renewals`), term by term. */
export function renewDue(state: SimState, audit: AuditLog): void {
  if (!state.options.renewals) return;
  const now = state.now();
  for (const c of state.customers.values()) {
    for (const s of c.subscriptions) {
      while (due(s, now)) renew(state, audit, c, s);
    }
  }
}

/** Before every request (admin hooks included), renewals that are due happen first. */
export const renewalsDue: Middleware = async (ctx, next) => {
  renewDue(ctx.state, ctx.audit);
  await next();
};
