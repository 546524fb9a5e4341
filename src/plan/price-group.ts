import { PRICE_GROUP_TEXT, priceGroupOfName, priceVariant, retiringPriceGroups } from '../catalog/index.js';
import { nameKey, offerIdKey } from '../catalog/names.js';
import type { CustomerContext, Handle } from './context.js';
import type { PurchaseAction } from './types.js';

/**
 * A replacement in another price group than the subscription it retires (a commercial offer for a Government
 * Pricing, Faculty or Students subscription) changes what the customer pays and may need other eligibility:
 * a `price-group-changed` warning per replacement that receives licences, naming the variant the live catalogue
 * sells when there is one (offers given by name already switched to it, see catalog/price-group.ts). The warning
 * cites the retired subscriptions the replacement takes its users from (`from:`), every one of them; a replacement
 * whose users are listed by name is compared with every retiring subscription.
 */
export function warnPriceGroups(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>): void {
  if (retiringPriceGroups(ctx.desired, ctx.live.subscriptions, ctx.catalog, ctx.offers).size === 0) return;
  const receiving = new Set(ctx.desired.licenses.map((l) => l.subscription));
  for (const h of handles.values()) {
    if (h.retiring || !h.offer || !receiving.has(h.handle)) continue;
    const own = priceGroupOfName(h.offer.name);
    const entries = ctx.desired.licenses.filter((l) => l.subscription === h.handle);
    const from = entries.every((l) => l.from !== undefined) ? new Set(entries.map((l) => l.from!)) : undefined;
    for (const [group, subs] of retiringPriceGroups(ctx.desired, ctx.live.subscriptions, ctx.catalog, ctx.offers, from)) {
      if (group === own) continue;
      const variant = priceVariant(h.offer, group, ctx.offers);
      ctx.findings.warn(
        'price-group-changed',
        `${h.handle}: "${h.offer.name}" at ${ctx.who} is a ${PRICE_GROUP_TEXT[own]} replacement for ${subs.length === 1 ? `a ${PRICE_GROUP_TEXT[group]} subscription` : `${subs.length} ${PRICE_GROUP_TEXT[group]} subscriptions`}: ${subs.map((s) => `"${s.offerName}" (${s.id})`).join(', ')}`,
        {
          hint: variant
            ? `the ${ctx.partner.country} catalogue sells "${variant.name}" (offer ${variant.id}); name it under offer: to keep the price group`
            : `the ${ctx.partner.country} catalogue has no ${PRICE_GROUP_TEXT[group]} variant of it; check the customer's eligibility and price before applying`,
          source: h.sub.source,
        },
      );
    }
  }
}

/**
 * Warning `offer-name-differs`: the YAML names an offer (`offer: Dynamics 365 Customer Engagement Plan`) and the
 * catalogue resolved it to another name (`… Tier 1 (1-99 users)`). Only for purchases: it is what is bought.
 * Offer ids and catalogue keys name no product, so they never warn.
 */
export function warnOfferNameDiffers(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>, purchases: readonly PurchaseAction[]): void {
  for (const p of purchases) {
    const ref = handles.get(p.handle)?.sub.offer;
    if (ref === undefined || offerIdKey(ref) === offerIdKey(p.offerId) || /^[a-z0-9-]+$/.test(ref) || nameKey(ref) === nameKey(p.offerName)) continue;
    ctx.findings.warn('offer-name-differs', `${p.handle} at ${ctx.who}: the YAML says "${ref}", the catalogue resolved it to "${p.offerName}" (${p.offerId}); that is what is bought`, {
      hint: 'write the resolved name or the offer id in the YAML if this is the product you mean',
      source: handles.get(p.handle)?.sub.source,
    });
  }
}
