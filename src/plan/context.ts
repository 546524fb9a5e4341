import type { Catalog } from '../catalog/types.js';
import type { ResolvedOffer } from '../catalog/resolve.js';
import type { DesiredCustomer, DesiredSubscription, PartnerConfig } from '../desired/types.js';
import type { LiveCustomer, LiveOffer, LiveSubscription, LiveUser } from '../live/types.js';
import type { Findings } from './problems.js';

/** What earlier applies' journals in the state directory remember of one customer. */
export interface Remembered {
  /** The latest licence write refused for the partner's roles (journal time and pcsync's sentence). Only warns. */
  readonly licenceRefusal?: { readonly at: string; readonly message: string };
  /**
   * Per purchase action id, the nicknames under which earlier runs started that purchase, at a customer not
   * finished successfully since (apply/prior.ts `purchaseTags`). A pending order carrying one is this purchase,
   * placed by an interrupted run — apply finds it by that nickname and waits for it — not someone else's order that
   * blocks (plan/pending-orders.ts). Its nickname can differ from the one planned now: the nickname follows the seats
   * planned, and the first run planned from other reads or another desired state (a seat headroom changed since; or
   * subscribed SKUs read just after the order's subscription showed there and the subscriptions list just before).
   */
  readonly purchaseTags?: Readonly<Record<string, readonly string[]>>;
}

/** Everything the steps of one customer's plan read. Built once per customer; never changed. */
export interface CustomerContext {
  readonly desired: DesiredCustomer;
  readonly live: LiveCustomer;
  readonly catalog: Catalog;
  readonly offers: Readonly<Record<string, LiveOffer>>;
  readonly partner: PartnerConfig;
  /** Why the market's offer catalogue could not be read (country, reply), when it could not. */
  readonly catalogueProblem?: string;
  /** ISO time of the plan, for date checks. */
  readonly now: string;
  /** What earlier applies' journals remember of this customer (CustomerInput.remembered). */
  readonly remembered?: Remembered;
  /** `Company (id)`, so every message names the customer. */
  readonly who: string;
  readonly findings: Findings;
}

/** A desired subscription with what the live state says about it. */
export interface Handle {
  readonly sub: DesiredSubscription;
  readonly handle: string;
  /** The offer to have; only for `offer:` entries whose offer is known. */
  readonly offer?: ResolvedOffer;
  /** Live subscriptions it refers to, sorted by id. */
  readonly matched: readonly LiveSubscription[];
  /** Licence SKU, lower-case, when known. */
  readonly skuId?: string;
  /** `status: suspended`: the subscription is being retired. */
  readonly retiring: boolean;
  /** Offer name for humans. */
  readonly name: string;
}

/** A user who should hold the licence of `handle`. */
export interface Target {
  readonly user: LiveUser;
  readonly handle: Handle;
  readonly skuId: string;
  /** True when the user does not hold `skuId` yet. */
  readonly assign: boolean;
}

/** Licences to take from a user in the same call as any assignment. */
export interface Removal {
  readonly user: LiveUser;
  readonly skuIds: readonly string[];
  /** True when a `prune: true` subscription (not a move) is why. */
  readonly pruned: boolean;
}

export function heldSkus(user: LiveUser): readonly string[] {
  return user.licenses ?? [];
}

export function skuOf(ctx: CustomerContext, skuId: string | undefined) {
  return skuId === undefined ? undefined : ctx.live.skus.find((s) => s.skuId === skuId);
}
