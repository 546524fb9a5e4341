import type { CustomerContext } from './context.js';
import type { CancelAction, ReassignAction } from './types.js';

/** How long before the window closes a plan counts as "closing soon": a review and merge usually fit in a day. */
const REVIEW_MS = 24 * 3_600_000;

/**
 * Checks a cancel's deadline against the time the steps before it may take (partner-center-2026-12.md §4: past
 * `cancellationAllowedUntilDate` Partner Center refuses with 400 900117). The defensible bound is what apply itself
 * allows: when the moves wait for a new subscription, up to `policy.provisioningTimeoutSeconds` of waiting before
 * any licence moves, then the moves; the review before apply comes on top. A window that closes within that wait
 * of the plan's time makes the cancel likely to fall back; one that closes within a day more needs a prompt apply.
 * Both are warnings naming the approved fallback (auto-renew off, cancelled at term end, paid until …).
 */
export function warnCancelDeadline(ctx: CustomerContext, cancel: CancelAction, reassigns: readonly ReassignAction[]): void {
  const closes = Date.parse(cancel.cancellableUntil);
  const now = Date.parse(ctx.now);
  if (!Number.isFinite(closes) || !Number.isFinite(now)) return;
  const waits = reassigns.some((r) => cancel.dependsOn.includes(r.id) && r.dependsOn.some((d) => d.includes('/await-provisioning/')));
  const waitMs = waits ? ctx.partner.policy.provisioningTimeoutSeconds * 1000 : 0;
  const left = closes - now;
  const fallback = `auto-renew off and cancelled at term end, ${cancel.fallback.paidSeats} seat(s) paid until ${cancel.fallback.paidUntil ?? 'the term end'}`;
  const wait = waits ? `apply waits up to ${Math.round(waitMs / 60_000)} min for the replacement to provision before the ${cancel.dependsOn.length} licence move(s)` : `the cancel runs after ${cancel.dependsOn.length} licence move(s)`;
  if (left <= waitMs) {
    ctx.findings.warn('cancel-may-fall-back', `${cancel.handle}: the cancellation window closes ${cancel.cancellableUntil}, ${duration(left)} after this plan, and ${wait}: the cancel will likely fall back to ${fallback}`, {
      hint: 'that fallback is what the plan approves if the window has closed; to keep the refund, cancel in Partner Center before the window closes (the users move later)',
      source: ctx.desired.source,
    });
  } else if (left <= waitMs + REVIEW_MS) {
    ctx.findings.warn('cancel-may-fall-back', `${cancel.handle}: the cancellation window closes ${cancel.cancellableUntil}, ${duration(left)} after this plan; ${wait}: apply must start by ${new Date(closes - waitMs).toISOString()}, else the cancel falls back to ${fallback}`, {
      hint: 'review and apply promptly; the fallback is taken by itself if the window has closed',
      source: ctx.desired.source,
    });
  }
}

function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
