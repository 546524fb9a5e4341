import { findRetired, matchLiveSubscriptions, resolveOfferRef, subscriptionSkuId } from '../catalog/resolve.js';
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
  let catalogueBlocked = false;
  for (const sub of desired.subscriptions) {
    const h = resolveHandle(ctx, sub);
    handles.set(sub.handle, h);
    // Without the market's catalogue an offer is only a guess from the built-in list (offer ids differ by market).
    if (sub.offer !== undefined && ctx.catalogueProblem !== undefined) {
      if (!catalogueBlocked) {
        catalogueBlocked = true;
        ctx.findings.block('catalogue-unreadable', `${sub.handle}: pcsync cannot ground "${sub.offer}" for ${ctx.who}: ${ctx.catalogueProblem}`, {
          hint: 'set country in pcsync.yaml to a market your Partner Center account sells in, then plan again',
          source: sub.source,
        });
      }
      continue;
    }
    if (sub.offer !== undefined && !h.offer) {
      ctx.findings.block('unknown-offer', `${sub.handle}: offer "${sub.offer}" is in neither the catalogue nor the live catalogue (${ctx.partner.country}) for ${ctx.who}`, {
        hint: 'use a catalogue name such as "Dynamics 365 for Sales Professional", or the offer id; partner-specific offers go under catalog.replacements in pcsync.yaml',
        source: sub.fieldSources?.offer ?? sub.source,
      });
      continue;
    }
    // A retiring subscription with nothing left to suspend (none matched, or all suspended) needs no SKU.
    const dormant = h.retiring && h.matched.every((m) => m.status === 'suspended' || m.status === 'deleted');
    const needsSku = licensed.has(sub.handle) || (!dormant && (fromNamed.has(sub.handle) || h.retiring || (sub.prune && h.matched.length > 0)));
    if (needsSku && h.skuId === undefined) {
      const reads = [...new Set(h.matched.map((m) => m.skuProblem).filter((p): p is string => p !== undefined))];
      const why = reads.length > 0 ? `: Partner Center did not tell it (${reads.join('; ')})` : '';
      ctx.findings.block('sku-unknown', `${sub.handle}: the licence SKU of "${h.name}" is unknown${why}, so pcsync cannot tell who holds it at ${ctx.who}`, {
        hint: `set skuId (the productSku.id shown by subscribedskus) under subscriptions.${sub.handle}, or under catalog.retired in pcsync.yaml for every customer`,
        source: sub.source,
      });
    }
    blockUnreportedSku(ctx, h);
  }
  for (const h of handles.values()) if (h.retiring && h.matched.length === 0 && fromNamed.has(h.handle)) matchesNothing(ctx, h, handles);
  return handles;
}

/**
 * A retiring subscription whose `match` finds nothing moves nobody. After a migration that is expected (the old one
 * is gone): a warning. But while the customer still has a retired subscription that no entry of the file matches,
 * it is most likely a mistyped `match` — planning "nothing to do" would leave those users on a licence that expires:
 * a blocker naming what the customer has.
 */
function matchesNothing(ctx: CustomerContext, h: Handle, handles: ReadonlyMap<string, Handle>): void {
  const matched = new Set([...handles.values()].flatMap((x) => x.matched.map((m) => m.id)));
  const unmatched = ctx.live.subscriptions.filter((s) => s.status !== 'deleted' && !matched.has(s.id) && findRetired(ctx.catalog, s.offerName) !== undefined);
  if (unmatched.length === 0) {
    ctx.findings.warn('from-matches-nothing', `${h.handle} matches no live subscription at ${ctx.who}, so "from: ${h.handle}" moves nobody`, { source: h.sub.source });
    return;
  }
  const names = unmatched.map((s) => `"${s.offerName}" (${s.id}, ${s.status})`).join(', ');
  ctx.findings.block('match-finds-nothing', `${h.handle} matches no live subscription at ${ctx.who}, but the customer still has retired ${names}, which no subscription of the file matches`, {
    hint: `check match under subscriptions.${h.handle}: did you mean offerName: ${JSON.stringify(unmatched[0]!.offerName)}?`,
    source: h.sub.source,
  });
}

/**
 * A subscription the customer has whose SKU subscribedskus does not list (a partial reply): its consumed and
 * available units are unknown, not 0, so nothing may be concluded from them — not "nobody holds it", not "no
 * seats". Blocks with the SKU and what the reply did list.
 */
function blockUnreportedSku(ctx: CustomerContext, h: Handle): void {
  if (h.skuId === undefined || ctx.live.skus.some((s) => s.skuId === h.skuId)) return;
  const granting = ctx.live.subscriptions.filter((m) => m.status !== 'deleted' && m.skuId === h.skuId);
  if (granting.length === 0) return;
  const listed = ctx.live.skus.map((s) => s.skuPartNumber ?? s.skuId);
  const subs = granting.map((m) => `${m.id} (${m.status}, ${m.quantity} seats)`).join(', ');
  ctx.findings.block('sku-not-reported', `${h.handle}: GET subscribedskus at ${ctx.who} does not list SKU ${h.skuId} (or gives no consumed units for it) of "${h.name}", which subscription ${subs} grants; its consumed units are unknown, so pcsync cannot tell who holds it or how many seats are free (the reply listed ${listed.length} SKU(s)${listed.length > 0 ? `: ${listed.join(', ')}` : ''})`, {
    hint: 'Partner Center sent a partial reply; plan again later, and check the licences in the customer\'s admin centre if it persists',
    source: h.sub.source,
    retry: true,
  });
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
