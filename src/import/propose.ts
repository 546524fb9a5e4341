import { compareText, findRetired, offerIdKey, priceGroupOfName, priceVariant, resolveOfferRef } from '../catalog/index.js';
import { daysBetween } from '../report/build.js';
import { MIGRATED_STATUSES } from '../report/read.js';
import type { Catalog, PriceGroup, RetiredOffer } from '../catalog/types.js';
import type { LiveCustomer, LiveOffer, LiveSubscription } from '../live/types.js';

/** A replacement subscription the import proposes (bought by `offer:`). */
export interface ProposedReplacement {
  readonly handle: string;
  /** Catalogue name of the offer (what the YAML says). */
  readonly name: string;
  /** Offer id in the live catalogue, when it is there and purchasable. */
  readonly offerId?: string;
  /** Other replacements the catalogue suggests for the same retired offers. */
  readonly alternatives: readonly string[];
  /**
   * Set when the offer is in another price group than the retired subscription (e.g. commercial for Government
   * Pricing) because the live catalogue sells no variant in the retired one's group: said in the file and on stderr.
   */
  readonly priceGroupChanged?: { readonly from: PriceGroup; readonly to: PriceGroup };
}

/** A retired subscription the import proposes to migrate and suspend. */
export interface ProposedRetirement {
  readonly handle: string;
  readonly sub: LiveSubscription;
  readonly retired: RetiredOffer;
  /** Match by subscription id as well as by name: the name alone would also match another subscription. */
  readonly matchById: boolean;
  /** Handle of the replacement its holders move to. */
  readonly replacement: string;
  readonly daysLeft?: number;
  /** Holders now (lower-case UPNs, sorted) and those without a usage location; filled after the live read. */
  readonly holders: readonly string[];
  readonly withoutUsageLocation: readonly string[];
  /**
   * Holders who also hold an earlier retirement's licence and move with that one (a plan gives a user one new
   * licence; their move removes every retiring licence they hold in the same call). When any, the licence
   * entry lists the other holders by name instead of `from:`.
   */
  readonly movedWith: readonly { readonly upn: string; readonly handle: string }[];
  /**
   * Active subscriptions that are not retired and grant the same licence SKU: holders cannot be attributed, so
   * `from:` would also move their users; the plan blocks it (`sku-shared`). Said in the file and on stderr.
   */
  readonly sharedWith?: readonly LiveSubscription[];
}

/** What `pcsync import` writes for one customer. Plain data; the YAML is a pure rendering of it. */
export interface ImportProposal {
  readonly customerId: string;
  readonly companyName?: string;
  readonly domain?: string;
  /** When it was read (ISO). */
  readonly asOf: string;
  readonly country: string;
  readonly replacements: readonly ProposedReplacement[];
  readonly retirements: readonly ProposedRetirement[];
  /** Retired subscriptions already suspended: mentioned, not touched. */
  readonly alreadyMigrated: readonly LiveSubscription[];
  /** Retired offers with no replacement in the catalogue (the import cannot propose a file then). */
  readonly withoutReplacement: readonly string[];
}

const FAMILY_SHORT: Record<string, string> = { 'sales-enterprise': 'sales', 'customer-engagement-plan': 'cep', custom: 'retired' };

/**
 * From one customer's live subscriptions: each retired one still in use is matched, suspended once empty,
 * and its holders move to the catalogue's first suggestion that the live catalogue sells.
 */
export function propose(
  customer: { id: string; companyName?: string; domain?: string },
  subscriptions: readonly LiveSubscription[],
  catalog: Catalog,
  offers: Readonly<Record<string, LiveOffer>>,
  now: Date,
  country: string,
): ImportProposal {
  const retiredSubs = subscriptions
    .map((sub) => ({ sub, retired: findRetired(catalog, sub.offerName) }))
    .filter((x): x is { sub: LiveSubscription; retired: RetiredOffer } => x.retired !== undefined && x.sub.status !== 'deleted')
    .sort((a, b) => familyRank(a.retired) - familyRank(b.retired) || compareText(a.sub.offerName, b.sub.offerName) || compareText(a.sub.id, b.sub.id));
  const open = retiredSubs.filter((x) => !MIGRATED_STATUSES.has(x.sub.status));
  const taken = new Set<string>();
  const unique = (base: string) => {
    let h = base.slice(0, 63).replace(/-+$/, '');
    for (let n = 2; taken.has(h); n++) h = `${base.slice(0, 60)}-${n}`;
    taken.add(h);
    return h;
  };
  const replacements = new Map<string, ProposedReplacement>();
  const withoutReplacement = open.filter((x) => !chooseReplacement(x.retired, catalog, offers)).map((x) => x.sub.offerName);
  const retirements = open.flatMap(({ sub, retired }) => {
    const choice = chooseReplacement(retired, catalog, offers);
    if (!choice) return [];
    const known = [...replacements.values()].find((r) => r.name === choice.name);
    const replacement = known ?? {
      handle: unique(choice.key),
      name: choice.name,
      offerId: choice.offerId,
      alternatives: choice.alternatives,
      ...(choice.priceGroupChanged && { priceGroupChanged: choice.priceGroupChanged }),
    };
    replacements.set(replacement.handle, replacement);
    const end = sub.commitmentEndDate ? new Date(sub.commitmentEndDate) : undefined;
    const sameName = retiredSubs.filter((x) => x.sub.offerName === sub.offerName).length > 1;
    const priceGroup = retired.priceGroup === 'commercial' ? '' : `-${retired.priceGroup}`;
    return {
      handle: unique(`legacy-${FAMILY_SHORT[retired.family] ?? 'retired'}-${retired.variant}${priceGroup}`),
      sub,
      retired,
      matchById: sameName,
      replacement: replacement.handle,
      ...(end && !Number.isNaN(end.getTime()) ? { daysLeft: daysBetween(now, end) } : {}),
      holders: [],
      withoutUsageLocation: [],
      movedWith: [],
    };
  });
  return {
    customerId: customer.id,
    companyName: customer.companyName,
    domain: customer.domain,
    asOf: now.toISOString(),
    country,
    replacements: [...replacements.values()],
    retirements,
    alreadyMigrated: retiredSubs.filter((x) => MIGRATED_STATUSES.has(x.sub.status)).map((x) => x.sub),
    withoutReplacement,
  };
}

function chooseReplacement(retired: RetiredOffer, catalog: Catalog, offers: Readonly<Record<string, LiveOffer>>) {
  const candidates = retired.replacements
    .map((key) => catalog.replacements.find((r) => r.key === key))
    .filter((r) => r !== undefined)
    .map((r) => ({ key: r.key, name: r.name, live: resolveOfferRef(r.key, catalog, offers) }));
  const pick = candidates.find((c) => c.live?.source === 'live' && c.live.purchasable) ?? candidates[0];
  if (!pick) return undefined;
  const sold = pick.live?.source === 'live' && pick.live.purchasable ? pick.live : undefined;
  const offerId = sold?.offerId;
  // The name the live catalogue sells it under, which is what plan resolves and buys: the catalogue's short name
  // ("Dynamics 365 Customer Engagement Plan") would make every plan of the file warn offer-name-differs.
  const name = sold?.name ?? pick.name;
  const alternatives = candidates.filter((c) => c !== pick).map((c) => c.name);
  // Keep the retired subscription's price group (Government, Faculty, Students) when the live catalogue sells it.
  const group = retired.priceGroup;
  const own = priceGroupOfName(pick.live?.name ?? pick.name);
  if (group !== 'custom' && group !== own) {
    const variant = priceVariant({ name: pick.live?.name ?? pick.name }, group, offers);
    if (variant) return { key: `${pick.key}-${group}`, name: variant.name, offerId: offerIdKey(variant.id), alternatives };
    return { key: pick.key, name, offerId, alternatives, priceGroupChanged: { from: group, to: own } };
  }
  return { key: pick.key, name, offerId, alternatives };
}

/** Customer Engagement Plan first: it covers the Sales apps too, so a user holding both moves with it. */
function familyRank(r: RetiredOffer): number {
  return r.family === 'customer-engagement-plan' ? 0 : 1;
}

/**
 * The proposal with each retirement's current holders, from a live read made with `desiredOf(proposal)`. Each
 * holder moves with the first retirement (in proposal order) whose licence they hold; replacements nobody
 * moves to are dropped (a retired subscription nobody holds is only suspended).
 */
export function withHolders(p: ImportProposal, live: LiveCustomer): ImportProposal {
  const claimed = new Map<string, string>();
  const retirements = p.retirements.map((r) => {
    const holders = live.users.filter((u) => r.sub.skuId !== undefined && u.licenses?.includes(r.sub.skuId));
    const upns = holders.map((u) => u.upn).sort(compareText);
    const movedWith = upns.filter((u) => claimed.has(u)).map((upn) => ({ upn, handle: claimed.get(upn)! }));
    const retiredIds = new Set(p.retirements.map((x) => x.sub.id));
    const sharedWith = live.subscriptions.filter((s) => r.sub.skuId !== undefined && s.skuId === r.sub.skuId && s.status === 'active' && !retiredIds.has(s.id));
    for (const u of upns) if (!claimed.has(u)) claimed.set(u, r.handle);
    return {
      ...r,
      holders: upns,
      withoutUsageLocation: holders.filter((u) => !u.usageLocation).map((u) => u.upn).sort(compareText),
      movedWith,
      ...(sharedWith.length > 0 && { sharedWith }),
    };
  });
  const used = new Set(retirements.filter((r) => r.holders.length > r.movedWith.length).map((r) => r.replacement));
  return {
    ...p,
    companyName: p.companyName ?? live.companyName,
    domain: p.domain ?? live.domain,
    replacements: p.replacements.filter((r) => used.has(r.handle)),
    retirements,
  };
}
