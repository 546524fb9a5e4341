/**
 * One row of a licence-based price list: the partner price of one SKU for one term and billing plan. It is a
 * row of Partner Center's price sheet (`updatedlicensebased` view: ProductId, SkuId, TermDuration, BillingPlan,
 * Market, Currency, UnitPrice; see partner-center-2026.md §5) or of the same list downloaded as a file.
 */
export interface PriceRow {
  /** New-commerce product id (`CFQ7TTC0LH18`); for a legacy offer, its offer GUID. */
  readonly productId?: string;
  /** New-commerce SKU id within the product (`0001`). */
  readonly skuId?: string;
  /** Legacy offer GUID, when the list has an OfferId column. */
  readonly offerId?: string;
  /** ProductTitle / SkuTitle, for messages. */
  readonly title?: string;
  /** `P1M`, `P1Y`, `P3Y`; absent = any term. */
  readonly term?: string;
  /** `monthly`, `annual`, `triennial` (lower-case); absent = any billing plan. */
  readonly billing?: string;
  /** ISO-2 market; absent = any. */
  readonly market?: string;
  /** EffectiveStartDate / EffectiveEndDate as written (ISO 8601): when this price applies; absent = open (partner-center-2026.md §5). */
  readonly effectiveStart?: string;
  readonly effectiveEnd?: string;
  /** ISO-4217 currency, upper-case. */
  readonly currency: string;
  /** Partner price (UnitPrice) of one seat for one billing period. */
  readonly unitPrice: number;
  /** The same price exactly as written (plain decimal, `65.5`), for comparisons no rounding can hide. */
  readonly unitPriceText?: string;
  /** Where the row came from (`prices.csv:12`, `price sheet US row 3`), for messages. */
  readonly where: string;
}

/** Every price the planner may use, read once per run. Plain data: the planner stays pure. */
export interface PriceBook {
  /** Human description of the source (`Partner Center price sheet (US, updatedlicensebased)`, `file prices.csv`). */
  readonly source: string;
  /** Market the plan buys in (pcsync.yaml `country`). */
  readonly market: string;
  readonly rows: readonly PriceRow[];
  /**
   * The source lists new-commerce products only — Partner Center's price sheet (`updatedlicensebased`; its
   * "current" timeline holds licence-based new commerce, learn `developer/get-a-price-sheet`) — so a legacy
   * offer's price is unknown for that reason, not because the partner's list lacks it.
   */
  readonly newCommerceOnly?: boolean;
}

/**
 * Where a run's prices come from: Partner Center's price sheet API, or the same list downloaded as a file.
 * `read` is called once per run (implementations cache it), before planning; the planner gets the PriceBook.
 */
export interface PriceSource {
  /** For messages and the plan (`Partner Center price sheet (US, updatedlicensebased)`, `file prices/2026-11.csv`). */
  readonly description: string;
  read(): Promise<PriceBook>;
}

/** Caches the first read for the rest of the run: every customer is priced from one copy. */
export function cachedPerRun(source: PriceSource): PriceSource {
  let book: Promise<PriceBook> | undefined;
  return { description: source.description, read: () => (book ??= source.read()) };
}
