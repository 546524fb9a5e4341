import pLimit from 'p-limit';
import { oddValues } from '../partner-center/decode.js';
import { ApiError, StoppedBeforeSending } from '../partner-center/errors.js';
import { findRetired, readScope } from '../catalog/index.js';
import { fingerprintCustomer } from './fingerprint.js';
import { hashOf } from '../core/hash.js';
import { readHolders } from './holders.js';
import type { Catalog } from '../catalog/types.js';
import type { DesiredCustomer } from '../desired/types.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { WireSubscribedSku, WireSubscription, WireUser } from '../partner-center/wire.js';
import type { OfferCache } from './offers.js';
import type { LiveCustomer, LiveOddValue, LiveSku, LiveState, LiveSubscription, LiveUser } from './types.js';

export interface LiveReader {
  readonly client: PartnerCenterClient;
  readonly offers: OfferCache;
  readonly catalog: Catalog;
}

export interface ReadOptions {
  /** True once the run should stop: no customer read starts, no request is sent (`StoppedBeforeSending`). */
  readonly stopping?: () => boolean;
  /** Called after each customer is read, with how many of how many are done. */
  readonly progress?: (done: number, total: number) => void;
}

/**
 * Reads every desired customer (bounded concurrency), then the offers seen on the way. With `stopping`, the
 * first stop makes it reject with `StoppedBeforeSending` at once: requests waiting for their turn are never
 * sent, only those already on the wire finish.
 */
export async function readLive(reader: LiveReader, customers: readonly DesiredCustomer[], concurrency: number, opts: ReadOptions = {}): Promise<LiveState> {
  if (customers.length === 0) return { customers: [], offers: {} };
  const { stopping, progress } = opts;
  const transport = reader.client.transport;
  if (stopping) transport.haltWhen(stopping);
  await reader.offers.loadCatalogue();
  const limit = pLimit(Math.max(1, concurrency));
  let done = 0;
  const one = async (c: DesiredCustomer): Promise<LiveCustomer> => {
    if (stopping?.()) throw new StoppedBeforeSending('GET', `/v1/customers/${c.id}`);
    const live = await readCustomer(reader, c).catch((err: unknown) => unreadable(c, err));
    progress?.(++done, customers.length);
    return live;
  };
  const read = await Promise.all(customers.map((c) => limit(() => one(c))));
  // Left halted after a stop: reads abandoned on the way must not send anything either.
  if (stopping && !stopping()) transport.haltWhen(undefined);
  return { customers: [...read].sort((a, b) => cmp(a.id, b.id)), offers: await reader.offers.snapshot() };
}

/**
 * One customer: the customer, its subscriptions (with their licence SKU), subscribed SKUs, users (all pages),
 * and the licences of only the users that matter to the plan.
 */
export async function readCustomer(reader: LiveReader, customer: DesiredCustomer): Promise<LiveCustomer> {
  const { client, catalog } = reader;
  const found = await client.getCustomer(customer.id).then(
    (c) => c,
    (err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    },
  );
  if (!found) {
    const empty = { id: customer.id, found: false, subscriptions: [], skus: [], users: [], holdersComplete: true };
    return { ...empty, fingerprint: fingerprintCustomer(empty, customer, catalog, {}) };
  }
  const [wireSubs, wireSkus, wireUsers] = await Promise.all([
    client.listSubscriptions(customer.id),
    client.listSubscribedSkus(customer.id),
    client.listUsers(customer.id),
  ]);
  const subscriptions = await Promise.all(wireSubs.map((s) => toSubscription(reader, s)));
  subscriptions.sort((a, b) => cmp(a.id, b.id));
  const skus = wireSkus.map(toSku).filter((s): s is LiveSku => s !== undefined).sort((a, b) => cmp(a.skuId, b.skuId));
  const offers = await reader.offers.snapshot();
  const scope = readScope(customer, subscriptions, catalog, offers);
  const { users, complete } = await readHolders(client, customer.id, wireUsers.map(toUser), scope, skus);
  const base = {
    id: customer.id,
    found: true,
    domain: found.companyProfile?.domain?.toLowerCase(),
    companyName: found.companyProfile?.companyName,
    subscriptions,
    skus,
    users,
    holdersComplete: complete,
  };
  const odd = [
    ...oddOf('customer', [found]),
    ...oddOf('subscription', wireSubs),
    ...oddOf('user', wireUsers),
  ];
  return { ...base, ...(odd.length > 0 && { oddValues: odd }), fingerprint: fingerprintCustomer(base, customer, catalog, offers) };
}

function oddOf(resource: LiveOddValue['resource'], items: readonly { id: string }[]): LiveOddValue[] {
  return items.flatMap((item) => oddValues(resource, item).map((o) => ({ resource, id: item.id, ...o })));
}

/**
 * A customer whose read failed after the client's retries (throttled too long, 5xx, a reply of the wrong shape):
 * it becomes a blocker for that customer alone instead of failing the whole run. Anything but a Partner Center
 * error (a missing credential, a bug) still stops the run, because it would fail every customer alike.
 */
function unreadable(customer: DesiredCustomer, err: unknown): LiveCustomer {
  if (!(err instanceof ApiError)) throw err;
  const readError = err.userMessage;
  return { id: customer.id, found: false, subscriptions: [], skus: [], users: [], holdersComplete: false, readError, fingerprint: hashOf({ readError }) };
}

/** 404, or 403 code 20002 (no relationship): Partner Center does not know this customer for this partner. */
function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || (err.status === 403 && err.code === 20002));
}

export async function toSubscription(reader: LiveReader, s: WireSubscription): Promise<LiveSubscription> {
  const offer = s.offerId ? await reader.offers.get(s.offerId) : undefined;
  const skuId = offer?.skuId ?? (s.offerName ? findRetired(reader.catalog, s.offerName)?.skuId : undefined);
  return {
    id: s.id,
    offerId: (s.offerId ?? '').toUpperCase(),
    offerName: s.offerName ?? offer?.name ?? s.offerId ?? '',
    friendlyName: s.friendlyName,
    quantity: Number(s.quantity ?? 0),
    status: String(s.status ?? 'unknown').toLowerCase(),
    autoRenewEnabled: s.autoRenewEnabled,
    commitmentEndDate: s.commitmentEndDate,
    billingCycle: s.billingCycle,
    termDuration: s.termDuration,
    orderId: s.orderId,
    skuId: skuId?.toLowerCase(),
    etag: s.attributes?.etag,
  };
}

export function toSku(s: WireSubscribedSku): LiveSku | undefined {
  const id = s.productSku?.id;
  if (!id) return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v ?? 0) || 0);
  return {
    skuId: id.toLowerCase(),
    skuPartNumber: s.productSku?.skuPartNumber,
    name: s.productSku?.name,
    totalUnits: n(s.totalUnits),
    consumedUnits: n(s.consumedUnits),
    availableUnits: n(s.availableUnits),
    activeUnits: n(s.activeUnits),
    suspendedUnits: n(s.suspendedUnits),
    warningUnits: n(s.warningUnits),
  };
}

function toUser(u: WireUser): LiveUser {
  return {
    id: u.id,
    upn: (u.userPrincipalName ?? '').toLowerCase(),
    displayName: u.displayName,
    usageLocation: u.usageLocation ?? undefined,
    state: u.state,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
