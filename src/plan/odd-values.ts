import { compareText } from '../catalog/names.js';
import type { CustomerContext } from './context.js';
import type { LiveOddValue } from '../live/types.js';

const SHOWN_IDS = 3;

/**
 * Values Partner Center sent that pcsync does not know (a status added after pcsync was written, a date it
 * cannot read) are kept as sent, never a crash: one warning per field and value, with how many resources
 * carry it. A subscription with an unknown status is not treated as active, so nothing is bought for it,
 * moved off it or suspended on its account until pcsync knows what the status means.
 */
export function warnOddValues(ctx: CustomerContext): void {
  const groups = new Map<string, LiveOddValue[]>();
  for (const o of ctx.live.oddValues ?? []) {
    const key = `${o.resource}\u0000${o.field}\u0000${o.value}\u0000${o.why}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  for (const [, list] of [...groups].sort(([a], [b]) => compareText(a, b))) {
    const { resource, field, value, why } = list[0]!;
    const ids = list.map((o) => o.id).sort(compareText);
    const which = `${ids.length} ${resource}${ids.length === 1 ? '' : 's'}: ${ids.slice(0, SHOWN_IDS).join(', ')}${ids.length > SHOWN_IDS ? ', …' : ''}`;
    const what = why === 'unreadable-date' ? `a ${field} pcsync cannot read as a date` : `a ${field} pcsync does not know`;
    const effect = resource === 'subscription' && field === 'status' ? '; such a subscription is not treated as active' : '';
    ctx.findings.warn('unknown-value', `Partner Center sent ${resource} ${field} "${value}" at ${ctx.who} (${which}) — ${what}, kept as sent${effect}`, {
      hint: 'a newer pcsync may know it; check the value in Partner Center if the plan looks wrong',
    });
  }
}
