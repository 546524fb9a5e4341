import pLimit from 'p-limit';
import type { ReadScope } from '../catalog/index.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import { toPlans, toSkus } from './sku.js';
import type { WireLicense } from '../partner-center/wire.js';
import type { HolderCheck, LivePlan, LiveSku, LiveUser } from './types.js';

/** Licence reads of one customer running at once. */
const LICENCE_READ_CONCURRENCY = 4;

/** Re-reads of subscribed SKUs when the consumed units and the holders found disagree: the waits before each. */
export interface Recheck {
  readonly waitsMs: readonly number[];
  readonly sleep: (ms: number) => Promise<void>;
}

export interface HolderRead {
  readonly users: LiveUser[];
  /** The subscribed SKUs, re-read when a re-check ran. */
  readonly skus: LiveSku[];
  /** True when every holder of each relevant SKU was found and its consumed units were reported. */
  readonly complete: boolean;
  readonly checks: HolderCheck[];
}

/**
 * Reads licences only where the plan needs them: first every listed user, then other users in directory
 * order until, for each SKU whose holders matter, the holders found equal its consumed units. In the usual
 * case (the YAML lists, or `from:` takes, exactly the holders) that is one read per user who moves.
 *
 * A SKU that a live subscription grants but subscribedskus does not list has unknown consumed units, never 0.
 * When the holders found stay below the consumed units after every user was read (a count lagging behind a
 * recent change, a deleted user still holding a licence), subscribed SKUs are read again after each of
 * `recheck.waitsMs` before the result counts as incomplete.
 */
export async function readHolders(
  client: PartnerCenterClient,
  customerId: string,
  users: LiveUser[],
  scope: ReadScope,
  read: { skus: LiveSku[]; granted: ReadonlySet<string>; recheck?: Recheck },
): Promise<HolderRead> {
  const limit = pLimit(LICENCE_READ_CONCURRENCY);
  const licences = new Map<string, string[]>();
  const disabled = new Map<string, Record<string, LivePlan[]>>();
  const readOne = async (u: LiveUser) => {
    const items = await client.getUserLicenses(customerId, u.id);
    licences.set(u.id, items.map((l) => l.productSku?.id?.toLowerCase()).filter((id): id is string => !!id).sort());
    const off = disabledPlans(items);
    if (Object.keys(off).length > 0) disabled.set(u.id, off);
  };

  const listed = new Set(scope.listedUpns.map((u) => u.toLowerCase()));
  await Promise.all(users.filter((u) => listed.has(u.upn)).map((u) => limit(() => readOne(u))));

  let skus = read.skus;
  const ids = scope.holderSkuIds.map((id) => id.toLowerCase());
  /** Consumed units per SKU; undefined = not reported although a subscription grants it (unknown). */
  const consumedOf = (sku: string): number | undefined => skus.find((s) => s.skuId === sku)?.consumedUnits ?? (read.granted.has(sku) ? undefined : 0);
  const holdersOf = (sku: string) => [...licences.values()].filter((l) => l.includes(sku)).length;
  const short = (sku: string) => {
    const consumed = consumedOf(sku);
    return consumed === undefined || holdersOf(sku) < consumed;
  };
  // Scan the rest in batches no larger than the holders still missing, so the reads stop at the last holder
  // instead of overshooting into users who hold nothing relevant. An unreported SKU is not scanned for: no
  // count of users read could show that every holder was found.
  const rest = users.filter((u) => !licences.has(u.id));
  const stillMissing = () => Math.max(0, ...ids.map((sku) => (consumedOf(sku) ?? 0) - holdersOf(sku)));
  for (let i = 0; i < rest.length && stillMissing() > 0; ) {
    const batch = rest.slice(i, i + Math.max(1, Math.min(LICENCE_READ_CONCURRENCY, stillMissing())));
    await Promise.all(batch.map((u) => readOne(u)));
    i += batch.length;
  }

  for (const wait of read.recheck?.waitsMs ?? []) {
    if (!ids.some(short)) break;
    await read.recheck!.sleep(wait);
    skus = await rereadSkus(client, customerId);
  }

  const checks = ids.map((skuId) => {
    const consumed = consumedOf(skuId);
    return { skuId, ...(consumed !== undefined && { consumedUnits: consumed }), holdersFound: holdersOf(skuId), usersRead: licences.size, users: users.length };
  });
  const withLicences = users.map((u) => (licences.has(u.id) ? { ...u, licenses: licences.get(u.id), ...(disabled.has(u.id) && { disabledPlans: disabled.get(u.id) }) } : u));
  return { users: withLicences, skus, complete: !ids.some(short), checks };
}

/**
 * Per SKU, the service plans an admin switched off for this user: `capabilityStatus` Disabled in the user's
 * licences (learn license-resources ServicePlan; partner-center-2026-12.md §5), sorted by SKU.
 */
function disabledPlans(items: readonly WireLicense[]): Record<string, LivePlan[]> {
  const out: Record<string, LivePlan[]> = {};
  for (const l of items) {
    const sku = l.productSku?.id?.toLowerCase();
    const off = toPlans((l.servicePlans ?? []).filter((p) => String(p.capabilityStatus ?? '').toLowerCase() === 'disabled'));
    if (sku && off.length > 0) out[sku] = off;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function rereadSkus(client: PartnerCenterClient, customerId: string): Promise<LiveSku[]> {
  return toSkus(await client.listSubscribedSkus(customerId));
}
