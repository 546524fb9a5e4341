import type { LiveOffer } from './live-records.js';

/**
 * The offers one customer's plan resolves against: the market's catalogue list and what its own subscriptions'
 * look-ups by id added (`LiveCustomer.subscriptionOffers`) — nothing other customers looked up. The catalogue
 * object itself when nothing was added (a market's catalogue has thousands of offers). Pure.
 */
export function offersFor(catalogue: Readonly<Record<string, LiveOffer>>, own: Readonly<Record<string, LiveOffer>> | undefined): Readonly<Record<string, LiveOffer>> {
  if (!own || Object.keys(own).length === 0) return catalogue;
  return { ...catalogue, ...own };
}
