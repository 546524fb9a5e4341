import { nameKey, offerIdKey } from '../catalog/names.js';
import { heldSkus, type CustomerContext, type Handle, type Target } from './context.js';
import type { PurchaseAction } from './types.js';

/** Price groups Microsoft sells the same product in; only buyers who qualify may hold the non-commercial ones. */
export type NamedPriceGroup = 'commercial' | 'government' | 'faculty' | 'students';

/**
 * The price group an offer's name says: `(Government Pricing)` / `GCC` → government, `for Students` → students,
 * `for Faculty` / `Education` → faculty, anything else commercial. Names are how Partner Center shows it for
 * the retired CRM Basic offers (see catalog/builtin.ts), so this works without the catalogue entry.
 */
export function priceGroupOfName(name: string): NamedPriceGroup {
  if (/\bgovernment\b|\bgcc\b/i.test(name)) return 'government';
  if (/\bstudents?\b/i.test(name)) return 'students';
  if (/\bfaculty\b|\beducation\b|\bacademic\b/i.test(name)) return 'faculty';
  return 'commercial';
}

const LABEL: Readonly<Record<NamedPriceGroup, string>> = {
  commercial: 'commercial',
  government: 'Government Pricing',
  faculty: 'Faculty (education)',
  students: 'Students (education)',
};

/**
 * Warning `price-group-changed`: a retiring subscription whose holders move to a replacement of another price
 * group (typically a Government Pricing subscription replaced by a commercial offer). It changes what is
 * bought and what it costs, so the reviewer sees it in the summary. Pure; one warning per pair.
 * (Issue 13's minimal detection; issue 10 adds keeping the price group when the catalogue has the variant.)
 */
export function warnPriceGroupChanged(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>, targets: ReadonlyMap<string, Target>): void {
  const seen = new Set<string>();
  for (const t of targets.values()) {
    if (!t.assign || t.handle.retiring) continue;
    for (const old of handles.values()) {
      if (!old.retiring || old.skuId === undefined || !heldSkus(t.user).includes(old.skuId)) continue;
      const key = `${old.handle}→${t.handle.handle}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const oldName = old.matched[0]?.offerName ?? old.name;
      const from = priceGroupOfName(oldName);
      const to = priceGroupOfName(t.handle.name);
      if (from === to) continue;
      ctx.findings.warn('price-group-changed', `${old.handle} at ${ctx.who} is ${LABEL[from]} ("${oldName}"), but its replacement ${t.handle.handle} is ${LABEL[to]} ("${t.handle.name}")`, {
        hint: `check that the customer should not get the ${LABEL[from]} variant of the replacement; the price and eligibility differ`,
        source: t.handle.sub.source,
      });
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
