/**
 * JSON Schemas of the Partner Center replies pcsync reads (API reference §2–§8), after `parseBody` brought
 * property names to lowerCamel case. Only fields pcsync uses are described; any other field is allowed and
 * ignored. Enum-like fields are plain strings here: a value Partner Center adds later must not break a run,
 * so `ENUMS` lists the known values and `oddValues` reports the others as warnings instead.
 */

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required }) as const;

const link = obj({ uri: str, method: str, headers: { type: 'array', items: obj({ key: str, value: str }) } });
const attributes = obj({ etag: str, objectType: str });
const productSku = obj({ id: str, name: str, skuPartNumber: str, targetType: str, licenseGroupId: str });
/** ServicePlan (license-resources; partner-center-2026-12.md §5): id, displayName, serviceName, capabilityStatus, targetType. */
const servicePlans = { type: 'array', items: obj({ id: str, displayName: str, serviceName: str, capabilityStatus: str, targetType: str }) };

export type WireKind = 'customer' | 'subscription' | 'offer' | 'subscribedSku' | 'user' | 'license' | 'licenseUpdate' | 'order' | 'provisioningStatus' | 'any';

export const SCHEMAS: Readonly<Record<WireKind, object>> = {
  customer: obj({ id: str, companyProfile: obj({ tenantId: str, domain: str, companyName: str }), relationshipToPartner: str }, ['id']),
  subscription: obj(
    {
      id: str,
      offerId: str,
      offerName: str,
      friendlyName: str,
      quantity: int,
      status: str,
      autoRenewEnabled: bool,
      creationDate: str,
      effectiveStartDate: str,
      commitmentEndDate: str,
      billingCycle: str,
      termDuration: str,
      orderId: str,
      cancellationAllowedUntilDate: str,
      scheduledActions: { type: 'array', items: obj({ scheduleType: str, actionType: str }) },
      scheduledNextTermInstructions: {
        type: ['object', 'null'],
        properties: { product: obj({ productId: str, skuId: str, availabilityId: str, billingCycle: str, termDuration: str, promotionId: str }), quantity: int, customTermEndDate: str },
      },
      attributes,
    },
    ['id', 'offerId'],
  ),
  offer: obj({ id: str, name: str, isAvailableForPurchase: bool, minimumQuantity: int, maximumQuantity: int, product: obj({ id: str, name: str }) }, ['id']),
  subscribedSku: obj({
    availableUnits: int,
    activeUnits: int,
    consumedUnits: int,
    suspendedUnits: int,
    warningUnits: int,
    totalUnits: int,
    capabilityStatus: str,
    productSku,
    servicePlans,
  }),
  user: obj({ id: str, userPrincipalName: str, displayName: str, usageLocation: str, state: str, userDomainType: str }, ['id']),
  license: obj({ productSku, servicePlans }),
  licenseUpdate: obj({ licenseWarnings: { type: 'array', items: obj({ code: str, message: str, servicePlans: { type: 'array' } }) } }),
  order: obj(
    {
      id: str,
      status: str,
      creationDate: str,
      lineItems: { type: 'array', items: obj({ lineItemNumber: int, offerId: str, subscriptionId: str, friendlyName: str, quantity: int }) },
    },
    ['id'],
  ),
  provisioningStatus: obj({ skuId: str, status: str, quantity: int, endDate: str }),
  any: {},
};

/** The collection envelope (API reference §0). `items` are checked one by one against their own schema. */
export const COLLECTION_SCHEMA = obj({ totalCount: int, items: { type: 'array' }, continuationToken: str, links: obj({ next: link, self: link }) });

/** Known values of enum-like fields, compared case-insensitively and ignoring `_`. */
export const ENUMS: Readonly<Partial<Record<WireKind, Readonly<Record<string, readonly string[]>>>>> = {
  customer: { relationshipToPartner: ['unknown', 'reseller', 'advisor', 'syndication', 'microsoft_support', 'none'] },
  subscription: {
    status: ['none', 'active', 'pending', 'suspended', 'deleted', 'expired', 'disabled'],
    billingCycle: ['unknown', 'monthly', 'annual', 'none', 'one_time', 'triennial', 'biennial'],
  },
  subscribedSku: { capabilityStatus: ['enabled', 'warning', 'suspended', 'deleted', 'lockedout'] },
  user: { state: ['active', 'inactive'], userDomainType: ['none', 'managed', 'federated'] },
  order: { status: ['unknown', 'completed', 'pending', 'cancelled'] },
};

/** Date-time fields, normalised to `…Z` (Partner Center sends `Z` or `+00:00`). */
export const DATES: Readonly<Partial<Record<WireKind, readonly string[]>>> = {
  subscription: ['creationDate', 'effectiveStartDate', 'commitmentEndDate', 'cancellationAllowedUntilDate'],
  order: ['creationDate'],
};
