import { ApiError, LICENCE_WRITE_ROLES, serviceWords } from '../partner-center/errors.js';
import { credentialFailure } from '../partner-center/auth-errors.js';
import { placeOrder } from './new-commerce.js';
import { pendingOrderLines } from '../live/orders.js';
import { sameProduct } from '../catalog/resolve.js';
import type { WireLicenseUpdate, WireOrder, WireSubscription } from '../partner-center/wire.js';
import type { AwaitProvisioningAction, PurchaseAction, ReassignAction } from '../plan/types.js';
import type { CustomerRunState, ExecutorDeps } from './context.js';
import { changeSubscription } from './subscription-change.js';
import { done, ok, terminal, transient, type ActionResult } from './action-result.js';
import { firstCheckDelayMs, followProbe } from './provisioning-times.js';
import { NOT_APPLIED } from './retire.js';
import { toPlans } from '../live/sku.js';
import { same } from '../plan/service-plans.js';

/**
 * Buys the replacement. A new order carries a fixed MS-RequestId and the action's tag in its friendlyName.
 * Before ordering the orders are looked at to learn whether it already happened — by this tag or one an earlier,
 * interrupted run used (journal) — and whether someone else's order of the same product is still pending; whenever
 * the outcome is unknown (timeout, dropped connection, 5xx), subscriptions and orders are listed again, and the
 * POST is never blindly retried. The orders list before ordering is one this run read no longer than
 * PCSYNC_FRESH_READ_MS ago (the re-plan's or the plan's, moments earlier), else it is read now; which lines are
 * still pending is told by the subscriptions this run listed for the customer (fresh-reads.ts: an order placed
 * since is pending either way).
 */
export async function purchase(a: PurchaseAction, deps: ExecutorDeps, run: CustomerRunState): Promise<ActionResult> {
  const { client } = deps;
  if (a.mode === 'increase') {
    const sub = await client.getSubscription(a.customerId, a.observed.subscriptionId!);
    run.subscriptionByPurchase.set(a.id, sub.id);
    if (Number(sub.quantity) >= a.quantity) return done(`quantity already ${sub.quantity}`);
    const change = await changeSubscription(deps, a.customerId, sub, { quantity: a.quantity }, (s) => Number(s.quantity) >= a.quantity, `quantity ${a.quantity}`);
    if (!change.shows) return change.ignored ? terminal(`quantity change to ${a.quantity} not done: ${change.why} — ${NOT_APPLIED}`) : transient(`quantity change to ${a.quantity} not confirmed: ${change.why}`);
    return ok(`quantity raised from ${sub.quantity} to ${change.subscription.quantity} (${change.how})`);
  }
  const tags = [a.friendlyName, ...(deps.prior?.purchaseTags(a.id) ?? []).filter((t) => t !== a.friendlyName)];
  run.purchaseTags.set(a.id, tags);
  run.purchaseOffer.set(a.id, a.offerId);
  const found = (subscriptionId: string, message: string, outcome: 'applied' | 'already-done'): ActionResult => {
    run.subscriptionByPurchase.set(a.id, subscriptionId);
    return { outcome, message, subscriptionId };
  };
  const [orders, listed] = await Promise.all([
    client.fresh.orders(a.customerId) ?? client.listOrders(a.customerId),
    client.fresh.subscriptionIds(a.customerId) ?? client.listSubscriptions(a.customerId).then((l) => new Set(l.map((s) => s.id.toLowerCase()))),
  ]);
  const subs = [...listed].map((id) => ({ id }));
  // An order line with this purchase's nickname whose subscription was since cancelled (pcsync undo, or by hand) is
  // not this purchase: buying again must not wait for a deleted subscription. One GET, only when a nickname matches.
  const tagged = taggedSubscription(tags, a.offerId, [], orders);
  const existing = tagged !== undefined && !(await subscriptionGone(deps, a.customerId, tagged)) ? tagged : undefined;
  if (existing) return found(existing, `subscription ${existing} from this purchase already exists (found by its nickname)`, 'already-done');
  // This purchase's order, pending and not naming its subscription yet (the documented `pending` status need not):
  // it is placed, so wait for it — the provisioning wait finds the subscription by the nickname. Ordering again
  // here would buy twice: the check below passes over lines carrying this purchase's nicknames.
  const pending = pendingOrderLines(orders, subs);
  const placed = pending.find((l) => l.subscriptionId === undefined && l.friendlyName !== undefined && tags.includes(l.friendlyName) && sameProduct(l.offerId, a.offerId));
  if (placed) return { outcome: 'already-done', message: `order ${placed.orderId} from this purchase is pending (found by its nickname); its subscription is not named yet` };
  const other = pending.find((l) => sameProduct(l.offerId, a.offerId) && !tags.includes(l.friendlyName ?? ''));
  if (other) {
    return terminal(`not ordered: order ${other.orderId} for "${a.offerName}" is not provisioned yet and was not placed by this plan; buying again would pay twice — run plan again once it is provisioned`);
  }
  try {
    const order = await placeOrder(a, client);
    run.orderedAt.set(a.id, deps.now());
    if (!order) {
      // A 2xx without a body: the order was taken but not shown; its line is found by the nickname tag.
      const listed = await findPurchased(a.customerId, tags, a.offerId, deps);
      if (listed) return found(listed, `ordered ${a.quantity} × ${a.offerName}; the reply had no body, the orders list shows subscription ${listed}`, 'applied');
      return transient('Partner Center accepted the order without showing it, and no order with its nickname is listed yet; the next apply re-lists first and reuses the same request id');
    }
    const subscriptionId = order.lineItems?.[0]?.subscriptionId;
    const message = `ordered ${a.quantity} × ${a.offerName} (order ${order.id})`;
    return subscriptionId ? found(subscriptionId, message, 'applied') : ok(message);
  } catch (err) {
    if (!(err instanceof ApiError) || err.failure !== 'ambiguous') throw err;
    const after = await findPurchased(a.customerId, tags, a.offerId, deps);
    if (after) return found(after, `order outcome was unknown (${err.description}); re-listing found subscription ${after}, so it is not ordered again`, 'applied');
    return transient(`order outcome unknown: ${err.userMessage}. No order with its nickname is listed yet, so it is not sent again now; the next apply re-lists first and reuses the same request id`);
  }
}

/**
 * The subscription a purchase made, found by a nickname tag: among the orders, which list a new order at once
 * (tag included) while its subscription is still being provisioned, and — after an unknown outcome — also among
 * the subscriptions. Before a first order the orders alone answer "was this bought already?" in one call.
 */
async function findPurchased(customerId: string, tags: readonly string[], offerId: string | undefined, deps: ExecutorDeps): Promise<string | undefined> {
  const [subs, orders] = await Promise.all([deps.client.listSubscriptions(customerId), deps.client.listOrders(customerId)]);
  return taggedSubscription(tags, offerId, subs, orders);
}

/** True when the subscription is cancelled or deleted; a 404 is a subscription still provisioning (not gone). */
async function subscriptionGone(deps: ExecutorDeps, customerId: string, subscriptionId: string): Promise<boolean> {
  try {
    const sub = await deps.client.getSubscription(customerId, subscriptionId);
    return ['deleted', 'cancelled'].includes(String(sub.status).toLowerCase());
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return false;
    throw err;
  }
}

/**
 * The subscription id carrying one of `tags` as nickname, among the subscriptions, then the orders' lines — of the
 * purchase's product only (`offerId`; undefined = any): an earlier run's tag for the same handle names another
 * offer's order when the desired offer changed since, and that order is not this purchase.
 */
function taggedSubscription(tags: readonly string[], offerId: string | undefined, subs: readonly WireSubscription[], orders: readonly WireOrder[]): string | undefined {
  const product = (o: string | undefined) => offerId === undefined || o === undefined || sameProduct(o, offerId);
  const tagged = (name: string | undefined, o: string | undefined) => name !== undefined && tags.includes(name) && product(o);
  const gone = (id: string) => subs.some((s) => s.id.toLowerCase() === id.toLowerCase() && ['deleted', 'cancelled'].includes(String(s.status).toLowerCase()));
  const sub = subs.find((s) => tagged(s.friendlyName, s.offerId) && !gone(s.id));
  if (sub) return sub.id;
  for (const order of orders) {
    if (String(order.status).toLowerCase() === 'cancelled') continue;
    const line = order.lineItems?.find((l) => tagged(l.friendlyName, l.offerId) && l.subscriptionId && !gone(l.subscriptionId));
    if (line?.subscriptionId) return line.subscriptionId;
  }
  return undefined;
}

/**
 * Polls until the new subscription answers as active and its SKU has enough free seats, with growing intervals
 * (doubling from `pollMs` up to `maxPollMs`, the last wait cut to the deadline) until the plan's time limit.
 * The first check of an order placed in this run comes once the provisioning time this run learned
 * (`LearnedWait`: between the last "not yet" and the first "ready" of earlier purchases) has passed since the
 * order reply — at least `pollMs`, at most the time limit; before anything was learned, and for orders found
 * rather than placed, at once — and while one purchase is finding that time out (the probe), the purchases placed
 * meanwhile wait for what it learns (at most `maxPollMs`) instead of each checking too (`followProbe`).
 * Each purchase placed in this run teaches its own bracket.
 * A new order's subscription may answer 404 (code 20000) for minutes; that, and transient failures that
 * outlived the transport's retries (throttling, 5xx), count as "not yet". Running out of time is a clear
 * `failed-transient` for this customer only: the order stands, and a later apply picks up where this stopped.
 */
export async function awaitProvisioning(a: AwaitProvisioningAction, deps: ExecutorDeps, run: CustomerRunState): Promise<ActionResult> {
  const subscriptionId = run.subscriptionByPurchase.get(a.purchaseActionId);
  const tags = run.purchaseTags.get(a.purchaseActionId) ?? [];
  if (!subscriptionId && tags.length === 0) return terminal('the purchase did not report a subscription id to wait for');
  const started = deps.now();
  const deadline = started + a.timeoutSeconds * 1000;
  const learned = deps.waits?.provisioning;
  const orderedAt = run.orderedAt.get(a.purchaseActionId);
  let probing: (() => void) | undefined;
  try {
    if (orderedAt !== undefined && learned) {
      // Nothing learned yet and another purchase is finding out: wait for what it learns rather than check too.
      const followed = learned.followable;
      await followProbe(learned, { capMs: Math.min(deps.maxPollMs, deadline - started), sliceMs: deps.pollMs / 4, sleep: deps.sleep, now: deps.now });
      if (learned.estimateMs === undefined) probing = learned.probe();
      const now = deps.now();
      // a purchase that followed the probe has waited already: the learned time alone, without the `pollMs` floor
      const delay = firstCheckDelayMs({ estimateMs: learned.estimateMs, pollMs: followed ? 0 : deps.pollMs, sinceMs: now - orderedAt, leftMs: deadline - now });
      if (delay > 0) await deps.sleep(delay);
    }
    return await checkUntilProvisioned(a, deps, run, { subscriptionId, tags, started, deadline, orderedAt });
  } finally {
    probing?.();
  }
}

/** The checks of `awaitProvisioning`: at once, then doubling from `pollMs`, until ready, refused or out of time. */
async function checkUntilProvisioned(
  a: AwaitProvisioningAction,
  deps: ExecutorDeps,
  run: CustomerRunState,
  o: { subscriptionId: string | undefined; tags: readonly string[]; started: number; deadline: number; orderedAt: number | undefined },
): Promise<ActionResult> {
  const { tags, started, deadline, orderedAt } = o;
  const learned = deps.waits?.provisioning;
  let subscriptionId = o.subscriptionId;
  let wait = deps.pollMs;
  let takenBefore = false;
  let notYetAt: number | undefined;
  for (let polls = 1; ; polls++) {
    // A pending order's reply need not name its subscription (documented order status `pending`): find it by its tag.
    subscriptionId ??= await findPurchased(a.customerId, tags, run.purchaseOffer.get(a.purchaseActionId), deps).catch((err: unknown) => {
      if (err instanceof ApiError && err.failure === 'transient') return undefined;
      throw err;
    });
    if (subscriptionId) run.subscriptionByPurchase.set(a.purchaseActionId, subscriptionId);
    const checkedAt = deps.now();
    const state = subscriptionId ? await provisioned(a, deps, subscriptionId) : { notYet: 'the order is pending and its subscription is not listed yet' };
    // "not yet" as of when the check was sent, "ready" as of its answer: the call may queue behind the rate limit
    // first, and a ready time taken before that would teach a time shorter than it is.
    if (state === true && orderedAt !== undefined) learned?.observe({ notYetMs: notYetAt === undefined ? undefined : notYetAt - orderedAt, readyMs: deps.now() - orderedAt });
    if (state === true) return ok(`subscription ${subscriptionId!} is active with enough seats (after ${polls} check(s), ${seconds(deps.now() - started)})`);
    if ('short' in state) {
      return terminal(`stopped waiting: ${state.short}. The order this purchase found by its nickname was placed by an earlier, interrupted run for fewer seats than this plan needs; no user was moved. Run plan again: it counts its seats and buys the rest`);
    }
    // Seats that are provisioned but in use will not come back by waiting; twice in a row rules out a passing lag.
    if ('taken' in state && takenBefore) {
      return terminal(`stopped waiting: ${state.taken}. Someone else (another apply, or an admin) assigned them since the plan; no user was moved. Run plan again: it counts the seats in use and buys what is missing`);
    }
    takenBefore = 'taken' in state;
    if ('notYet' in state) notYetAt = checkedAt; // a check Partner Center did not answer tells nothing
    const left = deadline - deps.now();
    if (left <= 0) {
      return transient(
        `gave up waiting after ${a.timeoutSeconds}s (the plan's limit; ${polls} check(s)): ${'taken' in state ? state.taken : 'notYet' in state ? state.notYet : state.unanswered}. ` +
          `The order stands; run apply again later to move the users — it will not buy a second time`,
      );
    }
    // A first check made at the learned estimate that came too early: the earlier purchases were all ready by
    // `readyByMs`, so the next check comes then rather than a whole `pollMs` later.
    const readyBy = polls === 1 && orderedAt !== undefined ? learned?.readyByMs : undefined;
    const soon = readyBy === undefined ? wait : Math.min(wait, Math.max(1, readyBy - (deps.now() - orderedAt!)));
    await deps.sleep(Math.min(soon, left));
    wait = Math.min(wait * 2, deps.maxPollMs);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * True when ready; otherwise, in words, what is still missing (`notYet`), that the check got no answer
 * (`unanswered`), or that the subscription is provisioned and its seats are counted, yet too few are free:
 * they are in use by someone else (`taken`), or the SKU has fewer seats in all than needed (`short`: the order an
 * earlier run placed for fewer seats).
 */
async function provisioned(a: AwaitProvisioningAction, deps: ExecutorDeps, subscriptionId: string): Promise<true | { notYet: string } | { unanswered: string } | { taken: string } | { short: string }> {
  try {
    // the list, not a GET of the one subscription: one documented-class call either way, and the suspend that
    // follows this customer's licence moves builds its PATCH body from it while it is fresh (retire.ts)
    const sub = (await deps.client.listSubscriptions(a.customerId)).find((s) => s.id.toLowerCase() === subscriptionId.toLowerCase());
    if (!sub) return { notYet: `subscription ${subscriptionId} not found yet (still provisioning)` };
    if (sub.status && sub.status.toLowerCase() !== 'active') return { notYet: `subscription ${subscriptionId} is ${sub.status}` };
    if (!a.skuId) return true;
    const skus = await deps.client.listSubscribedSkus(a.customerId);
    const sku = skus.find((s) => s.productSku?.id?.toLowerCase() === a.skuId);
    const available = Number(sku?.availableUnits);
    // Not listed, or no count: unknown, so not ready yet (never read as 0 or as enough).
    if (!sku || sku.availableUnits === undefined || sku.availableUnits === null || !Number.isFinite(available)) return { notYet: `subscribedskus does not report available seats of SKU ${a.skuId} yet` };
    if (available >= a.minAvailableUnits) return true;
    const total = Number(sku.totalUnits ?? 0);
    const bought = Number(sub.quantity ?? 0);
    if (bought > 0 && total >= bought && total < a.minAvailableUnits) {
      return { short: `subscription ${subscriptionId} is provisioned with ${bought} seat(s), ${total} of the SKU in all, and ${a.minAvailableUnits} are needed free` };
    }
    if (bought > 0 && total >= bought) {
      return { taken: `subscription ${subscriptionId} (${bought} seat(s)) is provisioned, but only ${available} of the ${a.minAvailableUnits} seat(s) needed are free: ${Number(sku.consumedUnits ?? 0)} of ${total} are in use` };
    }
    return { notYet: `${available} of ${a.minAvailableUnits} seat(s) available` };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { notYet: `subscription ${subscriptionId} not found yet (still provisioning)` };
    if (err instanceof ApiError && err.failure === 'transient') return { unanswered: `Partner Center did not answer the check (${err.kind})` };
    throw err;
  }
}

/**
 * One licenseupdates call: the new SKU and the removal of the old ones together, so the user is never unlicensed.
 * Partner Center applies it all or nothing; when the outcome is unknown, the user's licences are read back.
 */
export async function reassign(a: ReassignAction, deps: ExecutorDeps, requestId?: string): Promise<ActionResult> {
  const assign = a.assignSkuId ? [a.assignSkuId] : [];
  const off = a.assignSkuId && a.excludedPlans?.length ? await keptOff(a, a.assignSkuId, deps) : undefined;
  let reply: WireLicenseUpdate;
  try {
    reply = await deps.client.updateLicenses(a.customerId, a.userId, assign, [...a.removeSkuIds], requestId, off ? { [a.assignSkuId!]: off.ids } : {});
  } catch (err) {
    // The credential, not this user: the run stops once (customer.ts fromError), as at start.
    if (!(err instanceof ApiError) || credentialFailure(err)) throw err;
    if (err.kind === 'licence-from-group') {
      return {
        ...terminal(
          `${a.upn}: licence assigned through a group: change the group's licence. Partner Center refused to remove ${oldName(a)} from this user alone ` +
            `(the group keeps granting it); nothing changed for this user, who keeps access, and the old subscription is not suspended — ` +
            `a customer admin (or the partner through GDAP) must act${serviceWords(err)}`,
        ),
        placement: 'old',
        perUser: true,
      };
    }
    if (err.kind === 'role-lacks-rights') {
      // Every other move of this customer would be refused alike: stop it here, before any retirement or purchase.
      // The purchase went through, so Admin agents is not what is missing: a GDAP role that may assign licences is.
      return {
        ...terminal(
          `${a.upn}: licence writes are refused for this customer: ${err.method} ${err.path} (code ${err.code}) — the partner admin must act: ` +
            `give the partner user pcsync signs in as ${LICENCE_WRITE_ROLES} (License Administrator is enough) for this customer through GDAP: an active access assignment ` +
            `of that role to a security group the user is in (a role the relationship does not grant needs a new relationship the customer approves), then run apply again${serviceWords(err)}. ` +
            `The user keeps ${oldName(a)}; nothing else is done for this customer`,
        ),
        placement: 'old',
        licenceWritesRefused: true,
      };
    }
    if (err.kind === 'app-only-refused') {
      return { ...terminal(`${a.upn}: licence writes are refused for this customer: ${err.userMessage}. The user keeps ${oldName(a)}; nothing else is done for this customer`), placement: 'old' };
    }
    if (err.code === 60012) {
      return { ...terminal(`${a.upn}: no licences left on the new subscription (someone else may have taken seats); the user keeps ${oldName(a)}${serviceWords(err)}`), placement: 'old' };
    }
    if (err.failure === 'ambiguous') return readBack(a, deps, err);
    if (err.failure === 'terminal' && err.status === 400) {
      // Refused, e.g. removing a licence the user no longer holds: someone else may have made this very move.
      const held = await heldSkuIds(a, deps);
      if (inDesiredShape(a, held)) return { ...done(`${a.upn}: already holds ${a.assignName ?? 'the new licence'} without ${oldName(a)} (changed outside this apply)`), placement: 'new' };
      const has = (sku: string) => held.includes(sku.toLowerCase());
      if (a.removeSkuIds.length > 0 && !a.removeSkuIds.some(has)) {
        return { ...terminal(`${a.upn}: ${oldName(a)} was removed outside this apply, so the planned move does not fit any more; nothing was assigned — run plan again`), placement: 'unknown' };
      }
    }
    return { outcome: err.failure === 'terminal' ? 'failed-terminal' : 'failed-transient', message: `${a.upn}: ${err.userMessage}`, placement: 'old' };
  }
  const moved = `${a.upn}: ${a.assignSkuId ? 'new licence assigned' : 'kept licence'}${a.removeSkuIds.length ? ', old licence removed' : ''}${off?.said ?? ''}`;
  return { ...ok(`${moved}${warnings(reply)}`), placement: 'new' };
}

/**
 * The new SKU's ids of the service plans the plan keeps off for this user (`excludedPlans`), matched by id or
 * serviceName against the SKU's plans in subscribedskus now that it is provisioned (plan/service-plans.ts). When
 * subscribedskus lists no plans for it, the plan's ids are sent as they are (a service plan keeps its id across
 * SKUs). `said` is what the result line tells.
 */
async function keptOff(a: ReassignAction, skuId: string, deps: ExecutorDeps): Promise<{ ids: string[]; said: string }> {
  const wanted = a.excludedPlans ?? [];
  const sku = (await deps.client.listSubscribedSkus(a.customerId)).find((s) => s.productSku?.id?.toLowerCase() === skuId);
  const offered = toPlans(sku?.servicePlans ?? []);
  const name = (p: { id: string; displayName?: string; serviceName?: string }) => p.displayName ?? p.serviceName ?? p.id;
  if (offered.length === 0) return { ids: wanted.map((p) => p.id), said: `, kept off: ${wanted.map(name).join(', ')}` };
  const kept = wanted.filter((p) => offered.some((o) => same(o, p)));
  const ids = [...new Set(kept.flatMap((p) => offered.filter((o) => same(o, p)).map((o) => o.id)))];
  const lost = wanted.filter((p) => !kept.includes(p));
  return { ids, said: `${kept.length ? `, kept off: ${kept.map(name).join(', ')}` : ''}${lost.length ? `; the new licence has no ${lost.map(name).join(', ')} to keep off` : ''}` };
}

/**
 * `licenseWarnings` of a licence update (API reference §7): the update was made, but Partner Center says part of
 * it did not fully apply (e.g. a service plan). Shown with the action, as untrusted text: one line, bounded.
 */
function warnings(reply: WireLicenseUpdate | undefined): string {
  const list = reply?.licenseWarnings ?? [];
  if (list.length === 0) return '';
  const one = (w: NonNullable<WireLicenseUpdate['licenseWarnings']>[number]) => clean(`${w.code ?? 'warning'}: ${w.message ?? ''}`);
  return `; Partner Center warned: ${list.map(one).join('; ')} — check this user's licence in Partner Center`;
}

function clean(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

async function heldSkuIds(a: ReassignAction, deps: ExecutorDeps): Promise<string[]> {
  return (await deps.client.getUserLicenses(a.customerId, a.userId)).map((l) => l.productSku?.id?.toLowerCase() ?? '');
}

/** The user holds the assigned SKU (if any) and none of the removed ones. */
function inDesiredShape(a: ReassignAction, held: readonly string[]): boolean {
  const has = (sku: string) => held.includes(sku.toLowerCase());
  return (!a.assignSkuId || has(a.assignSkuId)) && !a.removeSkuIds.some(has);
}

async function readBack(a: ReassignAction, deps: ExecutorDeps, err: ApiError): Promise<ActionResult> {
  const held = await heldSkuIds(a, deps);
  const has = (sku: string) => held.includes(sku.toLowerCase());
  if (inDesiredShape(a, held)) {
    return { ...ok(`${a.upn}: outcome was unknown (${err.description}); reading the user's licences back shows the move happened`), placement: 'new' };
  }
  const unchanged = (!a.assignSkuId || !has(a.assignSkuId)) && a.removeSkuIds.every(has);
  return {
    ...transient(`${a.upn}: ${err.userMessage}. Read back: ${unchanged ? `the user still holds ${oldName(a)}` : 'the licences match neither before nor after the move'}; run apply again`),
    placement: unchanged ? 'old' : 'unknown',
  };
}

/** Display names of the licences a reassign removes. */
export function oldName(a: ReassignAction): string {
  return (a.removeNames?.length ? a.removeNames : a.removeSkuIds).join(', ') || 'the old licence';
}
