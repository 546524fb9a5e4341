/**
 * A scenario is the seed of the simulator: the partner's catalogue, the licence SKUs the customer
 * directories know, and each customer's subscriptions and users. Plain TypeScript data.
 */
export interface Scenario {
  /** Registry name (`demo`, `fleet`, …). */
  name: string;
  /** One line shown by `pcsync sim`. */
  description: string;
  /** The partner's own tenant id. */
  partnerTenantId: string;
  /** Market served by GET /v1/offers unless SimOptions.country says otherwise (ISO-2). */
  country: string;
  /** Catalogue including retired offers (`isAvailableForPurchase: false`). */
  offers: ScenarioOffer[];
  /** Licence SKUs known to the customer directories (`productSku` in subscribedskus / licences). */
  skus: ScenarioSku[];
  customers: ScenarioCustomer[];
}

export interface ScenarioOffer {
  /** Legacy offer id (GUID). */
  id: string;
  name: string;
  /** `product.id` of the offer = the licence SKU id its subscriptions grant. */
  productId: string;
  /** False for retired offers: GET /offers/{id} still serves them, GET /offers and orders do not. */
  isAvailableForPurchase: boolean;
  /** Default 1. */
  minimumQuantity?: number;
  /** Default 10000. */
  maximumQuantity?: number;
  /** Partner price of one seat per month in USD (P1Y, billed monthly); served by the price sheet. Absent = not in the sheet. */
  unitPrice?: number;
  /**
   * New-commerce product SKUs (`productId:skuId` ids) only: the SKU's `attestationProperties.enforceAttestation`
   * (default false). A cart line buying it without `attestationAccepted: true` is refused with 400 900203.
   */
  enforceAttestation?: boolean;
}

export interface ScenarioSku {
  skuId: string;
  skuPartNumber: string;
  name: string;
  /** The SKU's service plans (subscribedskus and each user's licences list them); default none. */
  servicePlans?: ScenarioServicePlan[];
  /**
   * SKU ids whose service plans cannot sit on one user with this SKU's (mutually exclusive plans): assigning it to
   * a user who keeps one of them is refused with 400 60000 (Entra's MutuallyExclusiveViolation).
   */
  conflictsWith?: string[];
}

/** A service plan; the same plan has the same id and serviceName in every SKU that includes it. */
export interface ScenarioServicePlan {
  id: string;
  serviceName: string;
  displayName: string;
}

export interface ScenarioSubscription {
  id: string;
  offerId: string;
  quantity: number;
  /** Default `active`. */
  status?: 'active' | 'suspended';
  /** Default true. */
  autoRenewEnabled?: boolean;
  /** Default creationDate + 1 year. */
  commitmentEndDate?: string;
  /** Default `2020-01-01T00:00:00Z`. */
  creationDate?: string;
  /** Default the offer name. */
  friendlyName?: string;
  /** Default `monthly`. */
  billingCycle?: string;
  /**
   * New commerce: the end of the cancellation window (7 days after purchase or renewal). Its presence makes the
   * subscription a new-commerce one: cancellable (status `deleted`) only until this date, billed while suspended.
   */
  cancellationAllowedUntilDate?: string;
  /** Default `P1Y`. */
  termDuration?: string;
}

export interface ScenarioUser {
  /** Default: a UUID derived from customer id and UPN (stable across runs). */
  id?: string;
  upn: string;
  /** Default: the UPN's local part, capitalised. */
  displayName?: string;
  /** null = no usage location set. Default null. */
  usageLocation?: string | null;
  /** Licence SKU ids the user holds. */
  licenses: string[];
  /**
   * Licence SKU ids the user holds through a group (group-based licensing), not assigned to the user directly.
   * They count as held (added to `licenses` when missing) and use a unit, but a licence update cannot remove them.
   */
  groupLicenses?: string[];
  /** Per held SKU id, the ids of the service plans an admin switched off for this user (shown `Disabled`). */
  disabledPlans?: Record<string, string[]>;
}

export interface ScenarioCustomer {
  id: string;
  companyName: string;
  domain: string;
  subscriptions: ScenarioSubscription[];
  users: ScenarioUser[];
}
