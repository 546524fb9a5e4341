import { FreshReads, FRESH_READ_MS } from './fresh-reads.js';
import { decode, decodeCollection, WireShapeError } from './decode.js';
import { ApiError, StoppedBeforeSending } from './errors.js';
import { InternalError } from '../core/errors.js';
import { serverText } from '../core/inert.js';
import { RESOURCE_OF, requestBodyOf, requestBodyProblems } from './request-schemas.js';
import { readAllPages } from './paging.js';
import type { HttpRequest, HttpResponse, StopWatch, Transport } from './http.js';
import type { WireKind } from './wire-schema.js';
import type {
  LicenseUpdateRequest,
  OrderRequest,
  CartRequest,
  WireAvailability,
  WireCart,
  WireCheckout,
  WireCustomer,
  WireLicense,
  WireLicenseUpdate,
  WireOffer,
  WireOrder,
  WireProvisioningStatus,
  WireSku,
  WireSubscribedSku,
  WireSubscription,
  WireUser,
} from './wire.js';

const enc = encodeURIComponent;

/** What a subscription PATCH answered: the changed subscription, or "accepted, shows later" (202 / no body). */
export type PatchReply =
  | { readonly accepted: false; readonly subscription: WireSubscription }
  | { readonly accepted: true; readonly status: number; readonly location?: string };

/** Counts requests per operation name, for summaries and the benchmark's "calls vs minimum". */
export type CallCounts = Record<string, number>;

/**
 * Typed Partner Center operations over one transport. One instance per run. Every reply is checked against
 * the wire schema (decode.ts) before it is returned; one that does not fit is a terminal `ApiError`.
 */
export class PartnerCenterClient {
  constructor(
    readonly transport: Transport,
    private readonly pageSize = 500,
    /** Subscription and order lists of this run while fresh (PCSYNC_FRESH_READ_MS): every list read is recorded. */
    readonly fresh: FreshReads = new FreshReads(FRESH_READ_MS),
    readonly calls: CallCounts = {},
    /** Set on a `stoppingWith` view: what ends unsent once the run stops. */
    private readonly stop?: { readonly watch: StopWatch; readonly reads: boolean },
    /** Shared by a client and its views. */
    private readonly counts = { writes: 0 },
  ) {}

  /** Requests other than GET handed to the transport (sent or attempted), by this client and its views: 0 means this run changed nothing. */
  get writesSent(): number {
    return this.counts.writes;
  }

  /**
   * This client on the same transport, limits, call counts, write count and fresh reads, where a request ends unsent
   * (`StoppedBeforeSending`) once `watch` says the run is stopping (Transport.sendUnlessStopped): a write whose turn
   * in the rate limiter comes after the stop (never one already sent once), and with `reads` also every read, at
   * once, even while it waits for its turn. The executor writes through it (`reads: false`: its checks and
   * recoveries read on); `apply --auto-approve` reads the customers it has not planned yet through it.
   */
  stoppingWith(watch: StopWatch, o: { reads: boolean }): PartnerCenterClient {
    return new PartnerCenterClient(this.transport, this.pageSize, this.fresh, this.calls, { watch, reads: o.reads }, this.counts);
  }

  getCustomer(customerId: string): Promise<WireCustomer> {
    return this.#one('customer', 'customer.get', { method: 'GET', path: `/v1/customers/${enc(customerId)}`, auth: 'app' });
  }

  listCustomers(): Promise<WireCustomer[]> {
    return this.#all('customer', 'customers.list', { method: 'GET', path: `/v1/customers?size=${this.pageSize}`, auth: 'app' });
  }

  async listSubscriptions(customerId: string): Promise<WireSubscription[]> {
    const list = await this.#list<WireSubscription>('subscription', 'subscriptions.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/subscriptions`, auth: 'app' });
    this.fresh.recordSubscriptions(customerId, list);
    return list;
  }

  getSubscription(customerId: string, subscriptionId: string): Promise<WireSubscription> {
    return this.#one('subscription', 'subscription.get', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/subscriptions/${enc(subscriptionId)}`,
      auth: 'app',
    });
  }

  /** The subscription's provisioning status; its `skuId` names the licence SKU even for retired offers. */
  getProvisioningStatus(customerId: string, subscriptionId: string): Promise<WireProvisioningStatus> {
    return this.#one('provisioningStatus', 'subscription.provisioningstatus', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/subscriptions/${enc(subscriptionId)}/provisioningstatus`,
      auth: 'app',
    });
  }

  /**
   * PATCH a subscription (quantity, status, …). Partner Center answers 200 with the updated subscription, or,
   * when the change is slow, 202 Accepted with a `Location` and no body (API reference §5): the change shows
   * later, so the caller must poll. Any 2xx without a body is read the same way.
   */
  async patchSubscription(customerId: string, subscriptionId: string, patch: Record<string, unknown>, etag?: string): Promise<PatchReply> {
    const body = etag ? { ...patch, attributes: { etag, objectType: 'Subscription' } } : patch;
    const req: HttpRequest = { method: 'PATCH', path: `/v1/customers/${enc(customerId)}/subscriptions/${enc(subscriptionId)}`, body, auth: 'app' };
    const res = await this.#write(customerId, 'subscription.patch', req);
    if (res.status === 202 || res.body === undefined) return { accepted: true, status: res.status, ...(res.headers.location ? { location: res.headers.location } : {}) };
    return { accepted: false, subscription: readable(req, res, () => decode<WireSubscription>('subscription', res.body)) };
  }

  /**
   * POST an order (201 + Order). A 2xx without a body (e.g. 202 Accepted) means the order was taken but not
   * shown: undefined, and the caller finds it by its nickname in the orders list.
   */
  async createOrder(customerId: string, order: OrderRequest, requestId: string): Promise<WireOrder | undefined> {
    const req: HttpRequest = { method: 'POST', path: `/v1/customers/${enc(customerId)}/orders`, body: order, requestId, auth: 'app' };
    const res = await this.#write(customerId, 'order.create', req);
    if (res.body === undefined) return undefined;
    return readable(req, res, () => decode<WireOrder>('order', res.body));
  }

  /**
   * What this customer can buy of one new-commerce product SKU now (`GET …/products/{pid}/skus/{sid}/availabilities`,
   * learn `get-a-list-of-availabilities-for-a-sku-by-customer`). Availability ids are reissued: read just before buying.
   */
  listAvailabilities(customerId: string, productId: string, skuId: string): Promise<WireAvailability[]> {
    return this.#list('any', 'availabilities.list', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/products/${enc(productId)}/skus/${enc(skuId)}/availabilities`,
      auth: 'app',
    });
  }

  /**
   * One new-commerce product SKU as this customer can buy it (`GET …/products/{pid}/skus/{sid}`, .NET SDK route
   * `GetCustomerSku`; learn product-resources Sku), for its `attestationProperties`.
   */
  getCustomerSku(customerId: string, productId: string, skuId: string): Promise<WireSku> {
    return this.#one('any', 'sku.get', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/products/${enc(productId)}/skus/${enc(skuId)}`,
      auth: 'app',
    });
  }

  /** Creates a cart; the same `requestId` answers with the same cart (API reference §4, carts). */
  createCart(customerId: string, cart: CartRequest, requestId: string): Promise<WireCart> {
    return this.#one('any', 'cart.create', { method: 'POST', path: `/v1/customers/${enc(customerId)}/carts`, body: cart, requestId, auth: 'app' });
  }

  /**
   * Checks a cart out. Idempotent on the same cart: a second checkout returns the first result (learn
   * `checkout-a-cart`). The request has no body (the page documents none).
   */
  checkoutCart(customerId: string, cartId: string, requestId: string): Promise<WireCheckout> {
    this.fresh.forget(customerId);
    return this.#one('any', 'cart.checkout', { method: 'POST', path: `/v1/customers/${enc(customerId)}/carts/${enc(cartId)}/checkout`, requestId, auth: 'app' });
  }

  /** Every order of the customer; orders show up at once, before their subscriptions are provisioned. */
  async listOrders(customerId: string): Promise<WireOrder[]> {
    const list = await this.#list<WireOrder>('order', 'orders.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/orders`, auth: 'app' });
    this.fresh.recordOrders(customerId, list);
    return list;
  }

  /** A write to one customer: the lists read before it are not what Partner Center shows after it (`fresh`). */
  async #write(customerId: string, kind: string, req: HttpRequest) {
    this.fresh.forget(customerId);
    try {
      return await this.#send(kind, req);
    } finally {
      this.fresh.forget(customerId);
    }
  }

  listOffers(country: string): Promise<WireOffer[]> {
    return this.#all('offer', 'offers.list', { method: 'GET', path: `/v1/offers?country=${enc(country)}&offset=0&size=500`, auth: 'app' });
  }

  getOffer(offerId: string, country: string): Promise<WireOffer> {
    return this.#one('offer', 'offer.get', { method: 'GET', path: `/v1/offers/${enc(offerId)}?country=${enc(country)}`, auth: 'app' });
  }

  /**
   * The customer's confirmations of accepting the Microsoft Customer Agreement (learn
   * `get-confirmation-of-customer-agreement`; App+User only): empty when it has not accepted it.
   */
  listCustomerAgreements(customerId: string): Promise<{ type?: string; dateAgreed?: string }[]> {
    return this.#list('any', 'agreements.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/agreements?agreementType=MicrosoftCustomerAgreement` });
  }

  listSubscribedSkus(customerId: string): Promise<WireSubscribedSku[]> {
    return this.#list('subscribedSku', 'subscribedskus.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/subscribedskus` });
  }

  listUsers(customerId: string): Promise<WireUser[]> {
    return this.#all('user', 'users.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/users?size=${this.pageSize}` });
  }

  getUserLicenses(customerId: string, userId: string): Promise<WireLicense[]> {
    return this.#list('license', 'licenses.get', { method: 'GET', path: `/v1/customers/${enc(customerId)}/users/${enc(userId)}/licenses` });
  }

  /**
   * One licence update (201 + LicenseUpdate echo, whose `licenseWarnings` say what was only partly done).
   * `excluded`: per assigned SKU, the service-plan ids to leave off (`excludedPlans`, the complete set: §5 of
   * partner-center-2026-12.md); absent or empty = null, every plan on.
   */
  updateLicenses(customerId: string, userId: string, assign: string[], remove: string[], requestId?: string, excluded: Readonly<Record<string, readonly string[]>> = {}): Promise<WireLicenseUpdate> {
    const body: LicenseUpdateRequest = {
      licensesToAssign: assign.map((skuId) => ({ skuId, excludedPlans: excluded[skuId]?.length ? [...excluded[skuId]!] : null })),
      licensesToRemove: remove.length > 0 ? remove : null,
      attributes: { objectType: 'LicenseUpdate' },
    };
    return this.#one('licenseUpdate', 'licenses.update', {
      method: 'POST',
      path: `/v1/customers/${enc(customerId)}/users/${enc(userId)}/licenseupdates`,
      body,
      requestId,
    });
  }

  /** Total requests sent, for summaries. */
  get totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  async #one<T>(kind: WireKind, op: string, req: HttpRequest): Promise<T> {
    const res = await this.#send(op, req);
    return readable(req, res, () => decode<T>(kind, res.body));
  }

  /** A collection answered in one reply (no paging documented). */
  async #list<T>(kind: WireKind, op: string, req: HttpRequest): Promise<T[]> {
    const res = await this.#send(op, req);
    return readable(req, res, () => decodeCollection<T>(kind, res.body).items ?? []);
  }

  /** A paged collection, read to the end. */
  #all<T>(kind: WireKind, op: string, req: HttpRequest): Promise<T[]> {
    return readAllPages<T>(async (r) => {
      const res = await this.#send(op, r);
      return { ...res, body: readable(r, res, () => decodeCollection<T>(kind, res.body)) };
    }, req);
  }

  #send(op: string, req: HttpRequest): Promise<HttpResponse> {
    if (req.body !== undefined) documentedBody(op, req);
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    if (req.method !== 'GET') this.counts.writes++;
    const cut = this.stop !== undefined && (req.method !== 'GET' || this.stop.reads);
    const sent = cut ? this.transport.sendUnlessStopped(req, this.stop!.watch) : this.transport.send(req);
    // a request that ended unsent (the run stopped while it waited for its turn) is no call to Partner Center
    return sent.catch((err: unknown) => {
      if (err instanceof StoppedBeforeSending) this.calls[op] = Math.max(0, (this.calls[op] ?? 1) - 1);
      throw err;
    });
  }
}

/**
 * A request body must be the documented resource of its request (schemas/partner-center/, request-schemas.ts):
 * one that is not, or a body where the reference documents none, is a pcsync bug — an InternalError naming
 * the request and the failing fields, thrown before anything is sent.
 */
function documentedBody(op: string, req: HttpRequest): void {
  const path = req.path.split('?')[0]!;
  const name = requestBodyOf(req.method, path);
  const problems = name ? requestBodyProblems(name, req.body) : ['Partner Center documents no body for this request'];
  if (problems.length === 0) return;
  const what = name ? `the documented ${RESOURCE_OF[name]}` : 'a documented request body';
  throw new InternalError(`pcsync bug: the body of ${req.method} ${path} (${op}) is not ${what}: ${problems.join('; ')}. Nothing was sent.`);
}

/** Runs a decoder; a reply that does not fit the wire schema becomes a terminal ApiError naming the fields. */
function readable<T>(req: HttpRequest, res: HttpResponse, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof WireShapeError)) throw err;
    const path = req.path.split('?')[0]!;
    throw new ApiError(req.method, path, res.status, undefined, serverText(err.message), 'terminal', res.requestId, undefined, { kind: 'bad-response' });
  }
}
