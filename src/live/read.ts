import { CustomerPool, type RunBound, type RunBoundSummary } from '../partner-center/concurrency.js';
import { oddValues } from '../partner-center/decode.js';
import { ApiError, StoppedBeforeSending } from '../partner-center/errors.js';
import { CredentialRefused, credentialFailure } from '../partner-center/auth-errors.js';
import { findRetired, readScope } from '../catalog/index.js';
import { fingerprintCustomer } from './fingerprint.js';
import { hashOf } from '../core/hash.js';
import { readHolders, type Recheck } from './holders.js';
import { toSku, toSkus } from './sku.js';
import { pendingOrderLines } from './orders.js';
import type { Catalog } from '../catalog/types.js';
import type { DesiredCustomer } from '../desired/types.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { WireSubscription, WireUser } from '../partner-center/wire.js';
import { offersFor } from '../catalog/offer-view.js';
import type { OfferCache } from './offers.js';
import type { GdapReader } from './gdap.js';
import type { LiveCustomer, LiveOddValue, LiveRenewalProduct, LiveState, LiveSubscription, LiveUser } from './types.js';
import { isCatalogItem } from '../catalog/resolve.js';

export { toSku };

export interface LiveReader {
  readonly client: PartnerCenterClient;
  readonly offers: OfferCache;
  readonly catalog: Catalog;
  /** Re-reads of consumed units that disagree with the holders found (none when absent). */
  readonly recheck?: Recheck;
  /**
   * ISO time of the plan being made, for what the read classifies by age (a completed order younger than two days
   * whose subscription is not listed is still pending). Apply's re-plan reads with its plan's time, so the same
   * live state gives the same plan. Default: the clock when the orders are read.
   */
  readonly now?: string;
  /** The GDAP pre-check of licence writes (gdap.ts); absent: not checked. */
  readonly gdap?: GdapReader;
}

export interface ReadOptions {
  /** True once the run should stop: no customer read starts, no request is sent (`StoppedBeforeSending`). */
  readonly stopping?: () => boolean;
  /** Called after each customer is read, with how many of how many are done. */
  readonly progress?: (done: number, total: number) => void;
  /** Called as the customers read at once change (concurrency.ts), with what bounds the read now. */
  readonly onBound?: (customersAtOnce: number, bound: RunBound) => void;
  /** Called once the read ended, with what bound it. */
  readonly onEnd?: (bound: RunBoundSummary) => void;
}

/**
 * Reads every desired customer (bounded concurrency), then the offers seen on the way. With `stopping`, the
 * first stop makes it reject with `StoppedBeforeSending` at once: requests waiting for their turn are never
 * sent, only those already on the wire finish.
 */
export async function readLive(reader: LiveReader, customers: readonly DesiredCustomer[], concurrency: number, opts: ReadOptions = {}): Promise<LiveState> {
  if (customers.length === 0) return { customers: [], offers: {} };
  const read = await readEach(reader, customers, concurrency, opts, (_desired, live) => live);
  const { offers, problem } = await reader.offers.catalogue();
  return { customers: read.sort((a, b) => cmp(a.id, b.id)), offers, ...(problem && { catalogueProblem: problem }) };
}

/**
 * Reads every desired customer like `readLive`, and hands each one's live state to `each` as soon as it is read
 * (it carries the offers its own subscriptions added to the catalogue, `subscriptionOffers`); only what `each`
 * returns is kept, in the order of `customers`. So a fleet's raw live state is never held all at once: plan and
 * apply turn each customer into its plan at once and let the pages go (memory flat per customer).
 */
export async function readEach<T>(
  reader: LiveReader,
  customers: readonly DesiredCustomer[],
  concurrency: number,
  opts: ReadOptions,
  each: (desired: DesiredCustomer, live: LiveCustomer) => T | Promise<T>,
): Promise<T[]> {
  if (customers.length === 0) return [];
  const { stopping, progress } = opts;
  const transport = reader.client.transport;
  if (stopping) transport.haltWhen(stopping);
  await reader.offers.catalogue();
  // customers at once chosen by the load on Partner Center's budget, `concurrency` the cap (concurrency.ts)
  const pool = new CustomerPool(Math.max(1, concurrency), transport.limiter);
  if (opts.onBound) pool.onSample((limit, bound) => opts.onBound?.(limit, bound));
  let done = 0;
  const one = async (c: DesiredCustomer): Promise<T> => {
    if (stopping?.()) throw new StoppedBeforeSending('GET', `/v1/customers/${c.id}`);
    const live = await readCustomerOrProblem(reader, c);
    const kept = await each(c, live);
    progress?.(++done, customers.length);
    return kept;
  };
  const kept = await Promise.all(customers.map((c) => pool.run(() => one(c))))
    .catch((err: unknown) => {
      // stopped: what still waits for the rate limiter ends now, unsent, so the process can exit at once
      if (stopping?.()) {
        pool.clearQueue();
        transport.abandonQueued();
      }
      throw err;
    })
    .finally(() => opts.onEnd?.(pool.close()));
  // Left halted after a stop: reads abandoned on the way must not send anything either.
  if (stopping && !stopping()) transport.haltWhen(undefined);
  return kept;
}

/**
 * `readCustomer`, where Partner Center's refusal to read this customer becomes a customer found unreadable (its
 * plan then carries the blocker saying why) instead of an error; a refused credential or a bug still throws.
 */
export function readCustomerOrProblem(reader: LiveReader, customer: DesiredCustomer): Promise<LiveCustomer> {
  return readCustomer(reader, customer).catch((err: unknown) => unreadable(customer, err));
}

/**
 * One customer: the customer, its subscriptions (with their licence SKU), subscribed SKUs, users (all pages),
 * and the licences of only the users that matter to the plan. What it reads and concludes depends on this
 * customer, the market's catalogue and `reader.now` only — never on which other customers were read before it —
 * so apply's re-plan of one customer reads what the fleet's plan read.
 */
export async function readCustomer(reader: LiveReader, customer: DesiredCustomer): Promise<LiveCustomer> {
  const { client, catalog } = reader;
  const catalogue = (await reader.offers.catalogue()).offers;
  const found = await client.getCustomer(customer.id).then(
    (c) => c,
    (err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    },
  );
  if (!found) {
    const empty = { id: customer.id, found: false, subscriptions: [], skus: [], users: [], holdersComplete: true };
    return { ...empty, fingerprint: fingerprintCustomer(empty, customer, catalog, catalogue) };
  }
  const buys = customer.subscriptions.some((s) => s.offer !== undefined);
  const [wireSubs, wireSkus, wireUsers, wireOrders, customerAgreement] = await Promise.all([
    client.listSubscriptions(customer.id),
    client.listSubscribedSkus(customer.id),
    client.listUsers(customer.id),
    buys ? client.listOrders(customer.id) : undefined,
    buys ? agreementOf(client, customer.id) : undefined,
  ]);
  const subscriptions = await Promise.all(wireSubs.map((s) => toSubscription(reader, s, customer.id)));
  subscriptions.sort((a, b) => cmp(a.id, b.id));
  const own = await reader.offers.lookedUp(wireSubs.filter((s) => needsLookup(catalog, s)).map((s) => s.offerId ?? ''));
  const offers = offersFor(catalogue, own);
  const scope = readScope(customer, subscriptions, catalog, offers);
  const granted = new Set(subscriptions.filter((s) => s.status !== 'deleted' && s.skuId).map((s) => s.skuId!));
  // After a renewal into another SKU the holders keep the old one, which no subscription grants any more: with a
  // `renewal: { offer }` every holder of such a SKU is read, so the plan can move them all (plan/renewal.ts).
  const reshaped = customer.subscriptions.some((s) => s.renewal?.offer !== undefined);
  const orphans = reshaped ? toSkus(wireSkus).filter((k) => k.consumedUnits > 0 && !granted.has(k.skuId)).map((k) => k.skuId) : [];
  if (orphans.length > 0) scope.holderSkuIds = [...new Set([...scope.holderSkuIds, ...orphans])].sort(cmp);
  const { users, skus, complete, checks } = await readHolders(client, customer.id, wireUsers.map(toUser), scope, {
    skus: toSkus(wireSkus),
    granted,
    ...(reader.recheck && { recheck: reader.recheck }),
  });
  const gdap = reader.gdap && customer.licenses.length > 0 ? await reader.gdap.accessFor(customer.id, reader.now ?? new Date().toISOString()) : undefined;
  const renewalProducts = await readRenewalProducts(client, customer);
  const base = {
    ...(renewalProducts && { renewalProducts }),
    id: customer.id,
    found: true,
    domain: found.companyProfile?.domain?.toLowerCase(),
    companyName: found.companyProfile?.companyName,
    subscriptions,
    skus,
    users,
    holdersComplete: complete,
    ...(checks.length > 0 && { holderChecks: checks }),
    ...(wireOrders && { pendingOrders: pendingOrderLines(wireOrders, wireSubs, reader.now === undefined ? Date.now() : Date.parse(reader.now)) }),
    ...(Object.keys(own).length > 0 && { subscriptionOffers: own }),
    ...(gdap && { gdap }),
    ...(customerAgreement && { customerAgreement }),
  };
  const odd = [
    ...oddOf('customer', [found]),
    ...oddOf('subscription', wireSubs),
    ...oddOf('user', wireUsers),
  ];
  return { ...base, ...(odd.length > 0 && { oddValues: odd }), fingerprint: fingerprintCustomer(base, customer, catalog, offers) };
}

/**
 * The Microsoft Customer Agreement, read-only (learn `get-confirmation-of-customer-agreement`): accepted when an
 * agreement of that type is listed. A refusal of the read (other than of the whole credential) leaves it unknown.
 */
async function agreementOf(client: PartnerCenterClient, customerId: string): Promise<NonNullable<LiveCustomer['customerAgreement']>> {
  try {
    const items = await client.listCustomerAgreements(customerId);
    return items.some((a) => (a.type ?? '').toLowerCase() === 'microsoftcustomeragreement') ? { state: 'accepted' } : { state: 'missing' };
  } catch (err) {
    if (!(err instanceof ApiError) || credentialFailure(err)) throw err;
    return { state: 'unknown', why: err.userMessage };
  }
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
  const credential = credentialFailure(err);
  if (credential) throw new CredentialRefused(credential);
  const readError = err.userMessage;
  return { id: customer.id, found: false, subscriptions: [], skus: [], users: [], holdersComplete: false, readError, readErrorActor: err.actor, fingerprint: hashOf({ readError }) };
}

/** 404, or 403 code 20002 (no relationship): Partner Center does not know this customer for this partner. */
function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || (err.status === 403 && err.code === 20002));
}

/**
 * A live subscription with its licence SKU: `catalog.retired[].skuId` from pcsync.yaml when the partner set one
 * (an override), else the legacy offer's `product.id`, else the subscription's provisioning status (API reference,
 * 2026-11 additions) — for a retired offer (no longer in the catalogue, and a look-up by id may be refused) and
 * for every new-commerce one: the legacy offers API does not serve `productId:skuId:availabilityId` ids (400 2100,
 * "use the Products/SKUs APIs"; API reference §8), and a product SKU does not name its licence SKU.
 * When all fail, `skuProblem` names what was read.
 */
export async function toSubscription(reader: LiveReader, s: WireSubscription, customerId: string): Promise<LiveSubscription> {
  const retired = s.offerName ? findRetired(reader.catalog, s.offerName) : undefined;
  const override = retired?.skuId;
  const productSku = (s.offerId ?? '').includes(':');
  const offer = needsLookup(reader.catalog, s) ? await reader.offers.get(s.offerId!) : undefined;
  const learned = override ?? offer?.skuId;
  const status = String(s.status ?? 'unknown').toLowerCase();
  // Only retired legacy offers fall out of the catalogue; asking every other legacy subscription would add a call
  // per subscription per customer for SKUs the catalogue already names.
  const fromStatus = learned || !(retired || productSku) || status === 'deleted' ? undefined : await provisionedSku(reader, customerId, s);
  const skuId = learned ?? fromStatus?.skuId;
  const skuProblem = skuId || status === 'deleted' ? undefined : skuReads(reader, s, fromStatus?.problem);
  const quantityKnown = s.quantity !== undefined && s.quantity !== null && Number.isFinite(Number(s.quantity));
  return {
    id: s.id,
    offerId: (s.offerId ?? '').toUpperCase(),
    offerName: s.offerName ?? offer?.name ?? s.offerId ?? '',
    friendlyName: s.friendlyName,
    quantity: quantityKnown ? Number(s.quantity) : 0,
    ...(!quantityKnown && { quantityUnknown: true as const }),
    status: String(s.status ?? 'unknown').toLowerCase(),
    autoRenewEnabled: s.autoRenewEnabled,
    commitmentEndDate: s.commitmentEndDate,
    billingCycle: s.billingCycle,
    termDuration: s.termDuration,
    ...(s.cancellationAllowedUntilDate ? { cancellationAllowedUntilDate: s.cancellationAllowedUntilDate } : {}),
    ...(cancelsAtTermEnd(s) ? { cancelAtTermEnd: true } : {}),
    commerce: isNewCommerce(s) ? 'new' : 'legacy',
    orderId: s.orderId,
    ...(nextTermOf(s) && { nextTerm: nextTermOf(s)! }),
    skuId: skuId?.toLowerCase(),
    ...(skuProblem && { skuProblem }),
    etag: s.attributes?.etag,
  };
}

/**
 * True when a subscription's licence SKU comes from its legacy offer (`GET /v1/offers/{id}`): not for a new-commerce
 * `productId:skuId:availabilityId` id (the offers API does not know them; the provisioning status tells), nor
 * when `catalog.retired[].skuId` overrides it.
 */
function needsLookup(catalog: Catalog, s: WireSubscription): boolean {
  return Boolean(s.offerId) && !s.offerId!.includes(':') && !(s.offerName && findRetired(catalog, s.offerName)?.skuId);
}

/** The SKU the provisioning status names, or why it could not be read. */
async function provisionedSku(reader: LiveReader, customerId: string, s: WireSubscription): Promise<{ skuId?: string; problem?: string }> {
  try {
    const status = await reader.client.getProvisioningStatus(customerId, s.id);
    return status.skuId ? { skuId: status.skuId } : { problem: 'its provisioning status names no skuId' };
  } catch (err) {
    // A refusal is an answer (the SKU stays unknown, and says why); throttling, an outage or a timeout is not:
    // it fails the customer's read like any other read, so plan says "try again" instead of "the SKU is unknown".
    if (!(err instanceof ApiError) || err.failure !== 'terminal') throw err;
    return { problem: `provisioning status: ${err.userMessage}` };
  }
}

function skuReads(reader: LiveReader, s: WireSubscription, statusProblem: string | undefined): string {
  const offer = !s.offerId
    ? 'the subscription names no offer'
    : s.offerId.includes(':')
      ? `new-commerce item ${s.offerId}: only its provisioning status names its licence SKU`
      : (reader.offers.refusal(s.offerId) ?? `offer ${s.offerId} names no licence SKU`);
  return [offer, statusProblem].filter(Boolean).join('; ');
}

/**
 * New-commerce subscriptions have a catalogue item id (`productId:skuId[:availabilityId]`) as offer id and a
 * cancellation window; legacy ones a GUID and none (API reference §3 and 2026-11 additions).
 */
export function isNewCommerce(s: Pick<WireSubscription, 'offerId' | 'cancellationAllowedUntilDate'>): boolean {
  return (s.offerId ?? '').includes(':') || s.cancellationAllowedUntilDate !== undefined;
}

/**
 * For every `renewal: offer` that is a new-commerce id, the terms the customer can buy it with (its availabilities;
 * learn get-a-list-of-availabilities-for-a-sku): read so that a product Partner Center would not renew into is a
 * blocker before anything is sent. A refused read is kept as the problem, not as "not sold".
 */
async function readRenewalProducts(client: LiveReader['client'], customer: DesiredCustomer): Promise<Record<string, LiveRenewalProduct> | undefined> {
  const ids = [...new Set(customer.subscriptions.map((s) => s.renewal?.offer).filter((o): o is string => o !== undefined && isCatalogItem(o)).map((o) => o.split(':').slice(0, 2).join(':').toUpperCase()))].sort(cmp);
  if (ids.length === 0) return undefined;
  const out: Record<string, LiveRenewalProduct> = {};
  for (const id of ids) {
    const [productId, skuId] = id.split(':') as [string, string];
    try {
      const items = await client.listAvailabilities(customer.id, productId, skuId);
      const terms = items.flatMap((av) => (av.terms ?? []).map((t) => ({ term: String(t.duration ?? '').toUpperCase(), billing: String(t.billingCycle ?? '').toLowerCase() })));
      const title = items.find((av) => av.sku?.title)?.sku?.title;
      out[id] = { terms, ...(title && { title }) };
    } catch (err) {
      if (!(err instanceof ApiError) || err.failure !== 'terminal' || credentialFailure(err)) throw err;
      out[id] = { terms: [], problem: err.userMessage };
    }
  }
  return out;
}

/** The scheduled next term, when the instructions name a product, SKU and quantity. */
function nextTermOf(s: WireSubscription): LiveSubscription['nextTerm'] {
  const n = s.scheduledNextTermInstructions;
  const p = n?.product;
  if (!n || !p?.productId || !p.skuId || typeof n.quantity !== 'number') return undefined;
  return {
    offerId: `${p.productId}:${p.skuId}`.toUpperCase(),
    quantity: n.quantity,
    term: (p.termDuration ?? s.termDuration ?? 'P1Y').toUpperCase(),
    billing: (p.billingCycle ?? s.billingCycle ?? 'monthly').toLowerCase(),
  };
}

function cancelsAtTermEnd(s: WireSubscription): boolean {
  return (s.scheduledActions ?? []).some((a) => a.scheduleType?.toLowerCase() === 'termend' && a.actionType?.toLowerCase() === 'cancel');
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
