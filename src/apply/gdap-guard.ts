import { endsBeforeMoves } from '../plan/gdap.js';
import type { Action } from '../plan/types.js';
import type { ExecutorDeps } from './context.js';

/**
 * The GDAP check just before a customer's purchase, at the real time. Apply re-plans at the plan's time (so the
 * same live state gives the same plan); a relationship that ended, or now ends before the provisioning wait and
 * the licence moves are over, would let pcsync buy seats whose licences it then cannot assign (403 on every
 * move). So before anything is bought, the relationship is judged against the clock: undefined when the purchase
 * may go on (or nothing is bought, no licence moves, no pre-check), else why not and who must act.
 */
export async function gdapBeforeBuying(customerId: string, todo: readonly Action[], deps: ExecutorDeps): Promise<string | undefined> {
  if (!deps.licenceAccess || !todo.some((a) => a.kind === 'purchase') || !todo.some((a) => a.kind === 'reassign')) return undefined;
  const nowMs = deps.now();
  const at = new Date(nowMs).toISOString();
  const gdap = await deps.licenceAccess(customerId, at);
  if (!gdap) return undefined;
  if (gdap.licenceWrites === 'refused') {
    return `not bought: checked again at ${at}, just before buying, Partner Center would refuse the licence moves: ${gdap.why}${gdap.fix ? ` — ${gdap.fix}` : ''}; nothing was bought or changed for this customer`;
  }
  const ending = endsBeforeMoves(gdap, todo, nowMs);
  if (!ending) return undefined;
  return `not bought: checked at ${at}, just before buying: ${ending.why} — ${ending.fix}; nothing was bought or changed for this customer`;
}
