import { ApiError } from '../partner-center/errors.js';
import type { WireSubscription } from '../partner-center/wire.js';
import type { RetireAction, Retirement } from '../plan/types.js';
import { done, ok, terminal, transient, type ActionResult } from './action-result.js';
import type { ExecutorDeps } from './context.js';
import { changeSubscription } from './subscription-change.js';
import { nobodyHolds } from './suspend-guard.js';

/** Partner Center's code for a cancel past the cancellation window (400; error-codes table, partner-center-2026-12.md §4). */
const WINDOW_PASSED = 900117;

const lower = (v: unknown) => String(v).toLowerCase();

/** Who must act when Partner Center answered 200 without applying a change (subscription-change.ts). */
export const NOT_APPLIED =
  'a partner Admin agent must act: make this change in Partner Center (the API accepted it without applying it, a known Partner Center fault: microsoft/Partner-Center-PowerShell#115); pcsync does not resend it as if it were passing';

/**
 * Each retirement as one PATCH and the state that shows it done (API reference §5: status suspended / deleted,
 * autoRenewEnabled; `scheduledActions` with `Cancel` at `TermEnd` so no paid extended service term follows —
 * partner-center-2026.md §2, [2nd]).
 */
const RETIRE: Readonly<Record<Retirement, { patch: Record<string, unknown>; past: string; done: (s: WireSubscription) => boolean }>> = {
  suspend: { patch: { status: 'suspended' }, past: 'suspended', done: (s) => lower(s.status) === 'suspended' },
  cancel: { patch: { status: 'deleted' }, past: 'cancelled', done: (s) => lower(s.status) === 'deleted' },
  'end-at-term': {
    patch: { autoRenewEnabled: false, scheduledActions: [{ scheduleType: 'TermEnd', actionType: 'Cancel' }] },
    past: 'set to end at term end',
    done: (s) => s.autoRenewEnabled === false && (s.scheduledActions ?? []).some((x) => lower(x.scheduleType) === 'termend' && lower(x.actionType) === 'cancel'),
  },
};

/**
 * Retires the old subscription the way its action names, but only after re-reading that nobody consumes its SKU
 * any more: anything above zero after short re-checks, or a SKU it cannot check, stops it (suspend-guard.ts). A
 * cancel whose window has closed by now — by the subscription's own `cancellationAllowedUntilDate`, read just
 * before, or by Partner Center's refusal (400, 900117) — takes the end-at-term fallback the plan carries, so the
 * subscription never stays on auto-renew.
 */
export async function retire(a: RetireAction, deps: ExecutorDeps): Promise<ActionResult> {
  const { client } = deps;
  // as listed moments ago in this run (the provisioning check), else read now; its etag makes the PATCH fail
  // rather than overwrite a change made since (fresh-reads.ts)
  const sub = client.fresh.subscription(a.customerId, a.subscriptionId) ?? (await client.getSubscription(a.customerId, a.subscriptionId));
  const closed = a.kind === 'cancel' && windowClosed(sub, deps.now());
  const kind: Retirement = closed ? 'end-at-term' : a.kind;
  if (RETIRE[a.kind].done(sub)) return done(`already ${RETIRE[a.kind].past}`);
  if (RETIRE[kind].done(sub)) return done(`already ${RETIRE[kind].past}`);
  if (!a.skuId) return terminal(`not ${RETIRE[kind].past}: its licence SKU is unknown, so pcsync cannot check that nobody still holds it`);
  const guard = await nobodyHolds(a, deps, Number(sub.quantity ?? 0));
  if (guard !== true) return terminal(guard);
  try {
    const result = await change(a, kind, sub, deps);
    return closed ? fellBack(result, `its cancellation window closed ${sub.cancellationAllowedUntilDate}`) : result;
  } catch (err) {
    if (a.kind !== 'cancel' || closed || !(err instanceof ApiError) || err.code !== WINDOW_PASSED) throw err;
    // Nobody has to edit anything: the reviewer approved this fallback with the cancel.
    const said = err.description ? `; Partner Center said: "${err.description}"` : '';
    return fellBack(await change(a, 'end-at-term', sub, deps), `Partner Center refused the cancel: the cancellation window has closed (code ${err.code}${said})`);
  }
}

/** One retirement PATCH, judged from what Partner Center then shows. */
async function change(a: RetireAction, kind: Retirement, sub: WireSubscription, deps: ExecutorDeps): Promise<ActionResult> {
  const how = RETIRE[kind];
  const result = await changeSubscription(deps, a.customerId, sub, how.patch, how.done, `it ${how.past}`);
  if (!result.shows) return result.ignored ? terminal(`${kind} not done: ${result.why} — ${NOT_APPLIED}`) : transient(`${kind} not confirmed: ${result.why}`);
  const paid = kind === 'end-at-term' ? paidUntil(a) : '';
  return ok(`${how.past} ${a.offerName} (${result.how})${paid}`);
}

/** The end-at-term fallback's result, saying why the approved cancel was not possible. */
function fellBack(result: ActionResult, why: string): ActionResult {
  return { ...result, message: `not cancelled — ${why}; took the approved fallback instead: ${result.message}` };
}

function paidUntil(a: RetireAction): string {
  const end = a.kind === 'end-at-term' ? a : a.kind === 'cancel' ? a.fallback : undefined;
  return end ? `; ${end.paidSeats} seat(s) paid until ${end.paidUntil ?? 'the term end'}, then it ends` : '';
}

/** True when the subscription's cancellation window has ended at `nowMs` (as Partner Center shows it now). */
function windowClosed(sub: WireSubscription, nowMs: number): boolean {
  const until = Date.parse(sub.cancellationAllowedUntilDate ?? '');
  return Number.isFinite(until) && until <= nowMs;
}
