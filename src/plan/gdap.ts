import type { CustomerContext } from './context.js';
import type { Action, PurchaseAction } from './types.js';

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
  if (!gdap || writes === 0) return [...actions];
  if (gdap.endsAt) {
    ctx.findings.warn('gdap-relationship-ending', `${ctx.who}: the GDAP relationship ends ${gdap.endsAt}; licence moves after that are refused`, {
      hint: 'apply before then, or have the partner admin extend the relationship (auto-extend) or request a new one',
      source: ctx.desired.source,
    });
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
  const purchases = actions.filter((a) => a.kind === 'purchase');
  if (purchases.length === 0) {
    ctx.findings.warn('not-verified', `${ctx.who}: not verified before the licence moves: ${note}`, { source: ctx.desired.source });
    return [...actions];
  }
  return actions.map((a): Action => (a.kind === 'purchase' ? ({ ...a, notVerified: [...(a.notVerified ?? []), note] } satisfies PurchaseAction) : a));
}
