import type { SourceLocation } from '../core/diagnostics.js';
import type { Problem } from './types.js';

/** Codes of problems that stop a customer's plan before any write. */
export type BlockerCode =
  /** `renewal:` cannot be scheduled: Partner Center would refuse it (plan/renewal.ts). */
  | 'renewal-not-schedulable'
  /** `renewal:` of a subscription whose term has already ended. */
  | 'renewal-date-passed'
  | 'customer-not-found'
  | 'live-read-failed'
  | 'domain-mismatch'
  | 'unknown-offer'
  | 'offer-not-purchasable'
  | 'sku-unknown'
  | 'sku-not-reported'
  | 'catalogue-unreadable'
  /** A retiring `match` finds nothing while the customer still has a retired subscription nothing matches (a typo). */
  | 'match-finds-nothing'
  /** A read the plan needs was not made (a pcsync bug): unknown, never "nothing to do". */
  | 'read-missing'
  /** The GDAP pre-check shows Partner Center will refuse this customer's licence writes (plan/gdap.ts). */
  | 'licence-writes-refused'
  /** The GDAP relationship ends before the licence moves after a purchase could be done (plan/gdap.ts). */
  | 'gdap-relationship-ends-before-moves'
  /** The customer has not accepted the Microsoft Customer Agreement: an order would be refused (403 13605). */
  | 'customer-agreement-missing'
  | 'quantity-unknown'
  | 'user-not-found'
  | 'usage-location-missing'
  | 'user-in-several-subscriptions'
  | 'licence-for-retiring-subscription'
  | 'holder-not-in-desired-state'
  | 'holders-unknown'
  | 'subscription-expired'
  | 'subscription-pending'
  | 'subscription-suspended'
  | 'purchase-too-large'
  | 'seats-short'
  | 'spend-cap'
  | 'spend-over-cap'
  | 'spend-unknown'
  | 'suspend-not-allowed'
  /** An order of the same offer is still being provisioned (someone else's, or another run's). */
  | 'order-pending'
  /** The retiring SKU is also granted by a subscription that stays; holders cannot be attributed. */
  | 'sku-shared'
  /** A new-commerce subscription asked to be suspended: that does not stop its billing. */
  | 'suspend-keeps-billing'
  | 'cancellation-window-passed'
  | 'retirement-not-for-legacy';

/** Codes of problems worth a reviewer's attention that do not stop anything. */
export type WarningCode =
  /** `renewal:` of a subscription still to be bought: scheduled by a later plan. */
  | 'renewal-after-purchase'
  /** The next term has fewer seats than users hold the licence now. */
  | 'renewal-below-holders'
  | 'from-matches-nothing'
  | 'commitment-ended'
  | 'prune-removes-licences'
  | 'quantity-not-lowered'
  | 'unknown-value'
  /** The replacement is in another price group (commercial for Government, Faculty, Students) than the retired offer. */
  | 'price-group-changed'
  /** A new-commerce subscription set to end at term end: paid until then. */
  | 'paid-until-term-end'
  | 'gdap-relationship-ending'
  /** Graph did not answer the GDAP pre-check (after the retries): not verified now, may pass. */
  | 'gdap-read-failed'
  /** An earlier apply's licence write at this customer was refused for the partner's roles (journal). */
  | 'licence-writes-refused-before'
  /** A precondition of the licence moves could not be verified read-only, and nothing is bought to say it on. */
  | 'not-verified'
  /** A cancel's window may close before apply reaches it: the approved end-at-term fallback is likely taken. */
  | 'cancel-may-fall-back'
  /** A holder's disabled service plans cannot all be kept off on the new licence. */
  | 'service-plans-not-carried'
  /** The offer bought resolved to another name than the YAML wrote. */
  | 'offer-name-differs';

export interface ProblemDetail {
  readonly hint?: string;
  readonly user?: string;
  readonly source?: SourceLocation;
  /** The cause may pass by itself (see `Problem.retry`). */
  readonly retry?: true;
}

export function problem(code: BlockerCode | WarningCode, message: string, detail: ProblemDetail = {}): Problem {
  return { code, message, ...detail };
}

/** Collects one customer's blockers and warnings while its plan is built, in the order they are found. */
export class Findings {
  readonly blockers: Problem[] = [];
  readonly warnings: Problem[] = [];

  block(code: BlockerCode, message: string, detail?: ProblemDetail): void {
    this.blockers.push(problem(code, message, detail));
  }

  warn(code: WarningCode, message: string, detail?: ProblemDetail): void {
    this.warnings.push(problem(code, message, detail));
  }
}
