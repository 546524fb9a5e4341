import type { DesiredState } from '../desired/types.js';
import { readUndoLive } from '../live/undo.js';
import type { LiveReader } from '../live/read.js';
import { actionsHashOf } from '../plan/actions-hash.js';
import { planUndoCustomer, undoSourceOf } from '../plan/undo.js';
import { PLAN_FORMAT_VERSION, type CustomerPlan, type Plan, type UndoSource } from '../plan/types.js';
import type { Replan } from './customer.js';

/**
 * The undo plan of one customer of `source`, read now and planned at `now` (ISO): what `pcsync undo` shows and what
 * apply's re-plan of an undo plan must give again (the same function, so an unchanged customer is never stale).
 */
async function undoCustomer(reader: LiveReader, source: UndoSource, desired: DesiredState, customerId: string, now: string): Promise<CustomerPlan> {
  const src = source.customers.find((c) => c.customerId === customerId);
  const customer = desired.customers.find((c) => c.id.toLowerCase() === customerId.toLowerCase());
  const base = { customerId, displayName: customer?.domain ?? customerId, file: customer?.file ?? '', desiredHash: customer?.contentHash ?? '' };
  if (!src) return { ...base, fingerprint: '', actions: [], blockers: [{ code: 'undo-not-in-source', message: `customer ${customerId} bought nothing in the applied plan` }], warnings: [] };
  const live = await readUndoLive(reader, customerId, src.moves.map((m) => m.userId));
  return planUndoCustomer(src, base, live, now);
}

/**
 * `pcsync undo`: the plan that takes back the purchases of `applied` (a plan that was applied) — only customers of the
 * desired state (apply runs only those), one at a time; `missing` names the customers with purchases whose files are
 * gone, so the command can refuse to call that "nothing to undo". Read-only. `now` is the plan's time: the re-plan at apply uses it again.
 */
export async function planUndo(reader: LiveReader, applied: Plan, desired: DesiredState, now: string, pcsyncVersion: string): Promise<{ plan: Plan; missing: readonly string[] }> {
  const source = undoSourceOf(applied);
  const known = new Set(desired.customers.map((c) => c.id.toLowerCase()));
  const kept: UndoSource = { ...source, customers: source.customers.filter((c) => known.has(c.customerId.toLowerCase())) };
  const missing = source.customers.filter((c) => !known.has(c.customerId.toLowerCase())).map((c) => c.customerId);
  const customers: CustomerPlan[] = [];
  for (const c of kept.customers) customers.push(await undoCustomer(reader, kept, desired, c.customerId, now));
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    pcsyncVersion,
    createdAt: now,
    desiredHash: desired.contentHash,
    actionsHash: actionsHashOf(customers),
    customers,
    undo: kept,
  };
  return { plan, missing };
}

/**
 * Apply's re-plan of an undo plan: the same undo, from the plan's source and today's live state, at `now` — the time
 * apply runs, not the plan's: a cancellation window that has closed since the review makes the re-plan a blocker, so
 * nobody is moved back for a cancel Partner Center would refuse (its fallback would leave the seats paid all term).
 */
export function undoReplanner(reader: LiveReader, plan: Plan & { undo: UndoSource }, desired: DesiredState, now: string): Replan {
  return (customerId) => undoCustomer(reader, plan.undo, desired, customerId, now);
}
