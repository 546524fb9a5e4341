import type { SourceLocation } from '../core/diagnostics.js';
import { hashOf } from '../core/hash.js';
import { DEFAULT_PARTNER_CONFIG } from './defaults.js';
import type { Locator } from './locate.js';
import type { DesiredCustomer, DesiredLicenseEntry, DesiredRenewal, DesiredSubscription, PartnerConfig, SubscriptionMatch } from './types.js';

type Raw = Record<string, unknown>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A customer file's data → DesiredCustomer: UPNs, ids and SKU ids lower-cased, legacy GUID offer ids upper-cased,
 * defaults filled in. Tolerant of data that failed the schema (wrong-typed fields are left out), so the cross-file
 * rules can still run and report everything in one go; such a result is never handed out as valid.
 */
export function normaliseCustomer(data: Raw, at: Locator, file: string): DesiredCustomer {
  const head = obj(data['customer']) ?? {};
  const subscriptions = Object.entries(obj(data['subscriptions']) ?? {}).map(([handle, raw]) => subscription(handle, obj(raw) ?? {}, at));
  const licenses = (Array.isArray(data['licenses']) ? data['licenses'] : []).map((raw, i) => license(obj(raw) ?? {}, i, at));
  const content = {
    id: str(head['id'])?.toLowerCase() ?? '',
    domain: str(head['domain'])?.toLowerCase(),
    subscriptions,
    licenses,
  };
  const domainSource = head['domain'] !== undefined ? at(['customer', 'domain']) : undefined;
  return compact({ file, ...content, contentHash: hashOf(withoutSources(content)), source: at(['customer', 'id']), domainSource });
}

function subscription(handle: string, r: Raw, at: Locator): DesiredSubscription {
  const quantity = r['quantity'] === 'auto' ? 'auto' : isCount(r['quantity']) ? r['quantity'] : undefined;
  return compact({
    handle,
    offer: offerRef(str(r['offer'])),
    match: 'match' in r ? match(obj(r['match']) ?? {}) : undefined,
    quantity,
    status: oneOf(r['status'], ['suspended', 'cancelled', 'ends-at-term', 'retired'] as const) ?? 'active',
    prune: r['prune'] === true,
    term: oneOf(r['term'], ['P1M', 'P1Y', 'P3Y'] as const),
    billing: oneOf(r['billing'], ['monthly', 'annual', 'triennial'] as const),
    skuId: str(r['skuId'])?.toLowerCase(),
    renewal: obj(r['renewal']) ? renewal(obj(r['renewal'])!, handle, at) : undefined,
    source: at(['subscriptions', handle], 'key'),
    fieldSources: compact({
      offer: 'offer' in r ? at(['subscriptions', handle, 'offer']) : undefined,
      quantity: 'quantity' in r ? at(['subscriptions', handle, 'quantity']) : undefined,
      status: 'status' in r ? at(['subscriptions', handle, 'status']) : undefined,
    }),
  });
}

function renewal(r: Raw, handle: string, at: Locator): DesiredRenewal {
  return compact({
    quantity: r['quantity'] === 'assigned' ? ('assigned' as const) : isCount(r['quantity']) ? r['quantity'] : undefined,
    offer: offerRef(str(r['offer'])),
    term: oneOf(r['term'], ['P1M', 'P1Y', 'P3Y'] as const),
    billing: oneOf(r['billing'], ['monthly', 'annual', 'triennial'] as const),
    source: at(['subscriptions', handle, 'renewal'], 'key'),
  });
}

function match(r: Raw): SubscriptionMatch {
  return compact({ offerName: str(r['offerName']), offerId: offerRef(str(r['offerId'])), subscriptionId: str(r['subscriptionId']) });
}

function license(r: Raw, index: number, at: Locator): DesiredLicenseEntry {
  const users: string[] = [];
  const userSources: SourceLocation[] = [];
  const rawUsers = Array.isArray(r['users']) ? r['users'] : undefined;
  rawUsers?.forEach((u, j) => {
    if (typeof u !== 'string') return;
    users.push(u.toLowerCase());
    userSources.push(at(['licenses', index, 'users', j]));
  });
  return compact({
    subscription: str(r['subscription']) ?? '',
    users: rawUsers ? users : undefined,
    from: str(r['from']),
    source: at(['licenses', index]),
    userSources: rawUsers ? userSources : undefined,
  });
}

/** pcsync.yaml data (already schema-valid) → PartnerConfig with every default filled in. */
export function normalisePartner(data: Raw, file: string): PartnerConfig {
  const d = DEFAULT_PARTNER_CONFIG;
  const policy = obj(data['policy']) ?? {};
  const catalog = obj(data['catalog']) ?? {};
  const spend = obj(policy['maxSpendPerRun']);
  const prices = obj(data['prices']);
  const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => obj(x) ?? {}) : []);
  return compact({
    country: (str(data['country']) ?? d.country).toUpperCase(),
    concurrency: num(data['concurrency']) ?? d.concurrency,
    userConcurrency: num(data['userConcurrency']) ?? d.userConcurrency,
    seatHeadroom: num(data['seatHeadroom']) ?? d.seatHeadroom,
    policy: compact({
      allowSuspend: typeof policy['allowSuspend'] === 'boolean' ? policy['allowSuspend'] : d.policy.allowSuspend,
      maxSeatsPerPurchase: num(policy['maxSeatsPerPurchase']) ?? d.policy.maxSeatsPerPurchase,
      maxSeatsPerRun: num(policy['maxSeatsPerRun']),
      maxSpendPerRun: spend ? { amount: num(spend['amount']) ?? 0, currency: (str(spend['currency']) ?? '').toUpperCase() } : undefined,
      provisioningTimeoutSeconds: num(policy['provisioningTimeoutSeconds']) ?? d.policy.provisioningTimeoutSeconds,
    }),
    catalog: {
      retired: list(catalog['retired']).map((r) =>
        compact({
          offerName: str(r['offerName']) ?? '',
          skuId: str(r['skuId'])?.toLowerCase(),
          replacements: (Array.isArray(r['replacements']) ? r['replacements'] : []).filter((x): x is string => typeof x === 'string').map((x) => offerRef(x) ?? x),
        }),
      ),
      replacements: list(catalog['replacements']).map((r) =>
        compact({ name: str(r['name']) ?? '', offerId: offerRef(str(r['offerId'])) ?? '', skuId: str(r['skuId'])?.toLowerCase() }),
      ),
    },
    prices: prices ? compact({ file: str(prices['file']), priceSheet: prices['priceSheet'] === true ? true : undefined }) : undefined,
    file,
  });
}

/** Legacy offer ids are GUIDs, conventionally upper-case; names and new-commerce ids are kept as written. */
export function offerRef(value: string | undefined): string | undefined {
  return value !== undefined && GUID.test(value) ? value.toUpperCase() : value;
}

/** The same data without file positions, so moving lines around does not change a hash. */
export function withoutSources(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSources);
  if (value === null || typeof value !== 'object') return value;
  const kept = Object.entries(value).filter(([k]) => k !== 'source' && k !== 'userSources' && k !== 'fieldSources' && k !== 'domainSource' && k !== 'file');
  return Object.fromEntries(kept.map(([k, v]) => [k, withoutSources(v)])); // fromEntries keeps a `__proto__` key as data
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function obj(v: unknown): Raw | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === v);
}
