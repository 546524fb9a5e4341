/** What pcsync read from Partner Center for the customers in scope. Plain data, JSON-serialisable. */
export interface LiveState {
  /** Sorted by customer id; one entry per desired customer, also when not found. */
  readonly customers: readonly LiveCustomer[];
  /** Offers resolved during the read (catalogue list plus any looked up by id), by upper-cased offer id. */
  readonly offers: Readonly<Record<string, LiveOffer>>;
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
  /**
   * Set when reading this customer failed even after retries (the partner-readable reason). Nothing else about
   * the customer is known; the plan blocks it, and every other customer goes on.
   */
  readonly readError?: string;
  /** Values Partner Center sent that pcsync does not know, kept as sent; the plan shows them as warnings. */
  readonly oddValues?: readonly LiveOddValue[];
}

/** One field of one resource whose value pcsync does not know (an enum value added later, an unreadable date). */
export interface LiveOddValue {
  readonly resource: 'customer' | 'subscription' | 'user';
  readonly id: string;
  readonly field: string;
  readonly value: string;
  readonly why: 'unknown-value' | 'unreadable-date';
}

export interface LiveSubscription {
  readonly id: string;
  readonly offerId: string;
  readonly offerName: string;
  readonly friendlyName?: string;
  readonly quantity: number;
  /** `active`, `suspended`, … kept as the API sent it when unknown. */
  readonly status: string;
  readonly autoRenewEnabled?: boolean;
  readonly commitmentEndDate?: string;
  readonly billingCycle?: string;
  readonly termDuration?: string;
  /** `legacy` (offer GUID, retired by suspending) or `new` commerce (catalogue item, cancel window, term end). */
  readonly commerce: 'legacy' | 'new';
  /** New commerce: last moment a cancel (or a seat reduction) is accepted. */
  readonly cancellationAllowedUntilDate?: string;
  /** New commerce: a `Cancel` at `TermEnd` is scheduled, so no paid extended service term follows. */
  readonly cancelAtTermEnd?: boolean;
  readonly orderId?: string;
  /** Licence SKU (`productSku.id`, lower-case) this subscription's seats count towards, when known. */
  readonly skuId?: string;
  readonly etag?: string;
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
}

export interface LiveOffer {
  readonly id: string;
  readonly name: string;
  /** `product.id` = licence SKU id, lower-cased. */
  readonly skuId?: string;
  readonly isAvailableForPurchase: boolean;
  readonly minimumQuantity?: number;
  readonly maximumQuantity?: number;
}
