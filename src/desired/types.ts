import type { SourceLocation } from '../core/diagnostics.js';

/** Everything in `desired-state/`, validated and normalised. */
export interface DesiredState {
  /** Directory the state was loaded from. */
  readonly root: string;
  readonly partner: PartnerConfig;
  /** Sorted by customer id. */
  readonly customers: readonly DesiredCustomer[];
  /** Hash over the normalised content of every file (partner config + customers). */
  readonly contentHash: string;
}

/** `desired-state/pcsync.yaml`: partner-wide settings. Every field has a default. */
export interface PartnerConfig {
  /** ISO-3166 alpha-2 country the catalogue is read for (`GET /v1/offers?country=`). Default `US`. */
  readonly country: string;
  /** Customers worked on at once during apply. Default 4. */
  readonly concurrency: number;
  /** Users of one customer whose licences are moved at once. Default 4. */
  readonly userConcurrency: number;
  /** Extra seats bought on top of `quantity: auto`. Default 0. */
  readonly seatHeadroom: number;
  readonly policy: PartnerPolicy;
  /** Retired offers and replacements added to the built-in catalogue. */
  readonly catalog: CatalogAdditions;
  /** Where the plan's cost preview takes prices from; absent = no prices. */
  readonly prices?: PriceSettings;
  /** Where the file was, when it exists. */
  readonly file?: string;
}

export interface PartnerPolicy {
  /** When false, `status: suspended` is a blocker instead of an action. Default true. */
  readonly allowSuspend: boolean;
  /** Largest quantity one purchase may ask for. Default 300. */
  readonly maxSeatsPerPurchase: number;
  /** Largest number of seats bought in one run over all customers; unset = no cap. */
  readonly maxSeatsPerRun?: number;
  /** Most one run may commit to (unit price × seats × term months over all purchases); unset = no cap. Needs `prices`. */
  readonly maxSpendPerRun?: { readonly amount: number; readonly currency: string };
  /** Seconds `await-provisioning` waits for a new subscription. Default 900. */
  readonly provisioningTimeoutSeconds: number;
}

/** `prices:` in pcsync.yaml: exactly one source. */
export interface PriceSettings {
  /** A downloaded licence-based price list (CSV, the price sheet's columns), relative to the desired-state directory. */
  readonly file?: string;
  /** Read Partner Center's price sheet API (`updatedlicensebased` view for `country`), once per run. */
  readonly priceSheet?: boolean;
}

export interface CatalogAdditions {
  readonly retired: readonly RetiredOfferAddition[];
  readonly replacements: readonly ReplacementAddition[];
}

export interface RetiredOfferAddition {
  /** Exact `offerName` of the retired subscription as Partner Center shows it. */
  readonly offerName: string;
  /** Licence SKU (`productSku.id`) the retired subscription's users hold, if known. */
  readonly skuId?: string;
  /** Names or offer ids of the suggested replacements. */
  readonly replacements: readonly string[];
}

export interface ReplacementAddition {
  readonly name: string;
  readonly offerId: string;
  readonly skuId?: string;
}

/** One file in `desired-state/customers/`. */
export interface DesiredCustomer {
  readonly file: string;
  readonly id: string;
  readonly domain?: string;
  /** In file order. */
  readonly subscriptions: readonly DesiredSubscription[];
  /** In file order. */
  readonly licenses: readonly DesiredLicenseEntry[];
  /** Hash of this customer's normalised content. */
  readonly contentHash: string;
  /** Where `domain:` is written. */
  readonly domainSource?: SourceLocation;
  readonly source: SourceLocation;
}

/** How a desired subscription finds its live counterpart. At least one field is set. */
export interface SubscriptionMatch {
  readonly offerName?: string;
  readonly offerId?: string;
  readonly subscriptionId?: string;
}

/**
 * How a subscription is to be retired once nobody holds its licence:
 * - `suspended`: PATCH status suspended — right for legacy offers (de-provisioned after 120 days, no charge);
 * - `cancelled`: new commerce, PATCH status deleted inside the cancellation window;
 * - `ends-at-term`: new commerce, auto-renew off with a cancel at term end (paid until the term ends);
 * - `retired`: the planner picks the one that stops paying, from the subscription's kind and dates.
 */
export type RetireIntent = 'suspended' | 'cancelled' | 'ends-at-term' | 'retired';

export interface DesiredSubscription {
  /** Local name used by `licenses[].subscription` and `from:`. */
  readonly handle: string;
  /** Catalogue name or offer id to have (bought when missing). Absent for `match`-only entries. */
  readonly offer?: string;
  readonly match?: SubscriptionMatch;
  /** A number, `auto` (= users assigned here + headroom, never lowered), or absent (leave as is). */
  readonly quantity?: number | 'auto';
  /** Desired status. Default `active`; any other value retires the subscription (see `RetireIntent`). */
  readonly status: 'active' | RetireIntent;
  /** Remove this SKU from users the YAML does not mention (destructive). Default false. */
  readonly prune: boolean;
  /** New-commerce term and billing (only for `productId:skuId:availabilityId` offers). */
  readonly term?: 'P1M' | 'P1Y' | 'P3Y';
  readonly billing?: 'monthly' | 'annual' | 'triennial';
  /** Licence SKU override, for offers whose SKU the catalogue cannot tell. */
  readonly skuId?: string;
  /** New commerce: the next term, scheduled at the renewal (`renewal:`). */
  readonly renewal?: DesiredRenewal;
  /** The subscription's handle line. */
  readonly source: SourceLocation;
  /** Where `offer:` and `quantity:` are written, so problems with them point at their own line. */
  readonly fieldSources?: { readonly offer?: SourceLocation; readonly quantity?: SourceLocation; readonly status?: SourceLocation };
}

/** `renewal:` of a new-commerce subscription: what the next term is to be; absent fields keep the current value. */
export interface DesiredRenewal {
  /** Seats of the next term, or `assigned` (holders at planning time + seatHeadroom). */
  readonly quantity?: number | 'assigned';
  /** Offer (product/SKU) of the next term: a new-commerce id or a catalogue name. */
  readonly offer?: string;
  readonly term?: 'P1M' | 'P1Y' | 'P3Y';
  readonly billing?: 'monthly' | 'annual' | 'triennial';
  /** The `renewal:` line. */
  readonly source: SourceLocation;
}

/** One entry under `licenses:`: who should hold the licence of `subscription`. */
export interface DesiredLicenseEntry {
  /** Handle of the subscription whose licence the users should hold. */
  readonly subscription: string;
  /** Explicit user principal names, lower-cased. */
  readonly users?: readonly string[];
  /** Handle of a subscription: everyone who holds its licence now. */
  readonly from?: string;
  readonly source: SourceLocation;
  /** Position of each explicit user in the file, same order as `users`. */
  readonly userSources?: readonly SourceLocation[];
}
