import pLimit from 'p-limit';
import { applyCustomer, type CustomerReport, type Replan } from './customer.js';
import { isSuccess, OUTCOMES, type Outcome } from './outcomes.js';
import type { ExecutorDeps } from './context.js';
import type { EventSink } from './events.js';
import type { Plan } from '../plan/types.js';

export interface RunReport {
  readonly customers: readonly CustomerReport[];
  readonly outcomes: Readonly<Partial<Record<Outcome, number>>>;
  readonly durationMs: number;
}

/**
 * Applies a plan: customers independently and concurrently (bounded); one blocked, stale or failed customer
 * never stops another. Customers without actions or blockers are not touched at all; a customer another apply
 * holds is reported even so (what was read of it may have been mid-change).
 */
export async function applyPlan(
  plan: Plan,
  deps: ExecutorDeps,
  events: EventSink,
  opts: {
    concurrency: number;
    /** Saved-plan mode: re-plan each customer before touching it (stale check, resume after a crash). */
    replan?: Replan;
    /** Customers another apply holds, with the message saying who. */
    locked?: ReadonlyMap<string, string>;
  },
): Promise<RunReport> {
  const started = deps.now();
  const todo = plan.customers.filter((c) => c.actions.length > 0 || c.blockers.length > 0 || opts.locked?.has(c.customerId.toLowerCase()));
  events.emit({ type: 'run-start', customers: todo.length, actions: todo.reduce((n, c) => n + c.actions.length, 0) });
  const limit = pLimit(Math.max(1, opts.concurrency));
  const customers = await Promise.all(todo.map((c) => limit(() => applyCustomer(c, deps, events, { replan: opts.replan, planHash: plan.actionsHash, locked: opts.locked?.get(c.customerId.toLowerCase()) }))));
  const outcomes: Partial<Record<Outcome, number>> = {};
  for (const o of OUTCOMES) {
    const n = customers.filter((c) => c.outcome === o).length;
    if (n > 0) outcomes[o] = n;
  }
  const durationMs = deps.now() - started;
  events.emit({ type: 'run-end', durationMs, outcomes });
  return { customers, outcomes, durationMs };
}

/** 0 when every customer succeeded (or had nothing to do), 4 (partial) otherwise. */
export function applyExitCode(report: RunReport): 0 | 4 {
  return report.customers.every((c) => isSuccess(c.outcome)) ? 0 : 4;
}
