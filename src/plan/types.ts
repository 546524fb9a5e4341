import type { SourceLocation } from '../core/diagnostics.js';

/**
 * Version of the saved plan format. Reading a plan of another version fails by name. 2: retirements are named
 * for what they do (`suspend`, `cancel` with its end-at-term fallback, `end-at-term`); version 1 stored every
 * retirement as `suspend` with a `retirement` field. 3: `schedule-renewal` actions, and the cost preview prices them
 * (`cost.renewals`).
 */
export const PLAN_FORMAT_VERSION = 3;

/** The whole plan: plain, readonly, JSON-serialisable data. Renderers are pure functions of it. */
export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  /** pcsync version that produced the plan. */
  readonly pcsyncVersion: string;
  /** ISO time the plan was made (passed in; the planner has no clock). */
  readonly createdAt: string;
  /** Hash of the desired state the plan was made from. */
  readonly desiredHash: string;
  /** Hash of every customer's actions (ids, kinds and parameters); what reviewers approve. */
  readonly actionsHash: string;
  /** Sorted by customer id. */
  readonly customers: readonly CustomerPlan[];
  /** Cost preview of every purchase, when a price source is configured (`prices:` in pcsync.yaml). */
  readonly cost?: PlanCost;
  /**
   * Set on a plan made by `pcsync undo`: what the applied plan it undoes bought and moved. Apply re-plans such a
   * plan from this and live state (plan/undo.ts), never from the desired state.
   */
  readonly undo?: UndoSource;
}

/** One purchase of an applied plan, as `pcsync undo` needs it: found again live by its nickname (`friendlyName`). */
export interface UndoPurchase {
  readonly actionId: string;
  readonly handle: string;
  readonly friendlyName: string;
  readonly offerName: string;
  readonly skuId?: string;
}

/** One licence move of an applied plan: the user got `assignSkuId` and lost `removeSkuIds` in one call. */
export interface UndoMove {
  readonly userId: string;
  readonly upn: string;
  readonly assignSkuId: string;
  readonly removeSkuIds: readonly string[];
  readonly removeNames?: readonly string[];
}

/** What an applied plan did, per customer: the source `pcsync undo` plans from (plan/undo.ts). */
export interface UndoSource {
  /** The actions hash of the applied plan (what its reviewers approved). */
  readonly actionsHash: string;
  /** When that plan was made. */
  readonly createdAt: string;
  readonly customers: readonly { readonly customerId: string; readonly purchases: readonly UndoPurchase[]; readonly moves: readonly UndoMove[] }[];
}

export interface CustomerPlan {
  readonly customerId: string;
  /** Company name or domain when known, for humans. */
  readonly displayName: string;
  /** Desired-state file this customer comes from. */
  readonly file: string;
  /** Hash of the customer's desired content the plan was made from. */
  readonly desiredHash: string;
  /**
   * Hash of the live fields the plan depends on, at plan time: for resuming and diagnostics. Apply decides staleness
   * by re-planning the customer (the actions must be the approved ones), not by this hash.
   */
  readonly fingerprint: string;
  /** Ordered by the one comparator (phase → subscription/user). Empty when blocked. */
  readonly actions: readonly Action[];
  /** Anything here means no write for this customer. */
  readonly blockers: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/** A blocker or warning found while planning. */
export interface Problem {
  /** Stable code, e.g. `holder-not-in-desired-state`, `unknown-offer`, `customer-not-found`. */
  readonly code: string;
  readonly message: string;
  /** What the partner can do about it. */
  readonly hint?: string;
  /** User principal name this is about, when it is about one user. */
  readonly user?: string;
  readonly source?: SourceLocation;
  /**
   * True when the cause may pass by itself — a read that failed, a partial reply, a count lagging behind a licence
   * change — so the same plan may apply later: apply then fails the customer as transient ("run apply again")
   * instead of sending the change back to review.
   */
  readonly retry?: true;
}

/** Why an action exists. Explains; the executor never branches on it. */
export type ReasonCode =
  | 'retired-offer-replaced'
  | 'subscription-missing'
  | 'quantity-below-assigned'
  | 'quantity-below-desired'
  | 'user-listed-for-new-sku'
  | 'holder-of-retiring-sku'
  | 'retiring-subscription'
  | 'new-subscription-provisioning'
  /** `prune: true`: the user is not listed for this licence, so it is removed (destructive). */
  | 'prune-unlisted-holder'
  /** `renewal:` differs from the next term Partner Center will renew into. */
  | 'renewal-differs'
  /** The subscription renewed into another SKU: its holders still hold the old one, which nothing pays for. */
  | 'renewed-into-new-sku'
  /** `pcsync undo`: a user goes back to the licence an applied plan moved them off. */
  | 'undo-move'
  /** `pcsync undo`: a subscription an applied plan bought is cancelled inside its cancellation window. */
  | 'undo-purchase';

interface ActionBase {
  /** Stable id, unique in the plan: `<customerId>/<kind>/<subject>`. */
  readonly id: string;
  readonly customerId: string;
  /** Ids of actions that must succeed first. */
  readonly dependsOn: readonly string[];
  readonly reason: ReasonCode;
  /** Human sentence for the reason, with the concrete values. */
  readonly reasonText: string;
  /** True when apply cannot undo it by itself (a purchase, a suspend). */
  readonly irreversible: boolean;
}

/** Buy a new subscription, or raise the quantity of an existing one. */
export interface PurchaseAction extends ActionBase {
  readonly kind: 'purchase';
  /** Desired subscription handle. */
  readonly handle: string;
  readonly offerId: string;
  readonly offerName: string;
  /** Licence SKU the purchase adds seats to (lower-case), when known. */
  readonly skuId?: string;
  /** `new` places an order; `increase` PATCHes the quantity of `observed.subscriptionId`. */
  readonly mode: 'new' | 'increase';
  /** Seats the order asks for (`new`) or the new total quantity (`increase`). */
  readonly quantity: number;
  readonly term?: string;
  readonly billing?: string;
  /** Nickname of the new subscription; carries the action id so a re-list can find it. */
  readonly friendlyName: string;
  /** Deterministic `MS-RequestId` for this purchase (idempotency key). */
  readonly requestId: string;
  readonly observed: { readonly subscriptionId?: string; readonly quantity: number };
  readonly desired: { readonly quantity: number };
  /**
   * Preconditions of the steps after this purchase that could not be verified read-only (e.g. the partner's GDAP
   * access for licence writes, plan/gdap.ts), in words; shown on the purchase line so the reviewer approves knowingly.
   */
  readonly notVerified?: readonly string[];
}

/** Wait until the new subscription exists and its SKU shows enough available units. */
export interface AwaitProvisioningAction extends ActionBase {
  readonly kind: 'await-provisioning';
  readonly handle: string;
  /** The purchase whose subscription is awaited. */
  readonly purchaseActionId: string;
  readonly skuId?: string;
  /** Available units needed on `skuId` before licences move. */
  readonly minAvailableUnits: number;
  readonly timeoutSeconds: number;
}

/** One `licenseupdates` call for one user: assign the new SKU and remove the old ones together. */
export interface ReassignAction extends ActionBase {
  readonly kind: 'reassign';
  readonly userId: string;
  readonly upn: string;
  /** Handle whose licence the user gets (absent for remove-only). */
  readonly toHandle?: string;
  /** SKU to assign; absent when the user already holds it and only the old one goes. */
  readonly assignSkuId?: string;
  /** SKUs removed in the same call. */
  readonly removeSkuIds: readonly string[];
  readonly observed: { readonly skuIds: readonly string[] };
  readonly desired: { readonly skuIds: readonly string[] };
  /** Display only: offer name of the assigned licence. */
  readonly assignName?: string;
  /** Display only: offer names of the removed licences, same order as `removeSkuIds`. */
  readonly removeNames?: readonly string[];
  /**
   * Service plans switched off for this user on the removed licences that stay off on the assigned one: sent as
   * `excludedPlans` (the new SKU's ids, matched by id or serviceName; plan/service-plans.ts). Absent: none.
   */
  readonly excludedPlans?: readonly { readonly id: string; readonly serviceName?: string; readonly displayName?: string }[];
}

/**
 * How a retiring subscription stops being used and paid for — one strategy per kind of subscription, and one
 * action kind per strategy, so a tool reading the plan sees what each does:
 * - `suspend`: legacy offers — PATCH status suspended; de-provisioned after 120 days at no further charge;
 * - `cancel`: new commerce inside its cancellation window — PATCH status deleted (prorated refund);
 * - `end-at-term`: new commerce past the window — PATCH auto-renew off with a `Cancel` at `TermEnd`
 *   scheduled action; the seats are paid until the term ends (they cannot be reduced mid-term).
 * Sources: partner-center-api.md §5 and its 2026-11 additions; partner-center-2026.md §2.
 */
export type Retirement = 'suspend' | 'cancel' | 'end-at-term';

/** The retirement kinds, in the order they run (all after the licence moves). */
export const RETIREMENTS: readonly Retirement[] = ['suspend', 'cancel', 'end-at-term'];

/** What every retirement has: the subscription, its licence SKU and what was observed when planning. */
interface RetireBase extends ActionBase {
  readonly handle: string;
  readonly subscriptionId: string;
  readonly offerName: string;
  readonly skuId?: string;
  readonly observed: { readonly status: string; readonly consumedUnits: number; readonly autoRenewEnabled?: boolean };
}

/** Suspend a legacy subscription once nobody consumes its SKU (de-provisioned 120 days later, at no further charge). */
export interface SuspendAction extends RetireBase {
  readonly kind: 'suspend';
  readonly desired: { readonly status: 'suspended' };
}

/**
 * Set a new-commerce subscription to end at its term end: auto-renew off and a `Cancel` at `TermEnd` scheduled
 * action. The customer keeps paying for `paidSeats` until `paidUntil`.
 */
export interface EndAtTermAction extends RetireBase {
  readonly kind: 'end-at-term';
  /** The term end (`commitmentEndDate`); absent when Partner Center did not send it. */
  readonly paidUntil?: string;
  readonly paidSeats: number;
  readonly desired: { readonly autoRenewEnabled: false; readonly cancelAtTermEnd: true };
}

/**
 * Cancel a new-commerce subscription inside its cancellation window (PATCH status deleted; billing stops). The
 * window may close while the licence moves run: `fallback` is what apply does then instead — the end-at-term the
 * reviewer approved with it — so the subscription never stays on auto-renew.
 */
export interface CancelAction extends RetireBase {
  readonly kind: 'cancel';
  /** `cancellationAllowedUntilDate` when planned: the last moment Partner Center accepts the cancel. */
  readonly cancellableUntil: string;
  readonly desired: { readonly status: 'deleted' };
  /** Taken when the window has closed by the time the cancel runs (or Partner Center says so: 400, 900117). */
  readonly fallback: { readonly kind: 'end-at-term'; readonly paidUntil?: string; readonly paidSeats: number };
}

export type RetireAction = SuspendAction | EndAtTermAction | CancelAction;

/** The shape of a term: offer (`productId:skuId`), seats, term and billing. */
export interface TermShape {
  /** New-commerce `productId:skuId` (upper-case, no availability). */
  readonly offerId: string;
  readonly quantity: number;
  readonly term: string;
  readonly billing: string;
}

/**
 * Schedule the next term of a new-commerce subscription for its renewal (`scheduledNextTermInstructions` on the
 * subscription PATCH; learn create-scheduled-changes). Nothing changes before `renewsOn`: seats are never reduced
 * mid-term. Reversible (another plan can schedule something else until the renewal).
 */
export interface ScheduleRenewalAction extends ActionBase {
  readonly kind: 'schedule-renewal';
  readonly handle: string;
  readonly subscriptionId: string;
  /** Offer name of the current term. */
  readonly offerName: string;
  readonly skuId?: string;
  /** When the renewal happens: the term end (`commitmentEndDate`). */
  readonly renewsOn: string;
  /** The current term, and what is scheduled for the next one now (absent: nothing, it renews as it is). */
  readonly observed: TermShape & { readonly scheduled?: TermShape; readonly holders?: number };
  /** The next term to schedule; `offerName` names its offer. */
  readonly desired: TermShape & { readonly offerName: string };
}

export type Action = PurchaseAction | AwaitProvisioningAction | ReassignAction | RetireAction | ScheduleRenewalAction;
export type ActionKind = Action['kind'];

/** True for the actions that retire a subscription (suspend, cancel, end-at-term). */
export function isRetirement(a: Action): a is RetireAction {
  return (RETIREMENTS as readonly string[]).includes(a.kind);
}

/** Execution phases in order; the comparator sorts by this first. */
export const PHASES: readonly ActionKind[] = ['purchase', 'await-provisioning', 'reassign', ...RETIREMENTS, 'schedule-renewal'];

/** The cost of one purchase. `unitPrice`, `monthly` and `committed` are absent when the price is unknown (never 0). */
export interface PurchaseCost {
  readonly actionId: string;
  readonly customerId: string;
  readonly offerId: string;
  readonly offerName: string;
  /** Seats this purchase adds. */
  readonly seats: number;
  /** Term the price is for (the purchase's, or `P1Y` for a legacy offer). */
  readonly term: string;
  /** Billing plan the price is for (the purchase's, or `monthly` for a legacy offer). */
  readonly billing: string;
  /** Months the purchase commits to (P1M 1, P1Y 12, P3Y 36). */
  readonly termMonths: number;
  readonly currency?: string;
  /** Price of one seat for one month (UnitPrice ÷ months per billing period), rounded to cents. */
  readonly unitPrice?: number;
  /**
   * The price row's UnitPrice for one seat and one billing period, exactly as the source wrote it (a plain decimal,
   * never rounded): the unit price above is rounded to cents, so a rise of less than a cent a month shows only here.
   * Covered by the actions hash and compared exactly at apply.
   */
  readonly periodPrice?: string;
  /** unitPrice × seats, per month. */
  readonly monthly?: number;
  /** unitPrice × seats × termMonths: what the purchase commits to. */
  readonly committed?: number;
  /** The price row used. */
  readonly priceRow?: string;
  /** Why the price is unknown. */
  readonly unknown?: string;
}

export interface CurrencyTotal {
  readonly currency: string;
  readonly monthly: number;
  readonly committed: number;
  readonly purchases: number;
}

/** The cost preview of a plan: per purchase, and totals per currency. Purchases with unknown prices are counted apart, never as 0. */
export interface PlanCost {
  readonly source: string;
  readonly market: string;
  /** One per purchase action of the plan, in plan order. */
  readonly purchases: readonly PurchaseCost[];
  /** Sorted by currency. */
  readonly totals: readonly CurrencyTotal[];
  /** Purchases whose price is unknown (not in any total). */
  readonly unknownPurchases: number;
  /** One per `schedule-renewal` action, in plan order (absent when there are none). */
  readonly renewals?: readonly RenewalCost[];
}

/**
 * The money effect of a change at renewal, per year: the current term's seats at today's price against the next
 * term's seats at the price that applies on the renewal date. Absent amounts = unknown (never 0), with `unknown`.
 */
export interface RenewalCost {
  readonly actionId: string;
  readonly customerId: string;
  readonly renewsOn: string;
  readonly currency?: string;
  /** Price of one seat per month now (current offer, term, billing) and at the renewal (next term's). */
  readonly unitPriceNow?: number;
  readonly unitPriceNext?: number;
  /** Seats × unit price × 12, now and for the next term. */
  readonly yearlyNow?: number;
  readonly yearlyNext?: number;
  /** yearlyNext − yearlyNow: negative saves money. */
  readonly yearlyChange?: number;
  /** Why it is unknown. */
  readonly unknown?: string;
}
