import { readAllPages } from './paging.js';
import type { HttpRequest, HttpResponse, Transport } from './http.js';
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

/** Typed Partner Center operations over one transport. One instance per run. */
export class PartnerCenterClient {
  readonly calls: CallCounts = {};

  constructor(
    readonly transport: Transport,
    private readonly pageSize = 500,
  ) {}

  getCustomer(customerId: string): Promise<WireCustomer> {
    return this.#json('customer.get', { method: 'GET', path: `/v1/customers/${enc(customerId)}`, auth: 'app' });
  }

  listCustomers(): Promise<WireCustomer[]> {
    return this.#all('customers.list', { method: 'GET', path: `/v1/customers?size=${this.pageSize}`, auth: 'app' });
  }

  async listSubscriptions(customerId: string): Promise<WireSubscription[]> {
    const body = await this.#json<{ items?: WireSubscription[] }>('subscriptions.list', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/subscriptions`,
      auth: 'app',
    });
    return body.items ?? [];
  }

  getSubscription(customerId: string, subscriptionId: string): Promise<WireSubscription> {
    return this.#json('subscription.get', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/subscriptions/${enc(subscriptionId)}`,
      auth: 'app',
    });
  }

  patchSubscription(customerId: string, subscriptionId: string, patch: Record<string, unknown>, etag?: string): Promise<WireSubscription> {
    const body = etag ? { ...patch, attributes: { etag, objectType: 'Subscription' } } : patch;
    return this.#json('subscription.patch', {
      method: 'PATCH',
      path: `/v1/customers/${enc(customerId)}/subscriptions/${enc(subscriptionId)}`,
      body,
      auth: 'app',
    });
  }

  createOrder(customerId: string, order: OrderRequest, requestId: string): Promise<WireOrder> {
    return this.#json('order.create', {
      method: 'POST',
      path: `/v1/customers/${enc(customerId)}/orders`,
      body: order,
      requestId,
      auth: 'app',
    });
  }

  /** Every order of the customer; orders show up at once, before their subscriptions are provisioned. */
  async listOrders(customerId: string): Promise<WireOrder[]> {
    const body = await this.#json<{ items?: WireOrder[] }>('orders.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/orders`, auth: 'app' });
    return body.items ?? [];
  }

  listOffers(country: string): Promise<WireOffer[]> {
    return this.#all('offers.list', { method: 'GET', path: `/v1/offers?country=${enc(country)}&offset=0&size=500`, auth: 'app' });
  }

  getOffer(offerId: string, country: string): Promise<WireOffer> {
    return this.#json('offer.get', { method: 'GET', path: `/v1/offers/${enc(offerId)}?country=${enc(country)}`, auth: 'app' });
  }

  async listSubscribedSkus(customerId: string): Promise<WireSubscribedSku[]> {
    const body = await this.#json<{ items?: WireSubscribedSku[] }>('subscribedskus.list', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/subscribedskus`,
    });
    return body.items ?? [];
  }

  listUsers(customerId: string): Promise<WireUser[]> {
    return this.#all('users.list', { method: 'GET', path: `/v1/customers/${enc(customerId)}/users?size=${this.pageSize}` });
  }

  async getUserLicenses(customerId: string, userId: string): Promise<WireLicense[]> {
    const body = await this.#json<{ items?: WireLicense[] }>('licenses.get', {
      method: 'GET',
      path: `/v1/customers/${enc(customerId)}/users/${enc(userId)}/licenses`,
    });
    return body.items ?? [];
  }

  updateLicenses(customerId: string, userId: string, assign: string[], remove: string[], requestId?: string): Promise<unknown> {
    const body: LicenseUpdateRequest = {
      licensesToAssign: assign.map((skuId) => ({ skuId, excludedPlans: null })),
      licensesToRemove: remove.length > 0 ? remove : null,
      attributes: { objectType: 'LicenseUpdate' },
    };
    return this.#json('licenses.update', {
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

  async #json<T>(op: string, req: HttpRequest): Promise<T> {
    const res = await this.#send(op, req);
    return (res.body ?? {}) as T;
  }

  #all<T>(op: string, req: HttpRequest): Promise<T[]> {
    return readAllPages<T>((r) => this.#send(op, r), req);
  }

  #send(op: string, req: HttpRequest): Promise<HttpResponse> {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    return this.transport.send(req);
  }
}
