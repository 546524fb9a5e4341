import { readHolders } from '../live/holders.js';
import type { LiveUser } from '../live/types.js';
import type { RetireAction } from '../plan/types.js';
import type { ExecutorDeps } from './context.js';
import { firstCheckDelayMs } from './provisioning-times.js';

/** Re-reads of consumed units before a suspend gives up on a count above zero. */
const RECHECKS = 3;

/**
 * consumedUnits of the action's SKU as subscribedskus says now (undefined when the reply does not list the SKU),
 * and the seats of that SKU that other active subscriptions, which stay, keep granting (activeUnits beyond this
 * subscription's own seats): that many holders may stay without holding this subscription's seats.
 */
async function countsNow(a: RetireAction, deps: ExecutorDeps, ownSeats: number): Promise<{ consumed?: number; kept: number }> {
  const skus = await deps.client.listSubscribedSkus(a.customerId);
  const sku = skus.find((s) => s.productSku?.id?.toLowerCase() === a.skuId);
  const n: unknown = sku?.consumedUnits;
  const consumed = (typeof n === 'number' || typeof n === 'string') && String(n).trim() !== '' && Number.isFinite(Number(n)) ? Number(n) : undefined;
  const kept = typeof sku?.activeUnits === 'number' ? Math.max(0, sku.activeUnits - ownSeats) : 0;
  return { ...(consumed !== undefined ? { consumed } : {}), kept };
}

/**
 * The suspend guard: true when Partner Center counts nobody holding the SKU any more, else the reason not to
 * suspend. A count above zero right after the last licence move may only lag behind it, so it is read again
 * after short waits (pollMs, doubling, at most `RECHECKS` times; the first after the lag this run learned from
 * earlier customers, between their last count above zero and the first at zero) before giving up; an unlisted SKU is unknown,
 * never 0. Giving up says which numbers disagree and the likely cause, from the licences of the users.
 */
export async function nobodyHolds(a: RetireAction, deps: ExecutorDeps, ownSeats: number): Promise<true | string> {
  const clear = (c: { consumed?: number; kept: number }) => c.consumed !== undefined && c.consumed <= c.kept;
  const started = deps.now();
  let counts = await countsNow(a, deps, ownSeats);
  let notYetAt = started;
  let waited = 0;
  const learned = deps.waits?.consumedUnits;
  const first = firstCheckDelayMs({ estimateMs: learned?.estimateMs, pollMs: deps.pollMs, sinceMs: 0, leftMs: Number.POSITIVE_INFINITY, unlearnedMs: deps.pollMs });
  for (let i = 0; i < RECHECKS && !clear(counts); i++) {
    // the first re-read after the lag this run learned (at least pollMs), then pollMs doubling as before
    const wait = i === 0 ? first : Math.min(deps.pollMs * 2 ** i, deps.maxPollMs);
    await deps.sleep(wait);
    waited += wait;
    const readAt = deps.now();
    counts = await countsNow(a, deps, ownSeats);
    if (clear(counts)) learned?.observe({ notYetMs: notYetAt - started, readyMs: readAt - started });
    else if (counts.consumed !== undefined) notYetAt = readAt;
  }
  if (clear(counts)) return true;
  const { consumed, kept } = counts;
  const after = `after ${RECHECKS} re-reads over ${(waited / 1000).toFixed(1)}s${kept > 0 ? `; the subscriptions that stay grant ${kept} seat(s) of it` : ''}`;
  if (consumed === undefined) {
    return `not suspended: GET subscribedskus does not list its licence SKU ${a.skuId} or gives no consumed units for it (${after}), so pcsync cannot check that nobody still holds it; run apply again later`;
  }
  return `not suspended: ${await explain(a, deps, consumed, after)}`;
}

/** Which numbers disagree and why that is likely: holders found by their licences against the consumed units. */
async function explain(a: RetireAction, deps: ExecutorDeps, consumed: number, after: string): Promise<string> {
  const users: LiveUser[] = (await deps.client.listUsers(a.customerId)).map((u) => ({ id: u.id, upn: (u.userPrincipalName ?? u.id).toLowerCase() }));
  const sku = { skuId: a.skuId!, consumedUnits: consumed, totalUnits: 0, availableUnits: 0, activeUnits: 0, suspendedUnits: 0, warningUnits: 0 };
  const read = await readHolders(deps.client, a.customerId, users, { listedUpns: [], holderSkuIds: [a.skuId!] }, { skus: [sku], granted: new Set([a.skuId!]) });
  const holders = read.users.filter((u) => u.licenses?.includes(a.skuId!)).map((u) => u.upn).sort();
  const counted = `Partner Center still counts ${consumed} consumed unit(s) of its licence SKU ${a.skuId} ${after}`;
  if (holders.length >= consumed) {
    return `${counted}, and ${holders.length} user(s) hold it: ${holders.join(', ')} — not moved by this plan (someone else assigned it, or a group grants it); move them, then run apply again`;
  }
  const users_ = read.checks[0]?.usersRead ?? users.length;
  return (
    `${counted}, but the licences of ${users_} of ${users.length} user(s) show ${holders.length} holder(s)${holders.length > 0 ? ` (${holders.join(', ')})` : ''}: ` +
    `the ${consumed - holders.length} other unit(s) are likely held by a deleted user (remove the licence from them, or delete them for good, in the customer's admin centre) ` +
    `or the count still lags behind the licence moves (run apply again in a few minutes)`
  );
}
