/**
 * The live records the catalogue matches against (a subscription, an offer of the live catalogue). live/ reads
 * them and re-exports them from live/types.ts; they are defined here so catalog/, below live/, need not import it.
 */

export interface LiveSubscription {
  readonly id: string;
  readonly offerId: string;
  readonly offerName: string;
  readonly friendlyName?: string;
  /** Seats; 0 with `quantityUnknown` when Partner Center sent none. */
  readonly quantity: number;
  /** The reply carried no readable quantity: the seat count is unknown, never 0 (the plan blocks changes to it). */
  readonly quantityUnknown?: true;
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
  /**
   * New commerce: what `scheduledNextTermInstructions` schedules for the renewal (offer `productId:skuId`
   * upper-case); absent when nothing is scheduled.
   */
  readonly nextTerm?: { readonly offerId: string; readonly quantity: number; readonly term: string; readonly billing: string };
  /** Licence SKU (`productSku.id`, lower-case) this subscription's seats count towards, when known. */
  readonly skuId?: string;
  /** Why `skuId` is unknown: the reads that were refused or failed, in words. */
  readonly skuProblem?: string;
  readonly etag?: string;
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
