import type { CustomerContext } from './context.js';
import type { LiveGdap } from '../live/types.js';
import { LICENCE_WRITE_ROLES } from '../partner-center/errors.js';
import type { Action, PurchaseAction } from './types.js';

/** Time allowed for a customer's licence moves (and what follows them) after its purchases are provisioned. */
export const MOVES_ALLOWANCE_MS = 10 * 60_000;

/**
 * When licence moves that follow a purchase would outlast the GDAP relationship: its end comes before `now` plus
 * the longest provisioning wait of the customer's purchases plus `MOVES_ALLOWANCE_MS`. The sentence says so and
 * who must act; undefined when it does not end that soon (or its end is not known). Plan judges at the plan's
 * time, apply again at the real time just before buying (apply/gdap-guard.ts).
 */
export function endsBeforeMoves(gdap: LiveGdap | undefined, actions: readonly Action[], nowMs: number): { why: string; fix: string } | undefined {
  const ends = gdap?.relationshipEnds;
  const moves = actions.filter((a) => a.kind === 'reassign').length;
  if (!ends || moves === 0 || !actions.some((a) => a.kind === 'purchase')) return undefined;
  const waitMs = Math.max(0, ...actions.map((a) => (a.kind === 'await-provisioning' ? a.timeoutSeconds * 1000 : 0)));
  const needed = nowMs + waitMs + MOVES_ALLOWANCE_MS;
  const endMs = Date.parse(ends);
  if (!Number.isFinite(endMs) || endMs > needed) return undefined;
  const minutes = Math.ceil((waitMs + MOVES_ALLOWANCE_MS) / 60_000);
  return {
    why: `the GDAP relationship with this customer ends ${ends}, before the ${moves} licence move(s) after the purchase can be done (up to ${minutes} min from ${new Date(nowMs).toISOString()}: the provisioning wait and the moves); Partner Center refuses licence writes once it has ended`,
    fix: 'the partner admin must act: extend the GDAP relationship (or turn on auto-extend), or request a new one the customer approves, then plan again',
  };
}

/**
 * Before anything is bought: will Partner Center accept this customer's licence moves? From the read-only GDAP
 * pre-check (live/gdap.ts, partner-center-2026-12.md §1). Refused → a blocker naming what is missing and who must
 * act, so nothing is bought (a purchase whose licences cannot be moved is paid for twice). Not verifiable → each
 * purchase says so on its own line (`notVerified`), or a warning when nothing is bought. A relationship ending
 * within two weeks is a warning.
 */
export function checkLicenceAccess(ctx: CustomerContext, actions: readonly Action[]): Action[] {
  const gdap = ctx.live.gdap;
  const writes = actions.filter((a) => a.kind === 'reassign').length;
  const refused = ctx.remembered?.licenceRefusal;
  if (refused && writes > 0 && gdap?.licenceWrites !== 'allowed') {
    // Without a verified GDAP pre-check, the last apply's refusal is the best evidence there is.
    ctx.findings.warn('licence-writes-refused-before', `${ctx.who}: licence writes were refused on ${refused.at} (403, an earlier apply): ${refused.message}`, {
      hint: `the partner admin must act: assign License Administrator (or ${LICENCE_WRITE_ROLES}) to the partner user pcsync signs in as, through a GDAP access assignment for this customer, before approving these ${writes} licence move(s); set PARTNER_CENTER_GRAPH_TOKEN so the plan can verify it`,
      source: ctx.desired.source,
    });
  }
  if (!gdap || writes === 0) return [...actions];
  if (gdap.endsAt) {
    ctx.findings.warn('gdap-relationship-ending', `${ctx.who}: the GDAP relationship ends ${gdap.endsAt}; licence moves after that are refused`, {
      hint: 'apply before then, or have the partner admin extend the relationship (auto-extend) or request a new one',
      source: ctx.desired.source,
    });
  }
  const ending = endsBeforeMoves(gdap, actions, Date.parse(ctx.now));
  if (ending && gdap.licenceWrites !== 'refused') {
    ctx.findings.block('gdap-relationship-ends-before-moves', `${ctx.who}: ${ending.why}; so nothing is bought or changed for this customer`, { hint: ending.fix, source: ctx.desired.source });
    return [...actions];
  }
  if (gdap.licenceWrites === 'refused') {
    ctx.findings.block('licence-writes-refused', `${ctx.who}: Partner Center will refuse the ${writes} licence move(s): ${gdap.why}; so nothing is bought or changed for this customer`, {
      ...(gdap.fix && { hint: gdap.fix }),
      source: ctx.desired.source,
    });
    return [...actions];
  }
  if (gdap.licenceWrites !== 'unknown') return [...actions];
  const note = gdap.notVerified ?? 'GDAP access for licence writes';
  if (gdap.transient) {
    // Apply tells this apart from a changed plan (a read that failed is no reason to review again).
    ctx.findings.warn('gdap-read-failed', `${ctx.who}: Microsoft Graph did not answer the GDAP pre-check: ${note}`, {
      hint: 'this may pass: plan again later to verify the partner\'s access before buying',
      source: ctx.desired.source,
    });
  }
  const purchases = actions.filter((a) => a.kind === 'purchase');
  if (purchases.length === 0) {
    ctx.findings.warn('not-verified', `${ctx.who}: not verified before the licence moves: ${note}`, { source: ctx.desired.source });
    return [...actions];
  }
  return actions.map((a): Action => (a.kind === 'purchase' ? ({ ...a, notVerified: [...(a.notVerified ?? []), note] } satisfies PurchaseAction) : a));
}
