import { ApiError } from '../partner-center/errors.js';
import type { AwaitProvisioningAction, PurchaseAction, ReassignAction, SuspendAction } from '../plan/types.js';
import type { CustomerRunState, ExecutorDeps } from './context.js';
import type { Outcome } from './outcomes.js';

/** What one action did, in words for the summary. */
export interface ActionResult {
  readonly outcome: Outcome;
  readonly message: string;
}

const ok = (message: string): ActionResult => ({ outcome: 'applied', message });
const done = (message: string): ActionResult => ({ outcome: 'already-done', message });
const transient = (message: string): ActionResult => ({ outcome: 'failed-transient', message });
const terminal = (message: string): ActionResult => ({ outcome: 'failed-terminal', message });

/**
 * Buys the replacement. A new order carries a fixed MS-RequestId and the action's tag in its friendlyName;
 * when the outcome is unknown (timeout, dropped connection, 5xx) the subscriptions are listed again to learn
 * whether it happened, and the POST is never blindly retried.
 */
export async function purchase(a: PurchaseAction, deps: ExecutorDeps, run: CustomerRunState): Promise<ActionResult> {
  const { client } = deps;
  if (a.mode === 'increase') {
    const sub = await client.getSubscription(a.customerId, a.observed.subscriptionId!);
    if (Number(sub.quantity) >= a.quantity) return done(`quantity already ${sub.quantity}`);
    await client.patchSubscription(a.customerId, sub.id, { quantity: a.quantity }, sub.attributes?.etag);
    run.subscriptionByPurchase.set(a.id, sub.id);
    return ok(`quantity raised from ${sub.quantity} to ${a.quantity}`);
  }
  const existing = await findPurchased(a, deps);
  if (existing) {
    run.subscriptionByPurchase.set(a.id, existing);
    return done(`subscription ${existing} from this purchase already exists`);
  }
  try {
    const order = await client.createOrder(
      a.customerId,
      {
        lineItems: [{ lineItemNumber: 0, offerId: a.offerId, quantity: a.quantity, friendlyName: a.friendlyName, ...(a.term ? { termDuration: a.term } : {}) }],
        ...(a.billing ? { billingCycle: a.billing } : {}),
      },
      a.requestId,
    );
    const subscriptionId = order.lineItems?.[0]?.subscriptionId;
    if (subscriptionId) run.subscriptionByPurchase.set(a.id, subscriptionId);
    return ok(`ordered ${a.quantity} × ${a.offerName} (order ${order.id})`);
  } catch (err) {
    if (err instanceof ApiError && err.failure === 'ambiguous') {
      const after = await findPurchased(a, deps);
      if (after) {
        run.subscriptionByPurchase.set(a.id, after);
        return ok(`order outcome was unknown (${err.description}); re-listing found subscription ${after}`);
      }
      return transient(`order outcome unknown (${err.description}) and not visible yet; run apply again — the same request id prevents a second purchase`);
    }
    throw err;
  }
}

/** The subscription a purchase made, found by the tag in its friendlyName. */
async function findPurchased(a: PurchaseAction, deps: ExecutorDeps): Promise<string | undefined> {
  const subs = await deps.client.listSubscriptions(a.customerId);
  return subs.find((s) => s.friendlyName === a.friendlyName && s.status !== 'deleted')?.id;
}

/**
 * Polls until the new subscription answers as active and its SKU has enough free seats, with growing intervals
 * (doubling from `pollMs` up to `maxPollMs`, the last wait cut to the deadline) until the plan's time limit.
 * A new order's subscription may answer 404 (code 20000) for minutes; that, and transient failures that
 * outlived the transport's retries (throttling, 5xx), count as "not yet". Running out of time is a clear
 * `failed-transient` for this customer only: the order stands, and a later apply picks up where this stopped.
 */
export async function awaitProvisioning(a: AwaitProvisioningAction, deps: ExecutorDeps, run: CustomerRunState): Promise<ActionResult> {
  const subscriptionId = run.subscriptionByPurchase.get(a.purchaseActionId);
  if (!subscriptionId) return terminal('the purchase did not report a subscription id to wait for');
  const started = deps.now();
  const deadline = started + a.timeoutSeconds * 1000;
  let wait = deps.pollMs;
  for (let polls = 1; ; polls++) {
    const state = await provisioned(a, deps, subscriptionId);
    if (state === true) return ok(`subscription ${subscriptionId} is active with enough seats (after ${polls} check(s), ${seconds(deps.now() - started)})`);
    const left = deadline - deps.now();
    if (left <= 0) {
      return transient(
        `gave up waiting after ${a.timeoutSeconds}s (the plan's limit; ${polls} check(s)): ${state}. ` +
          `The order stands; run apply again later to move the users — it will not buy a second time`,
      );
    }
    await deps.sleep(Math.min(wait, left));
    wait = Math.min(wait * 2, deps.maxPollMs);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** True when ready; otherwise what is still missing, in words. */
async function provisioned(a: AwaitProvisioningAction, deps: ExecutorDeps, subscriptionId: string): Promise<true | string> {
  try {
    const sub = await deps.client.getSubscription(a.customerId, subscriptionId);
    if (sub.status && sub.status.toLowerCase() !== 'active') return `subscription ${subscriptionId} is ${sub.status}`;
    if (!a.skuId) return true;
    const skus = await deps.client.listSubscribedSkus(a.customerId);
    const sku = skus.find((s) => s.productSku?.id?.toLowerCase() === a.skuId);
    const available = Number(sku?.availableUnits ?? 0);
    return available >= a.minAvailableUnits ? true : `${available} of ${a.minAvailableUnits} seat(s) available`;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return `subscription ${subscriptionId} not found yet (still provisioning)`;
    if (err instanceof ApiError && err.failure === 'transient') return `Partner Center did not answer the check (${err.kind})`;
    throw err;
  }
}

/** One licenseupdates call: the new SKU and the removal of the old ones together, so the user is never unlicensed. */
export async function reassign(a: ReassignAction, deps: ExecutorDeps): Promise<ActionResult> {
  const assign = a.assignSkuId ? [a.assignSkuId] : [];
  try {
    await deps.client.updateLicenses(a.customerId, a.userId, assign, [...a.removeSkuIds]);
  } catch (err) {
    if (err instanceof ApiError && err.code === 60012) {
      return terminal(`${a.upn}: no licences left on the new subscription; the user keeps the old licence`);
    }
    throw err;
  }
  return ok(`${a.upn}: ${a.assignSkuId ? 'new licence assigned' : 'kept licence'}${a.removeSkuIds.length ? ', old licence removed' : ''}`);
}

/** Suspends the old subscription, but only after re-reading that nobody consumes its SKU any more. */
export async function suspend(a: SuspendAction, deps: ExecutorDeps): Promise<ActionResult> {
  const { client } = deps;
  const sub = await client.getSubscription(a.customerId, a.subscriptionId);
  if (String(sub.status).toLowerCase() === 'suspended') return done('already suspended');
  if (a.skuId) {
    const skus = await client.listSubscribedSkus(a.customerId);
    const consumed = Number(skus.find((s) => s.productSku?.id?.toLowerCase() === a.skuId)?.consumedUnits ?? 0);
    if (consumed > 0) {
      return terminal(`not suspended: ${consumed} user(s) still hold its licence (the guard re-reads consumed units right before suspending)`);
    }
  }
  await client.patchSubscription(a.customerId, a.subscriptionId, { status: 'suspended' }, sub.attributes?.etag);
  return ok(`suspended ${a.offerName}`);
}
