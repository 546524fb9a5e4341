/**
 * The Partner Center payload shapes pcsync reads, after `parseBody` (lowerCamel keys). Only the fields
 * pcsync uses are typed; everything else is ignored. Values are checked where they are used.
 */
export interface Link {
  uri: string;
  method?: string;
  headers?: { key: string; value: string }[];
}

export interface Collection<T> {
  totalCount?: number;
  items?: T[];
  continuationToken?: string;
  links?: { next?: Link; self?: Link };
}

export interface WireCustomer {
  id: string;
  companyProfile?: { domain?: string; companyName?: string; tenantId?: string };
}

export interface WireSubscription {
  id: string;
  offerId: string;
  offerName?: string;
  friendlyName?: string;
  quantity?: number;
  status?: string;
  autoRenewEnabled?: boolean;
  commitmentEndDate?: string;
  billingCycle?: string;
  termDuration?: string;
  orderId?: string;
  /** New commerce: end of the cancellation window (7 days after purchase or renewal). */
  cancellationAllowedUntilDate?: string;
  /** New commerce (2026, [2nd] partner-center-2026.md §2): end-of-term actions, e.g. `Cancel` at `TermEnd`. */
  scheduledActions?: { scheduleType?: string; actionType?: string }[];
  /** New commerce: changes scheduled for the next renewal (learn create-scheduled-changes; API reference §3). */
  scheduledNextTermInstructions?: WireNextTerm | null;
  effectiveStartDate?: string;
  attributes?: { etag?: string; objectType?: string };
}

/** `scheduledNextTermInstructions`: the next term's product, SKU, availability, billing, term and seats. */
export interface WireNextTerm {
  product?: { productId?: string; skuId?: string; availabilityId?: string; billingCycle?: string; termDuration?: string; promotionId?: string };
  quantity?: number;
  customTermEndDate?: string;
}

export interface WireOffer {
  id: string;
  name?: string;
  isAvailableForPurchase?: boolean;
  minimumQuantity?: number;
  maximumQuantity?: number;
  product?: { id?: string; name?: string };
}

export interface WireSubscribedSku {
  availableUnits?: number;
  activeUnits?: number;
  consumedUnits?: number;
  suspendedUnits?: number;
  warningUnits?: number;
  totalUnits?: number;
  productSku?: { id?: string; name?: string; skuPartNumber?: string };
  servicePlans?: WireServicePlan[];
}

/** A service plan of a SKU or of a user's licence (`capabilityStatus` `Disabled` = switched off for that user). */
export interface WireServicePlan {
  id?: string;
  displayName?: string;
  serviceName?: string;
  capabilityStatus?: string;
  targetType?: string;
}

export interface WireUser {
  id: string;
  userPrincipalName?: string;
  displayName?: string;
  usageLocation?: string | null;
  state?: string;
}

export interface WireLicense {
  productSku?: { id?: string; name?: string; skuPartNumber?: string };
  servicePlans?: WireServicePlan[];
}

/** GET …/subscriptions/{sid}/provisioningstatus (API reference, 2026-11 additions). */
export interface WireProvisioningStatus {
  /** Licence SKU the subscription grants, also for legacy offers no longer in the catalogue. */
  skuId?: string;
  status?: string;
  quantity?: number;
  endDate?: string;
}

/** A licence update's reply (API reference §7): `licenseWarnings` = what Partner Center only partly did. */
export interface WireLicenseUpdate {
  licenseWarnings?: { code?: string; message?: string; servicePlans?: unknown[] }[];
}

export interface WireOrder {
  id: string;
  status?: string;
  creationDate?: string;
  lineItems?: { lineItemNumber?: number; offerId?: string; subscriptionId?: string; friendlyName?: string; quantity?: number }[];
}

/**
 * A SKU's attestation (learn product-resources Sku; .NET SDK `SkuAttestationProperties`): where `enforceAttestation`
 * is true, a cart or order line buying it needs `attestationAccepted: true` (learn cart-resources).
 */
export interface WireAttestationProperties {
  enforceAttestation?: boolean;
  attestationType?: string;
  /** The text the partner attests to, where the catalogue gives it (partner-center-2026-12.md §4). */
  attestationText?: string;
}

/** A new-commerce product SKU (learn product-resources Sku; GET /v1/customers/{cid}/products/{pid}/skus/{sid}). */
export interface WireSku {
  id?: string;
  productId?: string;
  title?: string;
  attestationProperties?: WireAttestationProperties;
}

/** A new-commerce availability of one product SKU for one customer; its id is reissued over time. */
export interface WireAvailability {
  id: string;
  productId?: string;
  skuId?: string;
  catalogItemId?: string;
  terms?: { duration?: string; billingCycle?: string }[];
  /** The SKU this availability sells (learn product-resources Availability.sku). */
  sku?: WireSku;
}

/**
 * `POST /v1/customers/{id}/carts`: the Cart resource (learn cart-resources, create-a-cart; schemas/partner-center/
 * cart.schema.json). Two attestations in two places: the partner-of-record one on the cart (900206 without it),
 * the SKU's own on each line that buys a SKU enforcing it (900203 without it).
 */
export interface CartRequest {
  lineItems: {
    id: number;
    catalogItemId: string;
    quantity: number;
    termDuration?: string;
    billingCycle?: string;
    friendlyName?: string;
    /** Only where the SKU's (or offer's) `attestationProperties.enforceAttestation` is true. */
    attestationAccepted?: true;
  }[];
  partnerOnRecordAttestationAccepted: true;
}

export interface WireCart {
  id: string;
  status?: string;
}

/** Checkout result: the orders made, and per-line errors (an error line bought nothing). */
export interface WireCheckout {
  orders?: WireOrder[];
  orderErrors?: { orderGroupId?: string; code?: number | string; description?: string }[];
}

export interface OrderRequest {
  lineItems: { lineItemNumber: number; offerId: string; quantity: number; friendlyName?: string; termDuration?: string }[];
  billingCycle?: string;
}

export interface LicenseUpdateRequest {
  /** `excludedPlans`: service-plan ids not to assign; null = every plan of the SKU (learn `assign-licenses-to-a-user`). */
  licensesToAssign: { skuId: string; excludedPlans: string[] | null }[];
  licensesToRemove: string[] | null;
  attributes: { objectType: 'LicenseUpdate' };
}
