/**
 * The APIs Partner Center's throttling guidance lists as "currently impacted by throttling" (partner-center-api.md
 * §10): orders, subscriptions, carts, GET customer by id, transfers, product upgrades. The simulator keeps its
 * own copy of the list (it plays the service; pcsync's table in src/partner-center/api-classes.ts must agree
 * with it, which the tests check through the audit log, not by sharing code).
 */
const LISTED: readonly [method: string | undefined, path: RegExp][] = [
  [undefined, /^\/v1\/customers\/[^/]+\/(orders|subscriptions|carts|transfers)(\/|$)/i],
  ['GET', /^\/v1\/customers\/[^/]+\/?$/i],
  [undefined, /^\/v1\/productupgrades(\/|$)/i],
];

/** `documented` for a request on the published throttled list, `other` for everything else. */
export function throttleClassOf(method: string, path: string): 'documented' | 'other' {
  const q = path.indexOf('?');
  const bare = q === -1 ? path : path.slice(0, q);
  return LISTED.some(([m, re]) => (m === undefined || m === method) && re.test(bare)) ? 'documented' : 'other';
}
