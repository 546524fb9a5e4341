import type { Action, ReassignAction, RetireAction, ScheduleRenewalAction } from '../plan/types.js';
import type { Style } from './style.js';
import { inertText as v } from '../core/inert.js';

/** How one action is drawn: symbol, verb, what it does, and the reason underneath. */
export function actionLines(a: Action, s: Style): string[] {
  const line = `  ${head(a, s)}  ${describeAction(a)}${irreversible(a, s)}`;
  return [line, s.dim(`        ${v(a.reasonText)}`)];
}

/** With users hidden: reassigns of the same licences collapse into one counted line. */
export function reassignGroupLines(actions: readonly ReassignAction[], s: Style): string[] {
  const groups = new Map<string, number>();
  for (const a of actions) {
    const key = describeChange(a);
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => `  ${s.yellow('~ reassign')}  ${n} user(s): ${key}`);
}

function head(a: Action, s: Style): string {
  switch (a.kind) {
    case 'purchase':
      return s.green('+ purchase');
    case 'await-provisioning':
      return s.cyan('… await   ');
    case 'reassign':
      return s.yellow('~ reassign');
    case 'suspend':
    case 'cancel':
    case 'end-at-term':
      return s.red(`! ${a.kind.padEnd(8)} `);
    case 'schedule-renewal':
      return s.cyan('@ renewal ');
  }
}

/**
 * What approving a new-commerce purchase attests (learn cart-resources; partner-center-2026-12.md §4): the
 * partner-of-record attestation on the cart, and the SKU's own where Partner Center enforces one.
 */
const NCE_ATTESTATION = "; by approving, the partner accepts the partner-of-record attestation and, where Partner Center enforces one, the SKU's own attestation";

/**
 * How long a new-commerce purchase can be taken back: its cancellation window, 7 days from the order
 * (partner-center-2026.md §2), through `pcsync undo` (plan/undo.ts).
 */
const NCE_UNDO = '; can be undone (pcsync undo) until 7 days after the order, its cancellation window, while the users\' old licence is still there to go back to';

/** What an action does, in one line with its concrete values (no styling). */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'purchase':
      return (
        (a.mode === 'new'
          ? `"${v(a.offerName)}" (${v(a.handle)}): new subscription, ${a.quantity} seat(s)${a.offerId.includes(':') ? NCE_ATTESTATION + NCE_UNDO : ''}`
          : `"${v(a.offerName)}" (${v(a.handle)}): raise quantity of ${v(String(a.observed.subscriptionId))} from ${a.observed.quantity} to ${a.quantity}`) +
        (a.notVerified?.length ? `; not verified: ${a.notVerified.map(v).join('; ')}` : '')
      );
    case 'await-provisioning':
      return `${v(a.handle)}: wait until the new subscription is active with ${a.minAvailableUnits} seat(s) available (at most ${a.timeoutSeconds}s)`;
    case 'reassign':
      return `${v(a.upn)}: ${describeChange(a)}`;
    case 'suspend':
      return subject(a);
    case 'end-at-term':
      return `${subject(a)}: auto-renew off, cancelled at term end; ${paid(a)}`;
    case 'cancel':
      return `${subject(a)}: cancelled now (possible until ${v(a.cancellableUntil)}); if the window has closed by then: auto-renew off and cancelled at term end, ${paid(a.fallback)}`;
    case 'schedule-renewal':
      return renewalChange(a);
  }
}

/** `"Office 365 E3" (e3, subscription …): at renewal on 2027-03-01: 40 → 31 seats; nothing changes before then`. */
function renewalChange(a: ScheduleRenewalAction): string {
  const o = a.observed;
  const d = a.desired;
  const parts = [o.quantity === d.quantity ? `${d.quantity} seat(s)` : `${o.quantity} → ${d.quantity} seats`];
  if (o.offerId !== d.offerId) parts.push(`into "${v(d.offerName)}" (${v(d.offerId)})`);
  if (o.term !== d.term) parts.push(`term ${v(o.term)} → ${v(d.term)}`);
  if (o.billing !== d.billing) parts.push(`billing ${v(o.billing)} → ${v(d.billing)}`);
  return `"${v(a.offerName)}" (${v(a.handle)}, subscription ${v(a.subscriptionId)}): at renewal on ${v(a.renewsOn.slice(0, 10))}: ${parts.join(', ')}; nothing changes before then`;
}

function subject(a: RetireAction): string {
  return `"${v(a.offerName)}" (${v(a.handle)}, subscription ${v(a.subscriptionId)})`;
}

function paid(end: { readonly paidSeats: number; readonly paidUntil?: string }): string {
  return `${end.paidSeats} seat(s) paid until ${v(end.paidUntil ?? 'the term end')}`;
}

/** A reassign's licence change: `assign "New", remove "Old"`. */
export function describeChange(a: ReassignAction): string {
  const parts: string[] = [];
  if (a.assignSkuId) parts.push(`assign "${v(a.assignName ?? a.assignSkuId)}"`);
  a.removeSkuIds.forEach((sku, i) => parts.push(`remove "${v(a.removeNames?.[i] ?? sku)}"`));
  if (a.excludedPlans?.length) parts.push(`keep ${a.excludedPlans.map((p) => `"${v(p.displayName ?? p.serviceName ?? p.id)}"`).join(', ')} off`);
  return parts.join(', ');
}

/** What irreversible means is said once, in the summary. */
function irreversible(a: Action, s: Style): string {
  return a.irreversible ? s.red('  [irreversible]') : '';
}
