import { BUILTIN_REPLACEMENTS, BUILTIN_RETIRED } from './builtin.js';
import { nameKey, offerIdKey, skuKey } from './names.js';
import type { CatalogAdditions, ReplacementAddition, RetiredOfferAddition } from '../desired/types.js';
import type { Catalog, ReplacementOffer, RetiredOffer } from './types.js';

/**
 * The built-in catalogue plus the partner's additions from `pcsync.yaml`. An addition with the offer id of a
 * known replacement (or the name of a known retired offer) completes that entry (its SKU, its replacements)
 * instead of adding a second one.
 */
export function buildCatalog(additions: CatalogAdditions): Catalog {
  const replacements = additions.replacements.reduce(addReplacement, [...BUILTIN_REPLACEMENTS]);
  const retired = additions.retired.reduce((list, r) => addRetired(list, r, replacements), [...BUILTIN_RETIRED]);
  return { retired, replacements };
}

function addReplacement(list: ReplacementOffer[], add: ReplacementAddition): ReplacementOffer[] {
  const i = list.findIndex((r) => offerIdKey(r.offerId) === offerIdKey(add.offerId));
  const skuId = skuKey(add.skuId);
  if (i < 0) {
    list.push({ key: keyOf(add.name, list), name: add.name, offerId: offerIdKey(add.offerId), ...(skuId ? { skuId } : {}) });
    return list;
  }
  const known = list[i]!;
  const aliases = nameKey(add.name) === nameKey(known.name) ? known.aliases : [...(known.aliases ?? []), add.name];
  list[i] = { ...known, ...(skuId ? { skuId } : {}), ...(aliases ? { aliases } : {}) };
  return list;
}

function addRetired(list: RetiredOffer[], add: RetiredOfferAddition, replacements: readonly ReplacementOffer[]): RetiredOffer[] {
  const keys = add.replacements.map((ref) => replacementKey(ref, replacements)).filter((k): k is string => k !== undefined);
  const skuId = skuKey(add.skuId);
  const i = list.findIndex((r) => nameKey(r.name) === nameKey(add.offerName));
  if (i < 0) {
    list.push({ name: add.offerName, family: 'custom', variant: 'custom', priceGroup: 'custom', replacements: keys, ...(skuId ? { skuId } : {}) });
    return list;
  }
  const known = list[i]!;
  list[i] = { ...known, ...(skuId ? { skuId } : {}), ...(keys.length > 0 ? { replacements: keys } : {}) };
  return list;
}

/** Key of the replacement a partner's reference (key, name, alias or offer id) points at; undefined when none. */
function replacementKey(ref: string, replacements: readonly ReplacementOffer[]): string | undefined {
  const name = nameKey(ref);
  const id = offerIdKey(ref);
  return replacements.find((r) => r.key === name || offerIdKey(r.offerId) === id || replacementNames(r).includes(name))?.key;
}

/** Every name a replacement answers to, as comparison keys. */
export function replacementNames(r: ReplacementOffer): string[] {
  return [r.name, ...(r.aliases ?? [])].map(nameKey);
}

function keyOf(name: string, taken: readonly ReplacementOffer[]): string {
  const base = nameKey(name).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'offer';
  let key = base;
  for (let n = 2; taken.some((r) => r.key === key); n++) key = `${base}-${n}`;
  return key;
}
