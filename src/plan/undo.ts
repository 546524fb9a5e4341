import { compareText } from '../catalog/names.js';
import type { UndoLive } from '../live/undo.js';
import type { LiveSubscription } from '../live/types.js';
import type { Action, CancelAction, CustomerPlan, Plan, Problem, ReassignAction, UndoMove, UndoPurchase, UndoSource } from './types.js';

/**
 * `pcsync undo`: the plan that takes back what an applied plan bought, while Partner Center still allows it. Pure.
 *
 * For every purchase of the applied plan whose subscription is still inside its cancellation window (new commerce:
 * `cancellationAllowedUntilDate`, 7 days from the purchase — partner-center-2026.md §2; partner-center-api.md
 * subscription table): each user that plan moved onto it goes back to the licence they held before, in one
 * `licenseupdates` call (assign the old SKU, remove the new one: never unlicensed), then the subscription is
 * cancelled (PATCH status `deleted`; billing stops, prorated), with end-at-term as the fallback should the window
 * close while the moves run. What cannot be undone is a blocker that says what can still be done:
 * - the window has closed (or a legacy subscription, which has none): end it at its term end instead;
 * - the old licence has no free seat (its subscription was cancelled, suspended or reduced): nobody is moved back;
 * - someone else now holds the new licence: cancelling would take it from them.
 */

/** The purchases and licence moves of an applied plan, per customer: what `pcsync undo` plans from. */
export function undoSourceOf(applied: Plan): UndoSource {
  const customers = applied.customers
    .map((c) => {
      const purchases: UndoPurchase[] = [];
      const moves: UndoMove[] = [];
      for (const a of c.actions) {
        if (a.kind === 'purchase' && a.mode === 'new') {
          purchases.push({ actionId: a.id, handle: a.handle, friendlyName: a.friendlyName, offerName: a.offerName, ...(a.skuId && { skuId: a.skuId }) });
        }
        if (a.kind === 'reassign' && a.assignSkuId && a.removeSkuIds.length > 0) {
          moves.push({ userId: a.userId, upn: a.upn, assignSkuId: a.assignSkuId, removeSkuIds: a.removeSkuIds, ...(a.removeNames && { removeNames: a.removeNames }) });
        }
      }
      return { customerId: c.customerId, purchases, moves };
    })
    .filter((c) => c.purchases.length > 0);
  return { actionsHash: applied.actionsHash, createdAt: applied.createdAt, customers };
}

const GONE = ['deleted', 'cancelled', 'expired'];
const lower = (s: string | undefined) => (s ?? '').toLowerCase();

/** Header fields of the customer plan (from the desired state, as every plan carries them). */
export interface UndoCustomerBase {
  readonly customerId: string;
  readonly displayName: string;
  readonly file: string;
  readonly desiredHash: string;
}

/** The undo plan of one customer of `source` from what was read now, at `now` (ISO). */
export function planUndoCustomer(source: UndoSource['customers'][number], base: UndoCustomerBase, live: UndoLive, now: string): CustomerPlan {
  const blockers: Problem[] = [];
  const warnings: Problem[] = [];
  const actions: Action[] = [];
  const plan = (): CustomerPlan => ({ ...base, displayName: live.displayName ?? base.displayName, fingerprint: '', actions: blockers.length > 0 ? [] : actions, blockers, warnings });
  if (live.readError !== undefined) {
    blockers.push({ code: 'customer-unreadable', message: `could not read ${base.displayName} now: ${live.readError}`, retry: true });
    return plan();
  }
  if (!live.found) {
    blockers.push({ code: 'customer-not-found', message: `Partner Center does not know customer ${base.customerId} now (no relationship, or another partner's customer)` });
    return plan();
  }
  for (const p of source.purchases) {
    const sub = live.subscriptions.find((s) => s.friendlyName === p.friendlyName && !GONE.includes(lower(s.status)));
    if (!sub) {
      warnings.push({ code: 'undo-nothing-bought', message: `${p.offerName} (${p.handle}): no live subscription carries the plan's nickname "${p.friendlyName}" — that purchase was not made, or is already cancelled; nothing to undo for it` });
      continue;
    }
    const undone = undoPurchase(p, sub, source.moves, live, now, base.customerId);
    if ('blocker' in undone) blockers.push(undone.blocker);
    else {
      actions.push(...undone.actions);
      warnings.push(...undone.warnings);
    }
  }
  return plan();
}

type Undone = { readonly actions: readonly Action[]; readonly warnings: readonly Problem[] } | { readonly blocker: Problem };

function undoPurchase(p: UndoPurchase, sub: LiveSubscription, moves: readonly UndoMove[], live: UndoLive, now: string, customerId: string): Undone {
  const what = `${sub.offerName || p.offerName} (subscription ${sub.id})`;
  const endAtTerm = `What can still be done: end it at its term end${sub.commitmentEndDate ? ` (${sub.commitmentEndDate.slice(0, 10)})` : ''} — set its status to retired in the desired state and run pcsync plan (auto-renew off, a cancel at term end; the seats are paid until then) — after moving its users back.`;
  if (sub.commerce === 'legacy' || sub.cancellationAllowedUntilDate === undefined) {
    return { blocker: { code: 'undo-not-cancellable', message: `${what} cannot be cancelled: it is a ${sub.commerce === 'legacy' ? 'legacy subscription' : 'subscription without a cancellation date'}, and Partner Center gives those no cancellation window.`, hint: 'Legacy subscriptions are retired by suspending them once nobody holds their licence: set its status to retired in the desired state and run pcsync plan.' } };
  }
  if (Date.parse(sub.cancellationAllowedUntilDate) <= Date.parse(now)) {
    return { blocker: { code: 'undo-window-closed', message: `${what} can no longer be undone: its cancellation window closed on ${sub.cancellationAllowedUntilDate}. Nothing is moved and nothing is cancelled.`, hint: endAtTerm } };
  }
  const skuId = p.skuId ?? sub.skuId;
  if (skuId === undefined) return { blocker: { code: 'undo-sku-unknown', message: `${what}: its licence SKU is unknown, so pcsync cannot tell who holds it; nothing is moved and nothing is cancelled.`, retry: true } };
  const back: ReassignAction[] = [];
  for (const m of moves.filter((x) => x.assignSkuId === skuId)) {
    const held = live.licences[m.userId];
    if (held === undefined) return { blocker: { code: 'undo-licences-unread', message: `${m.upn}: licences could not be read now; nothing is moved and nothing is cancelled.`, retry: true, user: m.upn } };
    if (!held.includes(skuId)) continue;
    const to = m.removeSkuIds[0]!;
    const after = [...held.filter((s) => s !== skuId), ...(held.includes(to) ? [] : [to])].sort(compareText);
    back.push({
      kind: 'reassign',
      id: `${customerId}/reassign/${m.upn}`,
      customerId,
      dependsOn: [],
      reason: 'undo-move',
      reasonText: `goes back to ${m.removeNames?.[0] ?? to}, the licence the applied plan moved them off; both in one call, so access never lapses`,
      irreversible: false,
      userId: m.userId,
      upn: m.upn,
      ...(held.includes(to) ? {} : { assignSkuId: to, ...(m.removeNames?.[0] && { assignName: m.removeNames[0] }) }),
      removeSkuIds: [skuId],
      observed: { skuIds: [...held].sort(compareText) },
      desired: { skuIds: after },
      removeNames: [sub.offerName || p.offerName],
    });
  }
  back.sort((a, b) => compareText(a.upn, b.upn));
  const holders = live.skus.find((s) => s.skuId === skuId)?.consumedUnits ?? 0;
  if (holders > back.length) {
    return { blocker: { code: 'undo-other-holders', message: `${what}: ${holders} user(s) hold its licence, ${back.length} of them moved there by the applied plan; cancelling it would take the licence from the other ${holders - back.length}. Nothing is moved and nothing is cancelled.`, hint: `Move those users off it first. ${endAtTerm}` } };
  }
  for (const [to, n] of countBy(back.filter((b) => b.assignSkuId).map((b) => b.assignSkuId!))) {
    const free = live.skus.find((s) => s.skuId === to)?.availableUnits ?? 0;
    if (free < n) {
      const subsOf = live.subscriptions.filter((s) => s.skuId === to);
      const named = back.find((b) => b.assignSkuId === to)?.assignName ?? subsOf[0]?.offerName ?? `licence ${to}`;
      const old = subsOf.map((s) => `subscription ${s.id} ${lower(s.status)}`).join(', ') || 'no subscription of it is listed';
      return { blocker: { code: 'undo-nowhere-to-go', message: `${what}: ${n} user(s) would go back to ${named}, which has ${free} free seat(s) now (${old}); nobody is moved back and nothing is cancelled.`, hint: `The users have nowhere to go back to: keep the new subscription. ${endAtTerm}` } };
    }
  }
  // The licence users go back to may be on a subscription the applied plan set to end at its term (auto-renew off):
  // they would lose it then. Said, with the date, so the reviewer turns auto-renew back on.
  const warnings: Problem[] = [];
  for (const to of new Set(back.map((b) => b.assignSkuId).filter((x): x is string => x !== undefined))) {
    const paying = live.subscriptions.filter((s) => s.skuId === to && lower(s.status) === 'active');
    if (paying.length > 0 && paying.every((s) => s.cancelAtTermEnd === true || s.autoRenewEnabled === false)) {
      const ends = paying.map((s) => `${s.offerName} (subscription ${s.id}) ends ${s.commitmentEndDate?.slice(0, 10) ?? 'at its term end'}`).join('; ');
      warnings.push({ code: 'undo-back-to-ending-subscription', message: `users go back to a licence whose subscription is set to end: ${ends} — auto-renew is off, so they lose it then`, hint: 'Turn auto-renew back on for it in Partner Center (or set its status: active in the desired state and run pcsync plan) after the undo.' });
    }
  }
  const cancel: CancelAction = {
    kind: 'cancel',
    id: `${customerId}/cancel/${p.handle}`,
    customerId,
    dependsOn: back.map((b) => b.id),
    reason: 'undo-purchase',
    reasonText: `bought by the applied plan; cancelled inside its window (until ${sub.cancellationAllowedUntilDate}) after ${back.length} user(s) are moved back: billing stops, prorated`,
    irreversible: true,
    handle: p.handle,
    subscriptionId: sub.id,
    offerName: sub.offerName,
    skuId,
    observed: { status: sub.status, consumedUnits: holders, ...(sub.autoRenewEnabled !== undefined && { autoRenewEnabled: sub.autoRenewEnabled }) },
    cancellableUntil: sub.cancellationAllowedUntilDate,
    desired: { status: 'deleted' },
    fallback: { kind: 'end-at-term', paidSeats: sub.quantity, ...(sub.commitmentEndDate && { paidUntil: sub.commitmentEndDate }) },
  };
  return { actions: [...back, cancel], warnings };
}

function countBy(xs: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}
