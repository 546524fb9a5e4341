import { decode, decodeCollection, WireShapeError } from './decode.js';
import { ApiError } from './errors.js';
import { serverText } from '../core/inert.js';
import { readAllPages } from './paging.js';
import type { HttpRequest, HttpResponse, Transport } from './http.js';
import type { WireKind } from './wire-schema.js';
import type {
  LicenseUpdateRequest,
  OrderRequest,
  WireCustomer,
  WireLicense,
  WireOffer,
  WireOrder,
  WireSubscribedSku,
  WireSubscription,
  WireUser,
} from './wire.js';

const enc = encodeURIComponent;

/** Counts requests per operation name, for summaries and the benchmark's "calls vs minimum". */
export type CallCounts = Record<string, number>;

/**
 * Typed Partner Center operations over one transport. One instance per run. Every reply is checked against
 * the wire schema (decode.ts) before it is returned; one that does not fit is a terminal `ApiError`.
 */
export class PartnerCenterClient {
  readonly calls: CallCounts = {};

  constructor(
    readonly transport: Transport,
    private readonly pageSize = 500,
  ) {}

  getCustomer(customerId: string): Promise<WireCustomer> {
    return this.#one('customer', 'customer.get', { method: 'GET', path: `/v1/customers/${enc(customerId)}`, auth: 'app' });
  }

  listCustomers(): Promise<WireCustomer[]> {
    return this.#all('customer', 'customers.list', { method: 'GET', path: `/v1/customers?size=${this.pageSize}`, auth: 'app' });
  }

  listSubscriptions(customerId: string): Promise<WireSubscription[]> {
    return this.#list('subscription', 'subscriptions.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/subscriptions`, auth: 'app' });
  }

  getSubscription(customerId: string, subscriptionId: string): Promise<WireSubscription> {
    return this.#one('subscription', 'subscription.get', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/subscriptions/${enc(subscriptionId)}`,
      auth: 'app',
    });
  }

  patchSubscription(customerId: string, subscriptionId: string, patch: Record<string, unknown>, etag?: string): Promise<WireSubscription> {
    const body = etag ? { ...patch, attributes: { etag, objectType: 'Subscription' } } : patch;
    return this.#one('subscription', 'subscription.patch', {
      method: 'PATCH',
      path: `/v1/customers/${enc(customerId)}/subscriptions/${enc(subscriptionId)}`,
      body,
      auth: 'app',
    });
  }

  createOrder(customerId: string, order: OrderRequest, requestId: string): Promise<WireOrder> {
    return this.#one('order', 'order.create', {
      method: 'POST',
      path: `/v1/customers/${enc(customerId)}/orders`,
      body: order,
      requestId,
      auth: 'app',
    });
  }

  /** Every order of the customer; orders show up at once, before their subscriptions are provisioned. */
  listOrders(customerId: string): Promise<WireOrder[]> {
    return this.#list('order', 'orders.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/orders`, auth: 'app' });
  }

  listOffers(country: string): Promise<WireOffer[]> {
    return this.#all('offer', 'offers.list', { method: 'GET', path: `/v1/offers?country=${enc(country)}&offset=0&size=500`, auth: 'app' });
  }

  getOffer(offerId: string, country: string): Promise<WireOffer> {
    return this.#one('offer', 'offer.get', { method: 'GET', path: `/v1/offers/${enc(offerId)}?country=${enc(country)}`, auth: 'app' });
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

  updateLicenses(customerId: string, userId: string, assign: string[], remove: string[], requestId?: string): Promise<unknown> {
    const body: LicenseUpdateRequest = {
      licensesToAssign: assign.map((skuId) => ({ skuId, excludedPlans: null })),
      licensesToRemove: remove.length > 0 ? remove : null,
      attributes: { objectType: 'LicenseUpdate' },
    };
    return this.#one('any', 'licenses.update', {
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
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    return this.transport.send(req);
  }
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
