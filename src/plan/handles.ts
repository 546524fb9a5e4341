import { matchLiveSubscriptions, resolveOfferRef, subscriptionSkuId } from '../catalog/resolve.js';
import type { DesiredSubscription } from '../desired/types.js';
import type { CustomerContext, Handle } from './context.js';

/**
 * Step 2: each desired subscription with its offer, the live subscriptions it refers to and its licence SKU.
 * Unknown offers and SKUs that licences need but nothing tells are blockers.
 */
export function resolveHandles(ctx: CustomerContext): Map<string, Handle> {
  const { desired } = ctx;
  const fromNamed = new Set(desired.licenses.map((l) => l.from));
  const licensed = new Set(desired.licenses.map((l) => l.subscription));
  const handles = new Map<string, Handle>();
  for (const sub of desired.subscriptions) {
    const h = resolveHandle(ctx, sub);
    handles.set(sub.handle, h);
    if (sub.offer !== undefined && !h.offer) {
      ctx.findings.block('unknown-offer', `${sub.handle}: offer "${sub.offer}" is in neither the catalogue nor the live catalogue (${ctx.partner.country}) for ${ctx.who}`, {
        hint: 'use a catalogue name such as "Dynamics 365 for Sales Professional", or the offer id; partner-specific offers go under catalog.replacements in pcsync.yaml',
        source: sub.source,
      });
      continue;
    }
    // A retiring subscription with nothing left to suspend (none matched, or all suspended) needs no SKU.
    const dormant = h.retiring && h.matched.every((m) => m.status === 'suspended' || m.status === 'deleted');
    const needsSku = licensed.has(sub.handle) || (!dormant && (fromNamed.has(sub.handle) || h.retiring || (sub.prune && h.matched.length > 0)));
    if (needsSku && h.skuId === undefined) {
      ctx.findings.block('sku-unknown', `${sub.handle}: the licence SKU of "${h.name}" is unknown, so pcsync cannot tell who holds it at ${ctx.who}`, {
        hint: `set skuId (the productSku.id shown by subscribedskus) under subscriptions.${sub.handle}`,
        source: sub.source,
      });
    }
    if (h.retiring && h.matched.length === 0 && fromNamed.has(sub.handle)) {
      ctx.findings.warn('from-matches-nothing', `${sub.handle} matches no live subscription at ${ctx.who}, so "from: ${sub.handle}" moves nobody`, { source: sub.source });
    }
  }
  return handles;
}

function resolveHandle(ctx: CustomerContext, sub: DesiredSubscription): Handle {
  const liveSubs = ctx.live.subscriptions;
  const offer = sub.offer === undefined ? undefined : resolveOfferRef(sub.offer, ctx.catalog, ctx.offers);
  const matched = matchLiveSubscriptions(sub, liveSubs, ctx.catalog, ctx.offers);
  const skuId = subscriptionSkuId(sub, matched, ctx.catalog, ctx.offers);
  const name = offer?.name ?? matched[0]?.offerName ?? sub.match?.offerName ?? sub.offer ?? sub.handle;
  return {
    sub,
    handle: sub.handle,
    ...(offer ? { offer } : {}),
    matched,
    ...(skuId ? { skuId } : {}),
    retiring: sub.status !== 'active',
    name,
  };
}
