import type { LiveOffer, LiveSubscription } from '../catalog/live-records.js';

export type { LiveOffer, LiveSubscription } from '../catalog/live-records.js';

/** What pcsync read from Partner Center for the customers in scope. Plain data, JSON-serialisable. */
export interface LiveState {
  /** Sorted by customer id; one entry per desired customer, also when not found. */
  readonly customers: readonly LiveCustomer[];
  /** The market's offer catalogue as listed, by upper-cased offer id (each customer adds its `subscriptionOffers`). */
  readonly offers: Readonly<Record<string, LiveOffer>>;
  /** Why the market's offer catalogue could not be read (country and reply); the catalogue is then unknown, not empty. */
  readonly catalogueProblem?: string;
}

/** The market's offer catalogue as read once per run: the run-level read every customer's plan shares. */
export interface CatalogueRead {
  /** Offers `GET /v1/offers?country=` listed, by upper-cased id, sorted; empty when `problem` is set. */
  readonly offers: Readonly<Record<string, LiveOffer>>;
  /** Why the list could not be read, or was empty: the catalogue is then unknown, never "no offers". */
  readonly problem?: string;
}

export interface LiveCustomer {
  readonly id: string;
  /** False when Partner Center does not know the customer (or the partner has no relationship). */
  readonly found: boolean;
  readonly domain?: string;
  readonly companyName?: string;
  readonly subscriptions: readonly LiveSubscription[];
  readonly skus: readonly LiveSku[];
  /** Every user of the customer. `licenses` is present only for users whose licences were read. */
  readonly users: readonly LiveUser[];
  /** Hash of exactly the fields the plan depends on; apply compares it to refuse stale plans. */
  readonly fingerprint: string;
  /**
   * True when the licences of every holder of each relevant SKU have been read
   * (the holders found equal the SKU's consumed units).
   */
  readonly holdersComplete: boolean;
  /** Per SKU whose every holder matters: what subscribedskus said and what the licence reads found. */
  readonly holderChecks?: readonly HolderCheck[];
  /**
   * Set when reading this customer failed even after retries (the partner-readable reason). Nothing else about
   * the customer is known; the plan blocks it, and every other customer goes on.
   */
  readonly readError?: string;
  /** Who must act on `readError` (error-codes.ts): run again later, a person, or a pcsync bug. */
  readonly readErrorActor?: 'retry' | 'person' | 'bug';
  /**
   * Order lines not provisioned yet (their subscriptions are not listed), whoever placed them. Absent when the
   * desired state buys nothing (the orders were not read).
   */
  readonly pendingOrders?: readonly LivePendingOrder[];
  /** Values Partner Center sent that pcsync does not know, kept as sent; the plan shows them as warnings. */
  readonly oddValues?: readonly LiveOddValue[];
  /**
   * Offers of this customer's own subscriptions that the catalogue list lacks but answered a look-up by id (retired
   * offers), by upper-cased id. The plan resolves against the catalogue plus these, and nothing other customers
   * looked up. Absent when there are none.
   */
  readonly subscriptionOffers?: Readonly<Record<string, LiveOffer>>;
  /**
   * Whether Partner Center will accept this customer's licence writes, from the read-only GDAP pre-check (gdap.ts).
   * Absent when not checked (the desired state moves no licences, or the reader has no pre-check).
   */
  readonly gdap?: LiveGdap;
  /**
   * Whether the customer accepted the Microsoft Customer Agreement (read only when the desired state buys):
   * `missing` means Partner Center will refuse an order with 403 13605; `unknown` says why it could not be read.
   */
  readonly customerAgreement?: { readonly state: 'accepted' | 'missing' | 'unknown'; readonly why?: string };
  /**
   * Products named by `renewal: offer` (new-commerce `productId:skuId`, upper-case): the terms this customer can buy
   * them with (its availabilities), or why that could not be read. Absent when no renewal names a product.
   */
  readonly renewalProducts?: Readonly<Record<string, LiveRenewalProduct>>;
}

/** What a product can be renewed into: its availabilities' terms (`P1Y monthly`, …), empty when none is sold. */
export interface LiveRenewalProduct {
  readonly terms: readonly { readonly term: string; readonly billing: string }[];
  readonly title?: string;
  readonly problem?: string;
}

/** The GDAP pre-check of licence writes for one customer (partner-center-2026-12.md §1). */
export interface LiveGdap {
  /** `allowed`: verified; `refused`: Partner Center will refuse them (`why`, `fix`); `unknown`: see `notVerified`. */
  readonly licenceWrites: 'allowed' | 'refused' | 'unknown';
  /** What is missing, in words (refused). */
  readonly why?: string;
  /** Who must act and what to do (refused). */
  readonly fix?: string;
  /** What could not be verified read-only, and why (unknown). */
  readonly notVerified?: string;
  /** Unknown because Graph did not answer (no reply, timeout, 429, 5xx, after the retries): may pass. */
  readonly transient?: boolean;
  /** The relationship's end, when it ends within two weeks of the plan. */
  readonly endsAt?: string;
  /** The earliest end of the customer's active GDAP relationship(s), whenever Graph gave one (licence writes end then). */
  readonly relationshipEnds?: string;
}

/** One field of one resource whose value pcsync does not know (an enum value added later, an unreadable date). */
export interface LiveOddValue {
  readonly resource: 'customer' | 'subscription' | 'user';
  readonly id: string;
  readonly field: string;
  readonly value: string;
  readonly why: 'unknown-value' | 'unreadable-date';
}

/** The numbers behind `holdersComplete` for one SKU, so a blocker can say which of them disagree. */
export interface HolderCheck {
  readonly skuId: string;
  /** consumedUnits from subscribedskus; absent when the reply did not list the SKU although a subscription grants it. */
  readonly consumedUnits?: number;
  /** Users whose licences were read and who hold the SKU. */
  readonly holdersFound: number;
  /** Users whose licences were read. */
  readonly usersRead: number;
  /** Users listed for the customer. */
  readonly users: number;
}

/** One line of an order whose subscription is still being provisioned. */
export interface LivePendingOrder {
  readonly orderId: string;
  /** Order status as sent, lower-case (`pending`, …). */
  readonly status: string;
  /** Upper-cased offer id. */
  readonly offerId: string;
  readonly quantity: number;
  /** Nickname of the subscription it creates; pcsync's own purchases carry `pcsync <handle> <tag>`. */
  readonly friendlyName?: string;
  readonly subscriptionId?: string;
}

export interface LiveSku {
  /** `productSku.id`, lower-cased. */
  readonly skuId: string;
  readonly skuPartNumber?: string;
  readonly name?: string;
  readonly totalUnits: number;
  readonly consumedUnits: number;
  readonly availableUnits: number;
  readonly activeUnits: number;
  readonly suspendedUnits: number;
  readonly warningUnits: number;
  /** The SKU's service plans as subscribedskus lists them; absent when it listed none. */
  readonly servicePlans?: readonly LivePlan[];
}

/** A service plan (partner-center-2026-12.md §5): its id (what `excludedPlans` takes) and names. */
export interface LivePlan {
  /** Lower-cased service plan id. */
  readonly id: string;
  /** e.g. `EXCHANGE_S_FOUNDATION`: the same plan keeps its name across SKUs. */
  readonly serviceName?: string;
  readonly displayName?: string;
}

export interface LiveUser {
  readonly id: string;
  /** Lower-cased user principal name. */
  readonly upn: string;
  readonly displayName?: string;
  readonly usageLocation?: string;
  readonly state?: string;
  /** Lower-cased SKU ids the user holds; undefined when not read (not relevant to the plan). */
  readonly licenses?: readonly string[];
  /**
   * Per held SKU id (lower case), the service plans switched off for this user (`capabilityStatus` Disabled in
   * the licences read); absent when none is off or the licences were not read.
   */
  readonly disabledPlans?: Readonly<Record<string, readonly LivePlan[]>>;
}
