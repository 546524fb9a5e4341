import { compareText } from './names.js';
import { matchLiveSubscriptions, subscriptionSkuId } from './resolve.js';
import type { DesiredCustomer } from '../desired/types.js';
import type { LiveOffer, LiveSubscription } from './live-records.js';
import type { Catalog } from './types.js';

/** What the live reader must read for a customer: explicit UPNs, and SKUs whose every holder must be found. */
export interface ReadScope {
  /** Lower-cased users listed under `licenses[].users`, sorted. */
  listedUpns: string[];
  /** Lower-cased SKUs of subscriptions named by `from:`, retiring (`status: suspended`) or with `prune: true`. */
  holderSkuIds: string[];
}

export function readScope(
  customer: DesiredCustomer,
  liveSubs: readonly LiveSubscription[],
  catalog: Catalog,
  liveOffers: Readonly<Record<string, LiveOffer>>,
): ReadScope {
  const named = new Set(customer.licenses.map((l) => l.from).filter((h): h is string => h !== undefined));
  const holderSkuIds = customer.subscriptions
    .filter((s) => named.has(s.handle) || s.status !== 'active' || s.prune)
    .map((s) => subscriptionSkuId(s, matchLiveSubscriptions(s, liveSubs, catalog, liveOffers), catalog, liveOffers))
    .filter((id): id is string => id !== undefined);
  const listedUpns = customer.licenses.flatMap((l) => l.users ?? []).map((u) => u.toLowerCase());
  return { listedUpns: uniqueSorted(listedUpns), holderSkuIds: uniqueSorted(holderSkuIds) };
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}
