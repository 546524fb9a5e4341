import { usageOf } from './accounting.js';
import type { SubscriptionField } from './audit.js';
import { field, optionalBoolean, optionalInteger, optionalString, requireObject } from './body.js';
import { header, type SimContext } from './context.js';
import { Code, invalidInput, SimFault } from './faults.js';
import { checkQuantity } from './offers.js';
import { isoSeconds, type SimCustomer, type SimNextTerm, type SimSubscription, type SubscriptionStatus } from './model.js';
import { parseNextTerm, nextTermView } from './next-term.js';
import { etagOf } from './wire.js';

function suppliedEtag(ctx: SimContext, body: unknown): string | undefined {
  const fromBody = optionalString(field(body, 'attributes'), 'etag');
  if (fromBody !== undefined) return fromBody;
  const ifMatch = header(ctx, 'if-match');
  return ifMatch === undefined ? undefined : ifMatch.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

function parseStatus(raw: string | undefined): SubscriptionStatus | undefined {
  if (raw === undefined) return undefined;
  const s = raw.toLowerCase();
  if (s !== 'active' && s !== 'suspended' && s !== 'deleted') throw invalidInput(`status "${raw}" cannot be set here (use active, suspended or deleted).`);
  return s;
}

/** New commerce (API reference 2026-11 additions): cancel = status `deleted`, only inside the cancellation window. */
function checkCancel(ctx: SimContext, sub: SimSubscription): void {
  if (sub.cancellationAllowedUntilDate === null) {
    throw new SimFault(400, Code.statusNotUpdatable, `Subscription ${sub.id} is not a new-commerce subscription; it cannot be cancelled (suspend it instead).`);
  }
  if (ctx.state.now() > Date.parse(sub.cancellationAllowedUntilDate)) {
    throw new SimFault(400, Code.pastCancellationWindow, `Subscription ${sub.id} is past its cancellation window (${sub.cancellationAllowedUntilDate}).`);
  }
}

/** `scheduledActions: [{ scheduleType: TermEnd, actionType: Cancel }]` sets cancel-at-term-end; an empty list clears it. */
function parseCancelAtTermEnd(body: unknown): boolean | undefined {
  const actions = field(body, 'scheduledActions');
  if (actions === undefined || actions === null) return undefined;
  if (!Array.isArray(actions)) throw invalidInput('scheduledActions must be a list.');
  return actions.some((a) => String(field(a, 'scheduleType')).toLowerCase() === 'termend' && String(field(a, 'actionType')).toLowerCase() === 'cancel');
}

/**
 * Applies a partial or full Subscription body: status, quantity, friendlyName, autoRenewEnabled. Everything is
 * validated first, then applied as one change (one version bump) with one audit entry per changed field.
 * Returns true when something changed. With the `asyncPatch` option a change is only accepted now and applied
 * `delayMs` later (the route answers 202 + Location, API reference §5).
 */
export function patchSubscription(ctx: SimContext, c: SimCustomer, sub: SimSubscription): boolean {
  const body = requireObject(ctx.body, 'The request body');
  if (sub.status === 'deleted') throw new SimFault(400, Code.subscriptionDeleted, `Subscription ${sub.id} is deleted and cannot be updated.`);
  const etag = suppliedEtag(ctx, body);
  if (etag !== undefined && etag !== etagOf(sub.id, sub.version)) {
    throw new SimFault(400, Code.staleEtag, 'Etag is no longer valid.', [sub.id]);
  }
  // Fields answered 200 but left as they were (option `ignoredPatchFields`: microsoft/Partner-Center-PowerShell#115).
  const ignored = new Set((ctx.state.options.ignoredPatchFields ?? []).map((f) => f.toLowerCase()));
  const kept = <T>(name: string, value: T): T | undefined => (ignored.has(name.toLowerCase()) ? undefined : value);
  const status = kept('status', parseStatus(optionalString(body, 'status')));
  const quantity = kept('quantity', optionalInteger(body, 'quantity'));
  const friendlyName = optionalString(body, 'friendlyName');
  const autoRenewEnabled = kept('autoRenewEnabled', optionalBoolean(body, 'autoRenewEnabled'));
  const cancelAtTermEnd = kept('scheduledActions', parseCancelAtTermEnd(body));
  if (status === 'deleted') checkCancel(ctx, sub);
  // undefined: not sent (kept); null: cleared; otherwise the checked instructions (next-term.ts).
  const nextTerm: SimNextTerm | null | undefined = kept('scheduledNextTermInstructions', parseNextTerm(ctx, sub, body, autoRenewEnabled ?? sub.autoRenewEnabled));

  const changes: { field: SubscriptionField; before: unknown; after: unknown }[] = [];
  if (status !== undefined && status !== sub.status) changes.push({ field: 'status', before: sub.status, after: status });
  if (quantity !== undefined && quantity !== sub.quantity) {
    if (sub.status === 'suspended') {
      throw new SimFault(400, Code.subscriptionSuspended, `Subscription ${sub.id} is suspended; its quantity cannot change.`);
    }
    if (status === 'suspended') {
      throw new SimFault(400, Code.suspending, `Subscription ${sub.id} is being suspended; its quantity cannot change at the same time.`);
    }
    checkQuantity(ctx.state.offer(sub.offerId), quantity);
    changes.push({ field: 'quantity', before: sub.quantity, after: quantity });
  }
  if (friendlyName !== undefined && friendlyName !== sub.friendlyName) {
    changes.push({ field: 'friendlyName', before: sub.friendlyName, after: friendlyName });
  }
  if (autoRenewEnabled !== undefined && autoRenewEnabled !== sub.autoRenewEnabled) {
    changes.push({ field: 'autoRenewEnabled', before: sub.autoRenewEnabled, after: autoRenewEnabled });
  }
  if (cancelAtTermEnd !== undefined && cancelAtTermEnd !== sub.cancelAtTermEnd) {
    changes.push({ field: 'cancelAtTermEnd', before: sub.cancelAtTermEnd, after: cancelAtTermEnd });
  }
  // "Any mid-term (immediate) change deletes all scheduled changes" (learn create-scheduled-changes): a quantity
  // change drops them, unless the same body sets them again.
  const nextAfter = nextTerm !== undefined ? nextTerm : changes.some((ch) => ch.field === 'quantity') ? null : sub.nextTerm ?? null;
  if (JSON.stringify(nextAfter) !== JSON.stringify(sub.nextTerm ?? null)) {
    changes.push({ field: 'scheduledNextTermInstructions', before: nextTermView(sub.nextTerm), after: nextTermView(nextAfter ?? undefined) });
  }
  if (changes.length === 0) return false;

  const commit = () => {
    if (sub.status === 'deleted') return;
    const skuId = ctx.state.skuOf(sub);
    const { consumedUnits } = usageOf(ctx.state, c, skuId);
    if (status !== undefined) sub.status = status;
    if (quantity !== undefined) sub.quantity = quantity;
    if (friendlyName !== undefined) sub.friendlyName = friendlyName;
    if (autoRenewEnabled !== undefined) sub.autoRenewEnabled = autoRenewEnabled;
    if (cancelAtTermEnd !== undefined) sub.cancelAtTermEnd = cancelAtTermEnd;
    if (nextAfter === null) delete sub.nextTerm;
    else sub.nextTerm = nextAfter;
    // Legacy: suspended means no further charge; new commerce: only a cancel stops billing (suspended keeps billing).
    const stops = status === 'deleted' || (status === 'suspended' && sub.cancellationAllowedUntilDate === null);
    if (stops && sub.billingStoppedAt === null) sub.billingStoppedAt = isoSeconds(ctx.state.now());
    sub.version += 1;
    for (const ch of changes) {
      ctx.audit.record({ type: 'subscription-changed', customerId: c.id, subscriptionId: sub.id, skuId, consumedUnits, ...ch });
    }
  };
  const later = ctx.state.options.asyncPatch;
  if (later) setTimeout(commit, later.delayMs).unref();
  else commit();
  return true;
}
