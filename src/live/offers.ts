import { ApiError } from '../partner-center/errors.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { WireOffer } from '../partner-center/wire.js';
import type { CatalogueRead, LiveOffer } from './types.js';

export type { CatalogueRead };

/**
 * Offers read once per run: the market catalogue list, plus any offer looked up by id (retired offers are not in
 * the list but may still answer by id). Concurrent lookups of one id share a single request.
 *
 * What one customer's plan sees is `catalogue()` plus the look-ups of its own subscriptions' offers
 * (`lookedUp(ids)`) — never what other customers' reads happened to look up before it, so a customer planned
 * alone (apply's re-plan) sees exactly what it saw in the fleet's plan.
 */
export class OfferCache {
  readonly #byId = new Map<string, Promise<LiveOffer | undefined>>();
  /** Why an offer looked up by id is unknown: Partner Center's reply, in words. */
  readonly #refused = new Map<string, string>();
  #listed?: Promise<CatalogueRead>;

  constructor(
    private readonly client: PartnerCenterClient,
    private readonly country: string,
  ) {}

  /**
   * Reads the catalogue list (once). A refusal of the market and an empty list do not throw: the catalogue is then
   * unknown (`problem` says why) and whatever depends on it blocks. A refused token, throttling or an outage stays
   * an error of the whole run.
   */
  catalogue(): Promise<CatalogueRead> {
    this.#listed ??= this.client.listOffers(this.country).then(
      (offers) => {
        const read = offers.map(toLiveOffer).filter((o): o is LiveOffer => o !== undefined);
        if (read.length === 0) {
          return { offers: {}, problem: `the offer catalogue for country ${this.country} is empty (GET /v1/offers?country=${this.country} listed no offer): the partner may not sell in ${this.country} (check country in pcsync.yaml)` };
        }
        read.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        return { offers: Object.freeze(Object.fromEntries(read.map((o) => [o.id, o]))) };
      },
      (err: unknown) => {
        if (!(err instanceof ApiError) || ![400, 403, 404].includes(err.status ?? 0)) throw err;
        return { offers: {}, problem: `the offer catalogue for country ${this.country} could not be read: ${err.userMessage} (check country in pcsync.yaml: the partner may not sell in ${this.country})` };
      },
    );
    return this.#listed;
  }

  /** Why `get(offerId)` found nothing (Partner Center's refusal), when it was refused. */
  refusal(offerId: string): string | undefined {
    return this.#refused.get(offerId.toUpperCase());
  }

  /** The offer by id — from the catalogue list when it has it, else looked up — or undefined when Partner Center does not know it. */
  async get(offerId: string): Promise<LiveOffer | undefined> {
    const key = offerId.toUpperCase();
    const listed = (await this.catalogue()).offers[key];
    if (listed) return listed;
    let found = this.#byId.get(key);
    if (!found) {
      found = this.client.getOffer(offerId, this.country).then(toLiveOffer, (err: unknown) => {
        if (err instanceof ApiError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429) {
          this.#refused.set(key, `offer ${offerId} in country ${this.country}: ${err.userMessage}`);
          return undefined;
        }
        this.#byId.delete(key);
        throw err;
      });
      this.#byId.set(key, found);
    }
    return found;
  }

  /**
   * The offers of `offerIds` that the catalogue list lacks but a look-up by id found (retired offers), by
   * upper-cased id, sorted: what one customer's own subscriptions add to the catalogue. Looks up what was not yet.
   */
  async lookedUp(offerIds: readonly string[]): Promise<Record<string, LiveOffer>> {
    const { offers: listed } = await this.catalogue();
    const ids = [...new Set(offerIds.filter((id) => id !== '').map((id) => id.toUpperCase()))].filter((id) => !listed[id]).sort();
    const out: Record<string, LiveOffer> = {};
    for (const id of ids) {
      const offer = await this.get(id);
      if (offer) out[offer.id] = offer;
    }
    return out;
  }
}

function toLiveOffer(o: WireOffer): LiveOffer | undefined {
  if (!o || typeof o.id !== 'string') return undefined;
  return {
    id: o.id.toUpperCase(),
    name: o.name ?? o.id,
    skuId: o.product?.id ? o.product.id.toLowerCase() : undefined,
    isAvailableForPurchase: o.isAvailableForPurchase !== false,
    minimumQuantity: o.minimumQuantity,
    maximumQuantity: o.maximumQuantity,
  };
}
