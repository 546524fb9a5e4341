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
  attributes?: { etag?: string; objectType?: string };
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

/** A new-commerce availability of one product SKU for one customer; its id is reissued over time. */
export interface WireAvailability {
  id: string;
  productId?: string;
  skuId?: string;
  catalogItemId?: string;
  terms?: { duration?: string; billingCycle?: string }[];
}

/** `POST /v1/customers/{id}/carts` (API reference §4). */
export interface CartRequest {
  lineItems: {
    id: number;
    catalogItemId: string;
    quantity: number;
    termDuration?: string;
    billingCycle?: string;
    friendlyName?: string;
    /** The partner-of-record attestation new-commerce purchases need (errors 900203 / 900206 without it). */
    partnerOnRecordAttestationAccepted: true;
  }[];
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
  licensesToAssign: { skuId: string; excludedPlans: null }[];
  licensesToRemove: string[] | null;
  attributes: { objectType: 'LicenseUpdate' };
}
