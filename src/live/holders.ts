import pLimit from 'p-limit';
import type { ReadScope } from '../catalog/index.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { LiveSku, LiveUser } from './types.js';

/** Licence reads of one customer running at once. */
const LICENCE_READ_CONCURRENCY = 4;

/**
 * Reads licences only where the plan needs them: first every listed user, then other users in directory
 * order until, for each SKU whose holders matter, the holders found equal its consumed units. In the usual
 * case (the YAML lists, or `from:` takes, exactly the holders) that is one read per user who moves.
 */
export async function readHolders(
  client: PartnerCenterClient,
  customerId: string,
  users: LiveUser[],
  scope: ReadScope,
  skus: readonly LiveSku[],
): Promise<{ users: LiveUser[]; complete: boolean }> {
  const limit = pLimit(LICENCE_READ_CONCURRENCY);
  const licences = new Map<string, string[]>();
  const readOne = async (u: LiveUser) => {
    const items = await client.getUserLicenses(customerId, u.id);
    licences.set(u.id, items.map((l) => l.productSku?.id?.toLowerCase()).filter((id): id is string => !!id).sort());
  };

  const listed = new Set(scope.listedUpns.map((u) => u.toLowerCase()));
  await Promise.all(users.filter((u) => listed.has(u.upn)).map((u) => limit(() => readOne(u))));

  const wanted = new Map(scope.holderSkuIds.map((id) => [id.toLowerCase(), skus.find((s) => s.skuId === id.toLowerCase())?.consumedUnits ?? 0]));
  const missing = () => [...wanted].some(([sku, consumed]) => holdersOf(sku) < consumed);
  const holdersOf = (sku: string) => [...licences.values()].filter((l) => l.includes(sku)).length;

  // Scan the rest in batches no larger than the holders still missing, so the reads stop at the last holder
  // instead of overshooting into users who hold nothing relevant.
  const rest = users.filter((u) => !licences.has(u.id));
  const stillMissing = () => Math.max(0, ...[...wanted].map(([sku, consumed]) => consumed - holdersOf(sku)));
  for (let i = 0; i < rest.length && missing(); ) {
    const batch = rest.slice(i, i + Math.max(1, Math.min(LICENCE_READ_CONCURRENCY, stillMissing())));
    await Promise.all(batch.map((u) => readOne(u)));
    i += batch.length;
  }

  const withLicences = users.map((u) => (licences.has(u.id) ? { ...u, licenses: licences.get(u.id) } : u));
  return { users: withLicences, complete: !missing() };
}
