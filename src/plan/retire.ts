import { skuOf, type CustomerContext, type Handle } from './context.js';
import type { RetireIntent } from '../desired/types.js';
import type { LiveSubscription } from '../live/types.js';
import { warnCancelDeadline } from './cancel-deadline.js';
import type { CancelAction, ReassignAction, RetireAction, Retirement } from './types.js';

/** Partner Center de-provisions a suspended legacy subscription after this many days. */
const DEPROVISION_DAYS = 120;

/**
 * Step 7: retire each retiring subscription that is still active, after every licence move off its SKU, the way
 * that stops paying for its kind (see `Retirement`): one action of that kind. Irreversible in effect, so a policy
 * may forbid it (a blocker, not a silent skip). A new-commerce subscription is never suspended: suspending it
 * keeps billing. A cancel carries the end-at-term it falls back to if its window closes before it runs.
 */
export function planRetirements(ctx: CustomerContext, handles: ReadonlyMap<string, Handle>, reassigns: readonly ReassignAction[]): RetireAction[] {
  const actions: RetireAction[] = [];
  for (const h of handles.values()) {
    if (!h.retiring) continue;
    const live = h.matched.filter((m) => m.status === 'active' && !retiredAlready(m, h.sub.status as RetireIntent, ctx.now));
    if (live.length > 0 && !ctx.partner.policy.allowSuspend) {
      ctx.findings.block('suspend-not-allowed', `${h.handle}: "${h.name}" at ${ctx.who} is to be retired, but policy.allowSuspend is false`, {
        hint: 'set policy.allowSuspend: true in pcsync.yaml, or retire it by hand',
        source: h.sub.fieldSources?.status ?? h.sub.source,
      });
      continue;
    }
    const moves = reassigns.filter((r) => h.skuId !== undefined && r.removeSkuIds.includes(h.skuId)).map((r) => r.id);
    for (const sub of live) {
      const retirement = chooseRetirement(ctx, h, sub);
      if (!retirement) continue;
      const subject = live.length === 1 ? h.handle : `${h.handle}/${sub.id}`;
      const base = {
        id: `${ctx.live.id}/${retirement}/${subject}`,
        customerId: ctx.live.id,
        dependsOn: moves,
        reason: 'retiring-subscription' as const,
        reasonText: `${h.handle} is set to status: ${h.sub.status}; runs after ${moves.length} user(s) are moved off it. ${consequence(retirement, sub)}`,
        irreversible: true,
        handle: h.handle,
        subscriptionId: sub.id,
        offerName: sub.offerName,
        ...(h.skuId ? { skuId: h.skuId } : {}),
        observed: { status: sub.status, consumedUnits: skuOf(ctx, h.skuId)?.consumedUnits ?? 0, ...(sub.autoRenewEnabled !== undefined ? { autoRenewEnabled: sub.autoRenewEnabled } : {}) },
      };
      const endAtTerm = { paidSeats: sub.quantity, ...(sub.commitmentEndDate ? { paidUntil: sub.commitmentEndDate } : {}) };
      if (retirement === 'suspend') actions.push({ ...base, kind: 'suspend', desired: { status: 'suspended' } });
      else if (retirement === 'end-at-term') actions.push({ ...base, kind: 'end-at-term', ...endAtTerm, desired: { autoRenewEnabled: false, cancelAtTermEnd: true } });
      else {
        const cancel: CancelAction = { ...base, kind: 'cancel', cancellableUntil: sub.cancellationAllowedUntilDate!, desired: { status: 'deleted' }, fallback: { kind: 'end-at-term', ...endAtTerm } };
        warnCancelDeadline(ctx, cancel, reassigns);
        actions.push(cancel);
      }
    }
  }
  return actions;
}

/** A new-commerce subscription already set to end at its term end needs nothing more for `ends-at-term`/`retired`. */
function retiredAlready(sub: LiveSubscription, intent: RetireIntent, now: string): boolean {
  const ending = sub.commerce === 'new' && sub.autoRenewEnabled === false && sub.cancelAtTermEnd === true;
  return ending && (intent === 'ends-at-term' || (intent === 'retired' && !inWindow(sub, now)));
}

function inWindow(sub: LiveSubscription, now: string): boolean {
  return sub.cancellationAllowedUntilDate !== undefined && Date.parse(now) <= Date.parse(sub.cancellationAllowedUntilDate);
}

/** The intent in the YAML and the subscription's kind and dates → how to retire it, or a blocker that says why not. */
function chooseRetirement(ctx: CustomerContext, h: Handle, sub: LiveSubscription): Retirement | undefined {
  const intent = h.sub.status as RetireIntent;
  const where = `${h.handle}: subscription ${sub.id} ("${sub.offerName}") at ${ctx.who}`;
  if (sub.commerce !== 'new') {
    if (intent === 'suspended' || intent === 'retired') return 'suspend';
    ctx.findings.block('retirement-not-for-legacy', `${where} is a legacy subscription: status: ${intent} applies only to new-commerce subscriptions`, {
      hint: 'legacy subscriptions are retired with status: suspended (de-provisioned after 120 days at no further charge)',
      source: h.sub.fieldSources?.status ?? h.sub.source,
    });
    return undefined;
  }
  const open = inWindow(sub, ctx.now);
  const until = sub.cancellationAllowedUntilDate ?? 'unknown';
  if (intent === 'suspended') {
    ctx.findings.block('suspend-keeps-billing', `${where} is a new-commerce subscription: suspending it does not stop billing — the customer would keep paying for ${sub.quantity} seat(s) nobody can use`, {
      hint: open
        ? `write status: cancelled (possible until ${until}) or status: retired to let pcsync choose`
        : `its cancellation window ended ${until}: write status: ends-at-term (paid until ${sub.commitmentEndDate ?? 'the term end'}) or status: retired`,
      source: h.sub.fieldSources?.status ?? h.sub.source,
    });
    return undefined;
  }
  if (intent === 'cancelled' && !open) {
    ctx.findings.block('cancellation-window-passed', `${where} can no longer be cancelled: its cancellation window ended ${until}`, {
      hint: `write status: ends-at-term: auto-renew off, cancelled at term end; the customer pays for ${sub.quantity} seat(s) until ${sub.commitmentEndDate ?? 'the term end'}`,
      source: h.sub.fieldSources?.status ?? h.sub.source,
    });
    return undefined;
  }
  const retirement: Retirement = intent === 'cancelled' || (intent === 'retired' && open) ? 'cancel' : 'end-at-term';
  if (retirement === 'end-at-term') {
    ctx.findings.warn('paid-until-term-end', `${where}: the customer keeps paying for ${sub.quantity} seat(s) until ${sub.commitmentEndDate ?? 'the term end'} (new-commerce seats cannot be reduced mid-term)`, {
      source: h.sub.fieldSources?.status ?? h.sub.source,
    });
  }
  return retirement;
}

function consequence(retirement: Retirement, sub: LiveSubscription): string {
  if (retirement === 'suspend') return `Partner Center de-provisions it ${DEPROVISION_DAYS} days later, at no further charge.`;
  if (retirement === 'cancel') {
    return `Cancelled inside its cancellation window (until ${sub.cancellationAllowedUntilDate}); billing stops now. If the window has closed by then: auto-renew off and cancelled at term end instead, ${sub.quantity} seat(s) paid until ${sub.commitmentEndDate ?? 'the term end'}.`;
  }
  return `Auto-renew off and cancelled at term end: ${sub.quantity} seat(s) are paid until ${sub.commitmentEndDate ?? 'the term end'}, then it ends.`;
}
