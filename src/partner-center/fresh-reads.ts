import type { WireOrder, WireSubscription } from './wire.js';

/** Default of PCSYNC_FRESH_READ_MS: how old a read a purchase or a suspend may rely on. */
export const FRESH_READ_MS = 60_000;

interface Lists {
  at: number;
  subscriptions?: readonly WireSubscription[];
  subscriptionsAt?: number;
  orders?: readonly WireOrder[];
  ordersAt?: number;
}

/**
 * The subscription and order lists this run read, per customer, for as long as they are fresh (`maxAgeMs`,
 * PCSYNC_FRESH_READ_MS): a purchase checks for a foreign pending order, and a suspend builds its PATCH body, from
 * a list read moments earlier in the same run instead of reading it again — never from one older than the bound.
 * Documented-class calls are what bounds a fleet run (README "Scale and speed"); these re-reads were 2–3 of the
 * ~9 per customer.
 *
 * Kept apart, for the whole run: the ids of the subscriptions each customer's lists showed (a few per customer).
 * A foreign order is pending while its subscription is not listed; an order whose subscription a list of this run
 * showed was provisioned then and stays so, and an order placed since the list is not in it either way — so the
 * ids of an older list still tell which lines of a fresh orders list are pending (actions.ts).
 *
 * Our own writes (an order, a PATCH) make a customer's lists stale at once (`forget`). Lists older than the bound
 * are dropped as new ones come, so a 5,000-customer run holds only the last minute's.
 */
export class FreshReads {
  readonly #lists = new Map<string, Lists>();
  readonly #ids = new Map<string, Set<string>>();

  constructor(
    readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  recordSubscriptions(customerId: string, list: readonly WireSubscription[]): void {
    const key = customerId.toLowerCase();
    const ids = this.#ids.get(key) ?? new Set<string>();
    for (const s of list) ids.add(s.id.toLowerCase());
    this.#ids.set(key, ids);
    this.#put(key, (l, t) => {
      l.subscriptions = list;
      l.subscriptionsAt = t;
    });
  }

  recordOrders(customerId: string, list: readonly WireOrder[]): void {
    this.#put(customerId.toLowerCase(), (l, t) => {
      l.orders = list;
      l.ordersAt = t;
    });
  }

  /** The customer's subscriptions as listed no longer than the bound ago; undefined otherwise. */
  subscriptions(customerId: string): readonly WireSubscription[] | undefined {
    const l = this.#lists.get(customerId.toLowerCase());
    return l?.subscriptions && this.#fresh(l.subscriptionsAt) ? l.subscriptions : undefined;
  }

  /** One subscription from a fresh list (see `subscriptions`). */
  subscription(customerId: string, subscriptionId: string): WireSubscription | undefined {
    return this.subscriptions(customerId)?.find((s) => s.id.toLowerCase() === subscriptionId.toLowerCase());
  }

  /** The customer's orders as listed no longer than the bound ago; undefined otherwise. */
  orders(customerId: string): readonly WireOrder[] | undefined {
    const l = this.#lists.get(customerId.toLowerCase());
    return l?.orders && this.#fresh(l.ordersAt) ? l.orders : undefined;
  }

  /** Ids of every subscription a list of this run showed for the customer (any age); undefined when none was listed. */
  subscriptionIds(customerId: string): ReadonlySet<string> | undefined {
    return this.#ids.get(customerId.toLowerCase());
  }

  /** Our own write changed the customer: its lists are not what Partner Center shows any more. */
  forget(customerId: string): void {
    this.#lists.delete(customerId.toLowerCase());
  }

  #fresh(at: number | undefined): boolean {
    return at !== undefined && this.maxAgeMs > 0 && this.now() - at <= this.maxAgeMs;
  }

  #put(key: string, set: (l: Lists, t: number) => void): void {
    const t = this.now();
    const l = this.#lists.get(key) ?? { at: t };
    this.#lists.delete(key); // re-inserted last: the map stays in the order of the latest read
    l.at = t;
    set(l, t);
    this.#lists.set(key, l);
    for (const [k, old] of this.#lists) {
      if (t - old.at <= this.maxAgeMs) break;
      this.#lists.delete(k);
    }
  }
}
