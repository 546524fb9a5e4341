/** Product families of the retired Dynamics 365 "Qualified Offer" subscriptions. */
export type RetiredFamily = 'sales-enterprise' | 'customer-engagement-plan';
export type RetiredVariant = 'crmol-basic' | 'from-sa' | 'add-on';
export type PriceGroup = 'commercial' | 'faculty' | 'students' | 'government';

/** A retired offer recognised by its live `offerName`. */
export interface RetiredOffer {
  readonly name: string;
  readonly family: RetiredFamily | 'custom';
  readonly variant: RetiredVariant | 'custom';
  readonly priceGroup: PriceGroup | 'custom';
  /** Keys of `Catalog.replacements`, first = suggested default. */
  readonly replacements: readonly string[];
  /** Licence SKU users of this offer hold, when known without asking the API. */
  readonly skuId?: string;
}

/** An offer that can be bought today. */
export interface ReplacementOffer {
  /** Stable key, e.g. `sales-professional`. */
  readonly key: string;
  readonly name: string;
  /** Legacy offer GUID (upper-case) or new-commerce `productId:skuId:availabilityId`. */
  readonly offerId: string;
  /** Licence SKU (`product.id` of the offer = `productSku.id`), lower-case, when known. */
  readonly skuId?: string;
  readonly skuPartNumber?: string;
  /** Other names the offer goes by (e.g. its name in the live catalogue); matched like `name`. */
  readonly aliases?: readonly string[];
}

export interface Catalog {
  readonly retired: readonly RetiredOffer[];
  readonly replacements: readonly ReplacementOffer[];
}
