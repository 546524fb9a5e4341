/**
 * Which requests Partner Center throttles at its published rate, as one table.
 *
 * Source: Partner Center API throttling guidance, "APIs currently impacted by throttling"
 * (`learn:api-throttling-guidance`; see partner-center-api.md §10 and its 2026-11 additions): orders (create,
 * get, provisioning status), subscriptions (list, get, PATCH, add-ons, upgrades, registrations, conversions,
 * Azure entitlements), carts (create, update, checkout), GET customer by id, transfers, product upgrades. The
 * subscription and order resources are documented at 500 requests/minute per tenant; some limits count per
 * partner, others per partner + customer (the mapping is not published, so the documented class is limited at
 * both). Every other API (users, licences, licence updates, subscribed SKUs, offers, customer list) is adjusted
 * dynamically by Microsoft and runs under the adaptive limiter. When Microsoft changes the list, change the
 * table — nothing else names a class.
 */
export type ApiClass = 'documented' | 'adaptive';

interface ClassRule {
  /** What the guidance calls it. */
  readonly what: string;
  /** Methods it covers; undefined = all. */
  readonly methods?: readonly string[];
  /** Matched against the path without its query. */
  readonly path: RegExp;
}

const CUSTOMER = '/v1/customers/[^/]+';

export const DOCUMENTED_THROTTLED: readonly ClassRule[] = [
  { what: 'orders (create, list, get, provisioning status)', path: new RegExp(`^${CUSTOMER}/orders(/|$)`, 'i') },
  { what: 'subscriptions (list, get, PATCH, add-ons, upgrades, registrations, conversions, provisioning status)', path: new RegExp(`^${CUSTOMER}/subscriptions(/|$)`, 'i') },
  { what: 'carts (create, update, checkout)', path: new RegExp(`^${CUSTOMER}/carts(/|$)`, 'i') },
  { what: 'GET customer by id', methods: ['GET'], path: new RegExp(`^${CUSTOMER}/?$`, 'i') },
  { what: 'transfers', path: new RegExp(`^${CUSTOMER}/transfers(/|$)`, 'i') },
  { what: 'product upgrades', path: /^\/v1\/productUpgrades(\/|$)/i },
];

/** The class of one request: `documented` when a rule of the table covers it, otherwise `adaptive`. */
export function apiClassOf(method: string, path: string): ApiClass {
  const q = path.indexOf('?');
  const bare = q === -1 ? path : path.slice(0, q);
  for (const rule of DOCUMENTED_THROTTLED) {
    if (rule.path.test(bare) && (!rule.methods || rule.methods.includes(method))) return 'documented';
  }
  return 'adaptive';
}
