import { resolveOfferRef, isCatalogItem } from '../catalog/resolve.js';
import { heldSkus, skuOf, type CustomerContext, type Handle, type Removal, type Target } from './context.js';
import type { LiveSubscription } from '../live/types.js';
import type { ScheduleRenewalAction, TermShape } from './types.js';

/** `productId:skuId` of a new-commerce id, upper-case (the availability is not part of what renews). */
export function productSku(offerId: string): string {
  return offerId.split(':').slice(0, 2).join(':').toUpperCase();
}

function sameShape(a: TermShape, b: TermShape): boolean {
  return a.offerId === b.offerId && a.quantity === b.quantity && a.term.toUpperCase() === b.term.toUpperCase() && a.billing.toLowerCase() === b.billing.toLowerCase();
}

function shapeText(s: TermShape): string {
  return `${s.quantity} seat(s) of ${s.offerId}, ${s.term} billed ${s.billing}`;
}

/**
 * `renewal:` → one `schedule-renewal` per subscription whose next term, as Partner Center will renew it (the
 * scheduled instructions, or the current term when none), differs from the desired one. Nothing changes mid-term.
 * Refusals known before sending are blockers on the `renewal:` line: a legacy subscription, one not active, with
 * auto-renew off or a cancel at term end (scheduled changes need auto-renew on), a term already ended, a product
 * that cannot be renewed into (unknown, not for sale, legacy), a seat count that is unknown.
 */
export function planRenewals(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>): ScheduleRenewalAction[] {
  const actions: ScheduleRenewalAction[] = [];
  for (const h of handles.values()) {
    const r = h.sub.renewal;
    if (!r || h.retiring) continue;
    const block = (code: Parameters<CustomerContext['findings']['block']>[0], message: string, hint: string) =>
      ctx.findings.block(code, `${h.handle}: ${message}`, { hint, source: r.source });
    const live = h.matched.filter((m) => m.status !== 'deleted');
    if (live.length === 0) {
      if (h.sub.offer === undefined) block('renewal-not-schedulable', `renewal: needs the subscription, but no live subscription at ${ctx.who} matches`, 'check match:, or remove renewal:');
      else ctx.findings.warn('renewal-after-purchase', `${h.handle}: renewal: applies once the subscription exists at ${ctx.who}; plan again after it is bought`, { source: r.source });
      continue;
    }
    if (live.length > 1) {
      block('renewal-not-schedulable', `renewal: names one next term, but ${live.length} subscriptions at ${ctx.who} match (${live.map((m) => m.id).join(', ')})`, 'match one subscription (match: subscriptionId), one handle per subscription');
      continue;
    }
    const sub = live[0]!;
    const action = planOne(ctx, h, sub, block);
    if (action) actions.push(action);
  }
  return actions;
}

function planOne(
  ctx: CustomerContext,
  h: Handle,
  sub: LiveSubscription,
  block: (code: Parameters<CustomerContext['findings']['block']>[0], message: string, hint: string) => void,
): ScheduleRenewalAction | undefined {
  const r = h.sub.renewal!;
  const where = `subscription ${sub.id} ("${sub.offerName}") at ${ctx.who}`;
  if (sub.commerce !== 'new') {
    block('renewal-not-schedulable', `${where} is a legacy subscription: changes at renewal can only be scheduled for new-commerce subscriptions`, 'move it to new commerce first (buy the new-commerce offer and move the users), or remove renewal:');
    return undefined;
  }
  if (sub.status !== 'active') {
    block('renewal-not-schedulable', `${where} is ${sub.status}: only an active subscription renews`, 'remove renewal:, or reactivate it first');
    return undefined;
  }
  if (sub.autoRenewEnabled === false || sub.cancelAtTermEnd) {
    block('renewal-not-schedulable', `${where} has ${sub.cancelAtTermEnd ? 'a cancel at term end scheduled' : 'auto-renew off'}: it will not renew, and Partner Center schedules changes at renewal only with auto-renew on (learn create-scheduled-changes)`, 'a partner admin turns auto-renew on in Partner Center (or remove status/end-at-term from the desired state), then plan again; or remove renewal:');
    return undefined;
  }
  const renewsOn = sub.commitmentEndDate;
  if (renewsOn === undefined || !Number.isFinite(Date.parse(renewsOn))) {
    block('renewal-not-schedulable', `${where}: Partner Center did not send its term end (commitmentEndDate), so the renewal date is unknown`, 'plan again later; if it persists, check the subscription in Partner Center');
    return undefined;
  }
  if (Date.parse(renewsOn) <= Date.parse(ctx.now)) {
    block('renewal-date-passed', `${where}: its term ended ${renewsOn}; the renewal is under way (Partner Center renews from 00:00 UTC the next day, queued up to 24 h), so nothing can be scheduled for it`, 'plan again once the subscription shows its new term');
    return undefined;
  }
  if (sub.quantityUnknown) {
    block('renewal-not-schedulable', `${where}: Partner Center sent no readable quantity, so the current seats are unknown`, 'plan again later');
    return undefined;
  }
  const current: TermShape = { offerId: productSku(sub.offerId), quantity: sub.quantity, term: (sub.termDuration ?? 'P1Y').toUpperCase(), billing: (sub.billingCycle ?? 'monthly').toLowerCase() };
  let offerId = current.offerId;
  let offerName = sub.offerName;
  if (r.offer !== undefined) {
    const offer = resolveOfferRef(r.offer, ctx.catalog, ctx.offers);
    if (!offer) {
      block('renewal-not-schedulable', `renewal offer "${r.offer}" is in neither the catalogue nor the live catalogue (${ctx.partner.country}) for ${ctx.who}`, 'use the new-commerce id productId:skuId of the product to renew into');
      return undefined;
    }
    if (!isCatalogItem(offer.offerId)) {
      block('renewal-not-schedulable', `renewal offer "${r.offer}" is a legacy offer (${offer.offerId}): a new-commerce subscription can only renew into a new-commerce product`, 'use the new-commerce id productId:skuId of the product to renew into');
      return undefined;
    }
    if (!offer.purchasable) {
      block('renewal-not-schedulable', `renewal offer "${offer.name}" (${offer.offerId}) is not for sale: Partner Center would refuse to renew into it`, 'choose a product that is for sale in the live catalogue');
      return undefined;
    }
    offerId = productSku(offer.offerId);
    offerName = offer.name;
  }
  const term = r.term ?? current.term;
  const billing = r.billing ?? current.billing;
  if (offerId !== current.offerId || term !== current.term || billing !== current.billing) {
    // What the customer can buy it with (its availabilities, read with the live state): a renewal into a product or
    // a term it is not sold with is refused by Partner Center, so it is refused here, before anything is sent.
    const sold = ctx.live.renewalProducts?.[offerId];
    if (sold?.problem !== undefined) {
      block('renewal-not-schedulable', `pcsync could not read how ${offerId} is sold to ${ctx.who}: ${sold.problem}`, 'plan again later; if it persists, check the product id');
      return undefined;
    }
    if (sold && !sold.terms.some((t) => t.term === term && t.billing === billing)) {
      const how = sold.terms.length === 0 ? 'is not sold to this customer (no availability)' : `is sold only as ${[...new Set(sold.terms.map((t) => `${t.term} ${t.billing}`))].join(', ')}`;
      block('renewal-not-schedulable', `renewal offer ${offerId} ${how}; Partner Center would refuse to renew ${where} into it as ${term} ${billing}`, 'choose a product, term and billing the customer can buy (see the product in Partner Center)');
      return undefined;
    }
    if (sold?.title && offerName === offerId) offerName = sold.title;
  }
  let quantity = current.quantity;
  let holders: number | undefined;
  if (r.quantity === 'assigned') {
    const sku = skuOf(ctx, h.skuId);
    if (h.skuId === undefined || sku === undefined) {
      block('renewal-not-schedulable', `renewal quantity: assigned needs the users who hold "${h.name}", but its licence SKU or consumed units are unknown at ${ctx.who}`, `set skuId under subscriptions.${h.handle}, or give renewal quantity as a number`);
      return undefined;
    }
    holders = sku.consumedUnits;
    quantity = Math.max(1, holders + ctx.partner.seatHeadroom);
  } else if (typeof r.quantity === 'number') quantity = r.quantity;
  const desired: TermShape = { offerId, quantity, term, billing };
  const scheduled = sub.nextTerm;
  const renewsAs = scheduled ?? current;
  if (sameShape(renewsAs, desired)) return undefined;
  const holdersNow = skuOf(ctx, h.skuId)?.consumedUnits;
  if (holdersNow !== undefined && desired.quantity < holdersNow) {
    ctx.findings.warn('renewal-below-holders', `${h.handle}: the next term of ${where} has ${desired.quantity} seat(s), but ${holdersNow} user(s) hold its licence now; remove licences before ${renewsOn.slice(0, 10)} or they will be short of seats`, { source: r.source });
  }
  const seats = current.quantity === desired.quantity ? `${desired.quantity} seat(s)` : `${current.quantity} → ${desired.quantity} seat(s)`;
  const reshape = [
    ...(desired.offerId !== current.offerId ? [`renews into "${offerName}" (${desired.offerId})`] : []),
    ...(desired.term !== current.term ? [`term ${current.term} → ${desired.term}`] : []),
    ...(desired.billing !== current.billing ? [`billing ${current.billing} → ${desired.billing}`] : []),
  ];
  const already = scheduled ? ` Replaces what is scheduled now (${shapeText(scheduled)}).` : '';
  return {
    kind: 'schedule-renewal',
    id: `${ctx.live.id}/schedule-renewal/${h.handle}`,
    customerId: ctx.live.id,
    dependsOn: [],
    reason: 'renewal-differs',
    reasonText: `renewal: in the desired state; at renewal on ${renewsOn.slice(0, 10)}: ${[seats, ...reshape].join(', ')}${r.quantity === 'assigned' ? ` (${holders} user(s) hold it + headroom ${ctx.partner.seatHeadroom})` : ''}. Nothing changes before then.${already}`,
    irreversible: false,
    handle: h.handle,
    subscriptionId: sub.id,
    offerName: sub.offerName,
    ...(h.skuId ? { skuId: h.skuId } : {}),
    renewsOn,
    observed: { ...current, ...(scheduled ? { scheduled } : {}), ...(holders !== undefined ? { holders } : {}) },
    desired: { ...desired, offerName },
  };
}

/**
 * After a renewal into another product, Microsoft does not move the users: they still hold the old SKU, which no
 * subscription grants any more. For a handle whose subscription now is the `renewal: offer`, every holder of such a
 * SKU (consumed, granted by no live subscription) is moved onto the renewed SKU as an ordinary licence change —
 * assign the new one and remove the old one in one call, so nobody is unlicensed. Users the file already gives
 * another licence keep that target.
 */
export function renewedMoves(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>, targets: Map<string, Target>, removals: Map<string, Removal>): void {
  const granted = new Set(ctx.live.subscriptions.filter((s) => s.status !== 'deleted' && s.skuId).map((s) => s.skuId!));
  const orphans = ctx.live.skus.filter((k) => k.consumedUnits > 0 && !granted.has(k.skuId)).map((k) => k.skuId);
  if (orphans.length === 0) return;
  for (const h of handles.values()) {
    const r = h.sub.renewal;
    if (!r?.offer || h.retiring || h.skuId === undefined) continue;
    const renewed = h.matched.filter((m) => m.status === 'active');
    const offer = resolveOfferRef(r.offer, ctx.catalog, ctx.offers);
    if (renewed.length !== 1 || !offer || productSku(renewed[0]!.offerId) !== productSku(offer.offerId)) continue;
    for (const user of ctx.live.users) {
      const old = heldSkus(user).filter((s) => orphans.includes(s) && s !== h.skuId);
      if (old.length === 0) continue;
      const known = targets.get(user.upn);
      if (!known) targets.set(user.upn, { user, handle: h, skuId: h.skuId, assign: !heldSkus(user).includes(h.skuId) });
      const had = removals.get(user.upn);
      removals.set(user.upn, { user, skuIds: [...new Set([...(had?.skuIds ?? []), ...old])], pruned: had?.pruned ?? false });
    }
  }
}
