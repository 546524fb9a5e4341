import { ApiError } from '../partner-center/errors.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { WireOffer } from '../partner-center/wire.js';
import type { LiveOffer } from './types.js';

/**
 * Offers read once per run: the market catalogue list, plus any offer looked up by id (retired offers are
 * not in the list but may still answer by id). Concurrent lookups of one id share a single request.
 */
export class OfferCache {
  readonly #byId = new Map<string, Promise<LiveOffer | undefined>>();
  /** Why an offer looked up by id is unknown: Partner Center's reply, in words. */
  readonly #refused = new Map<string, string>();
  #listed?: Promise<void>;
  #catalogueProblem?: string;
  /** The last snapshot and the number of lookups started when it was taken (`#started` grows with each). */
  #snapshot?: { readonly at: number; readonly offers: Promise<Record<string, LiveOffer>> };
  #started = 0;

  constructor(
    private readonly client: PartnerCenterClient,
    private readonly country: string,
  ) {}

  /**
   * Reads the catalogue list (once). A refusal of the market and an empty list do not throw: the catalogue is then
   * unknown (`catalogueProblem` says why), never "no offers", and whatever depends on it blocks.
   */
  loadCatalogue(): Promise<void> {
    this.#listed ??= this.client.listOffers(this.country).then(
      (offers) => {
        const read = offers.map(toLiveOffer).filter((o): o is LiveOffer => o !== undefined);
        if (read.length === 0) {
          this.#catalogueProblem = `the offer catalogue for country ${this.country} is empty (GET /v1/offers?country=${this.country} listed no offer): the partner may not sell in ${this.country} (check country in pcsync.yaml)`;
        }
        for (const offer of read) this.#byId.set(offer.id, Promise.resolve(offer));
        this.#started += 1;
      },
      (err: unknown) => {
        // A refusal of the market (400, 403, 404) makes the catalogue unknown; a refused token, throttling or an
        // outage stays an error of the whole run, as before.
        if (!(err instanceof ApiError) || ![400, 403, 404].includes(err.status ?? 0)) throw err;
        this.#catalogueProblem = `the offer catalogue for country ${this.country} could not be read: ${err.userMessage} (check country in pcsync.yaml: the partner may not sell in ${this.country})`;
      },
    );
    return this.#listed;
  }

  /** Why the market's catalogue could not be read (country, reply); undefined when it was read. */
  get catalogueProblem(): string | undefined {
    return this.#catalogueProblem;
  }

  /** Why `get(offerId)` found nothing (Partner Center's refusal), when it was refused. */
  refusal(offerId: string): string | undefined {
    return this.#refused.get(offerId.toUpperCase());
  }

  /** The offer by id, or undefined when Partner Center does not know it (or no longer sells it). */
  get(offerId: string): Promise<LiveOffer | undefined> {
    const key = offerId.toUpperCase();
    let found = this.#byId.get(key);
    if (!found) {
      found = this.client.getOffer(offerId, this.country).then(toLiveOffer, (err: unknown) => {
        if (err instanceof ApiError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429) {
          this.#refused.set(key, `offer ${offerId} in country ${this.country}: ${err.userMessage}`);
          return undefined;
        }
        this.#byId.delete(key);
        this.#started += 1;
        throw err;
      });
      this.#byId.set(key, found);
      this.#started += 1;
    }
    return found;
  }

  /**
   * Every offer known so far, by upper-cased id (waits for lookups under way). The same snapshot is given again
   * until another lookup starts: plan asks once per customer, and a market's catalogue has thousands of offers.
   */
  snapshot(): Promise<Record<string, LiveOffer>> {
    if (this.#snapshot?.at !== this.#started) this.#snapshot = { at: this.#started, offers: this.#collect() };
    return this.#snapshot.offers;
  }

  async #collect(): Promise<Record<string, LiveOffer>> {
    const out: Record<string, LiveOffer> = {};
    for (const p of this.#byId.values()) {
      const offer = await p.catch(() => undefined);
      if (offer) out[offer.id] = offer;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
