import type { PriceGroup, RetiredFamily, RetiredVariant } from '../catalog/types.js';
import type { LiveSubscription } from '../live/types.js';

export const REPORT_FORMAT_VERSION = 1;

/** `pcsync report`: every customer still on a retired CRM Basic subscription, most urgent first. Plain data. */
export interface RetiredReport {
  readonly formatVersion: typeof REPORT_FORMAT_VERSION;
  /** The moment days are counted from (ISO 8601). */
  readonly asOf: string;
  /** Customers read (every page of GET /v1/customers). */
  readonly customersScanned: number;
  /** Number of distinct customers in `rows`. */
  readonly affectedCustomers: number;
  /** One row per affected subscription: fewest days left first, then customer and offer name. */
  readonly rows: readonly ReportRow[];
  /** Customers whose retired subscriptions are all suspended (already migrated): not affected, listed for the record. */
  readonly alreadyMigrated: readonly { readonly customerId: string; readonly companyName: string }[];
  /** Other things worth knowing, in words. */
  readonly warnings: readonly string[];
  /**
   * Reads that failed or were refused, each naming the customer and the read: the numbers they stand for are
   * unknown (never 0), and `pcsync report` exits non-zero while this is not empty.
   */
  readonly unreadable: readonly string[];
}

/** One retired subscription that still needs migrating. */
export interface ReportRow {
  readonly customerId: string;
  readonly companyName: string;
  readonly domain?: string;
  readonly subscriptionId: string;
  /** `offerName` as Partner Center shows it. */
  readonly offerName: string;
  readonly offerId: string;
  readonly family: RetiredFamily | 'custom';
  readonly variant: RetiredVariant | 'custom';
  /** commercial, faculty, students, government. */
  readonly priceGroup: PriceGroup | 'custom';
  /** Licences bought (subscription quantity); 0 with `seatsUnknown` when Partner Center sent none. */
  readonly seats: number;
  /** The quantity could not be read (the report then exits 1). */
  readonly seatsUnknown?: true;
  /** Users holding the subscription's licence (`consumedUnits` of its SKU); absent when it could not be read. */
  readonly assignedUsers?: number;
  /** Why `assignedUsers` is unknown (the failed read), when it is. */
  readonly assignedUnknown?: string;
  /** Subscription status as read (`active`, `pending`, …). */
  readonly status: string;
  /** When the commitment ends (ISO 8601), when Partner Center says. */
  readonly commitmentEndDate?: string;
  /** Whole calendar days (UTC) from `asOf` to the end date; negative once past; absent without a date. */
  readonly daysLeft?: number;
  /** The catalogue's first suggested replacement offer. */
  readonly suggestedReplacement?: string;
}

/** What the renewals report needs of one customer (read by read.ts, used by renewals.ts). */
export interface RenewalFacts {
  readonly id: string;
  readonly companyName: string;
  readonly subscriptions: readonly LiveSubscription[];
  /** Why the subscriptions could not be read (then `subscriptions` is empty and unknown). */
  readonly readProblem?: string;
}
