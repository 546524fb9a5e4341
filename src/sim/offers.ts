import type { SimContext } from './context.js';
import { Code, invalidInput, SimFault } from './faults.js';
import { offsetPage } from './paging.js';
import type { Route } from './router.js';
import type { ScenarioOffer } from './scenarios/types.js';
import type { SimState } from './state.js';
import { enc, link } from './wire.js';

const DEFAULT_MIN = 1;
const DEFAULT_MAX = 10_000;

/** Offer quantity bounds (defaults 1..10000); outside → 400 / 2002. */
export function checkQuantity(offer: ScenarioOffer | undefined, quantity: number): void {
  const lo = offer?.minimumQuantity ?? DEFAULT_MIN;
  const hi = offer?.maximumQuantity ?? DEFAULT_MAX;
  if (quantity < lo || quantity > hi) {
    throw new SimFault(400, Code.quantityOutOfRange, `Quantity ${quantity} is outside the offer's range ${lo}-${hi}.`, [String(quantity)]);
  }
}

function offerView(state: SimState, o: ScenarioOffer): unknown {
  const country = state.options.country;
  const sku = state.sku(o.productId);
  return {
    id: o.id,
    name: o.name,
    description: o.name,
    minimumQuantity: o.minimumQuantity ?? DEFAULT_MIN,
    maximumQuantity: o.maximumQuantity ?? DEFAULT_MAX,
    rank: 0,
    uri: `/offers/${enc(o.id)}?country=${enc(country)}`,
    locale: 'en-US',
    country,
    category: { id: 'Dynamics', name: 'Dynamics', rank: 0, locale: 'en-US', country, attributes: { objectType: 'OfferCategory' } },
    limitUnitOfMeasure: 'None',
    limit: 0,
    prerequisiteOffers: [],
    isAddOn: false,
    hasAddOns: false,
    isAvailableForPurchase: o.isAvailableForPurchase,
    billing: 'license',
    supportedBillingCycles: ['monthly', 'annual'],
    isAutoRenewable: o.isAvailableForPurchase,
    upgradeTargetOffers: [],
    conversionTargetOffers: [],
    reselleeQualifications: [],
    resellerQualifications: [],
    isTrial: false,
    isInternal: false,
    partnerQualifications: [],
    product: { id: o.productId, name: sku?.name ?? o.name, unit: 'Licenses' },
    unitType: 'Licenses',
    links: { self: link(`/offers/${enc(o.id)}?country=${enc(country)}`) },
    attributes: { objectType: 'Offer' },
  };
}

/** A new-commerce catalogue id (`productId:skuId[:availabilityId]`), which the legacy offers API does not serve. */
function isProductSku(id: string): boolean {
  return id.includes(':');
}

function requireCountry(ctx: SimContext): string {
  const country = ctx.query.get('country');
  if (!country) throw invalidInput('The country query parameter is required.');
  return country;
}

export const offerRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/offers',
    auth: 'app',
    handle: (ctx) => {
      const country = requireCountry(ctx);
      const served = country.toUpperCase() === ctx.state.options.country.toUpperCase();
      if (!served && ctx.state.options.readGaps?.otherCountry === 'refuse') {
        throw new SimFault(403, Code.notOnboardedForCountry, `The partner is not onboarded to sell in country ${country}.`, [country]);
      }
      // Legacy licence offers only: new-commerce product SKUs are read through the products API (API reference §8).
      const offers = served ? [...ctx.state.offers.values()].filter((o) => o.isAvailableForPurchase && !isProductSku(o.id)) : [];
      const uri = (offset: number, size: number) => `/v1/offers?country=${enc(country)}&offset=${offset}&size=${size}`;
      return { status: 200, body: offsetPage(ctx, offers.map((o) => offerView(ctx.state, o)), uri) };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/offers/:offerId',
    auth: 'app',
    handle: (ctx, p) => {
      const country = requireCountry(ctx);
      if (isProductSku(p.offerId!)) {
        throw new SimFault(400, Code.offersApiNotForProducts, `Offers API doesn't support item ${p.offerId}. Use the Products/SKUs APIs instead.`, [p.offerId!]);
      }
      const offer = ctx.state.offer(p.offerId!);
      if (!offer) throw new SimFault(400, Code.invalidOffer, `The offer id ${p.offerId} is not valid.`, [p.offerId!]);
      if (!offer.isAvailableForPurchase && ctx.state.options.readGaps?.retiredOfferById === 'refuse') {
        throw new SimFault(403, Code.offerRetired, `Offer ${offer.id} is no longer available.`, [offer.id]);
      }
      if (country.toUpperCase() !== ctx.state.options.country.toUpperCase()) {
        throw new SimFault(400, Code.offerNotInCountry, `Offer ${offer.id} is not available in country ${country}.`, [country]);
      }
      return { status: 200, body: offerView(ctx.state, offer) };
    },
  },
];
