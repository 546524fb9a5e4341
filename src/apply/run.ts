import { CustomerPool, type RunBoundSummary } from '../partner-center/concurrency.js';
import { applyCustomer, tallyMoves, type CustomerReport, type Replan } from './customer.js';
import { isSuccess, OUTCOMES, type Outcome } from './outcomes.js';
import { errorText } from './failure.js';
import { CredentialRefused } from '../partner-center/auth-errors.js';
import { LearnedWaits } from './provisioning-times.js';
import type { ExecutorDeps } from './context.js';
import type { EventSink } from './events.js';
import type { CustomerPlan, Plan } from '../plan/types.js';

/** A `pace` event at most this often (ms). */
const PACE_EVERY_MS = 5_000;

export interface RunReport {
  readonly customers: readonly CustomerReport[];
  readonly outcomes: Readonly<Partial<Record<Outcome, number>>>;
  readonly durationMs: number;
  /** Set when an error that was not one customer's stopped the run (start nothing new): why, first one. */
  readonly halted?: string;
  /** The halt was Partner Center refusing the credential (`CredentialRefused`): the run exits 1. */
  readonly credentialRefused?: true;
  /** What bound the run (Partner Center's rate, provisioning, the cap, CPU) and the most customers at once. */
  readonly bound?: RunBoundSummary;
}

/**
 * Applies a plan: customers independently and concurrently (bounded); one blocked, stale or failed customer
 * never stops another. Customers without actions or blockers are not touched at all; a customer another apply
 * holds is reported even so (what was read of it may have been mid-change).
 *
 * An error that is not one customer's (a failed token request or journal write, a bug) stops the run the way
 * the first Ctrl-C does: nothing new starts, running actions finish and are journaled, and this returns only
 * after the last one ended — so the caller releases journal and locks after every write. It never rejects
 * while a customer is still running.
 */
export async function applyPlan(
  plan: Plan,
  deps: ExecutorDeps,
  events: EventSink,
  opts: {
    concurrency: number;
    /** Saved-plan mode: re-plan each customer before touching it (stale check, resume after a crash). */
    replan?: Replan;
    /**
     * `apply --auto-approve` without a run-wide cap: `plan` holds each selected customer's id and name only, and
     * each customer is planned from live state as it starts, then applied at once — reading and applying one
     * stream, each purchase relying on a read made moments before. Customers found in sync are left out of the report.
     */
    planFirst?: Replan;
    /** Customers another apply holds, with the message saying who. */
    locked?: ReadonlyMap<string, string>;
    /** Called once when an error stops the run (the caller cuts waits short, journals and says so). */
    onHalt?: (reason: string, cause?: unknown) => void;
  },
): Promise<RunReport> {
  const started = deps.now();
  let halted: string | undefined;
  let credentialRefused = false;
  const halt = (reason: string, cause?: unknown) => {
    if (halted !== undefined) return;
    halted = reason;
    credentialRefused = cause instanceof CredentialRefused;
    opts.onHalt?.(reason, cause);
  };
  // what one run learns of its waits lasts exactly that run
  const waits = deps.waits ?? new LearnedWaits();
  const run: ExecutorDeps = { ...deps, waits, stopping: () => halted !== undefined || deps.stopping(), halt };
  const todo = opts.planFirst ? plan.customers : plan.customers.filter((c) => c.actions.length > 0 || c.blockers.length > 0 || opts.locked?.has(c.customerId.toLowerCase()));
  // What each action did, as far as the executor got to say it: a customer that fails unexpectedly (a bug, an
  // output that throws) is then reported from this, never as "not started" after its writes.
  const seen = new Map<string, Map<string, Outcome | 'started'>>();
  events = guardedSink(events, seen, (err) => halt(`the output failed (${errorText(err)})`, err));
  events.emit({ type: 'run-start', customers: todo.length, actions: todo.reduce((n, c) => n + c.actions.length, 0), ...(opts.planFirst && { planning: true as const }) });
  // customers at once chosen by the load on Partner Center's budget, `concurrency` the cap (concurrency.ts)
  const pool = new CustomerPool(Math.max(1, opts.concurrency), deps.client.transport?.limiter);
  let paced: { at: number; limit: number; bound: string } | undefined;
  pool.onSample((limit, bound) => {
    const at = performance.now();
    if (paced && (at - paced.at < PACE_EVERY_MS || (paced.limit === limit && paced.bound === bound))) return;
    paced = { at, limit, bound };
    events.emit({ type: 'pace', customersAtOnce: limit, bound });
  });
  // planned as they start: a customer's plan while it runs, so one that fails unexpectedly still lists its actions
  const planned = new Map<string, CustomerPlan>();
  const planFirst = opts.planFirst && ((customerId: string) => opts.planFirst!(customerId).then((p) => (planned.set(customerId, p), p)));
  const reports = await Promise.all(
    todo.map((placeholder) =>
      pool.run(() =>
        applyCustomer(placeholder, run, events, { replan: opts.replan, planFirst, planHash: plan.actionsHash, locked: opts.locked?.get(placeholder.customerId.toLowerCase()) }).then(kept, (err: unknown): CustomerReport => {
          halt(errorText(err), err);
          const message = `stopped: ${errorText(err)}`;
          const c = planned.get(placeholder.customerId) ?? placeholder;
          const actions = c.actions.map((a) => {
            const did = seen.get(c.customerId)?.get(a.id);
            if (did === undefined) return { id: a.id, kind: a.kind, outcome: 'not-started' as const, message: 'not started: the customer failed unexpectedly before it' };
            if (did === 'started') return { id: a.id, kind: a.kind, outcome: 'failed-transient' as const, message: 'outcome unknown: started, then the customer failed unexpectedly; the next apply checks live state first' };
            return { id: a.id, kind: a.kind, outcome: did, message: `${did} (then the customer failed unexpectedly)` };
          });
          return { customerId: c.customerId, displayName: c.displayName, outcome: 'failed-transient', message, actions, users: [], moves: tallyMoves(actions) };
        }).finally(() => planned.delete(placeholder.customerId)),
      ),
    ),
  );
  const customers = reports.filter((r) => !r.inSync);
  const bound = pool.close();
  const outcomes: Partial<Record<Outcome, number>> = {};
  for (const o of OUTCOMES) {
    const n = customers.filter((c) => c.outcome === o).length;
    if (n > 0) outcomes[o] = n;
  }
  const durationMs = deps.now() - started;
  events.emit({ type: 'run-end', durationMs, outcomes });
  return { customers, outcomes, durationMs, ...(customers.length > 0 && { bound }), ...(halted !== undefined ? { halted } : {}), ...(credentialRefused ? { credentialRefused: true as const } : {}) };
}

/**
 * The run's sink, made safe: an emit that throws (the terminal or JSON output closed or failed) stops the run as
 * the first Ctrl-C does instead of failing the customer mid-write, and every action's start and end are noted in
 * `seen` first, so a report never says "not started" of an action that was sent.
 */
function guardedSink(events: EventSink, seen: Map<string, Map<string, Outcome | 'started'>>, failed: (err: unknown) => void): EventSink {
  const note = (customerId: string, actionId: string, what: Outcome | 'started') => {
    const mine = seen.get(customerId) ?? new Map<string, Outcome | 'started'>();
    mine.set(actionId, what);
    seen.set(customerId, mine);
  };
  return {
    emit: (e) => {
      if (e.type === 'action-start') note(e.customerId, e.actionId, 'started');
      else if (e.type === 'action-end') note(e.customerId, e.actionId, e.outcome);
      // A customer that ended reported its own actions: nothing to keep for it (a fleet's worth adds up).
      else if (e.type === 'customer-end') seen.delete(e.customerId);
      try {
        events.emit(e);
      } catch (err) {
        failed(err);
      }
    },
  };
}

/**
 * What the run keeps of a finished customer until its summary: every action but the licence moves (a few per
 * customer: purchases, waits, retirements), the licence moves that did not succeed, the tally of the rest, and
 * per-user placements only when someone did not end on the new licence. The rest went out as events already; a
 * 5,000-customer run does not hold 150,000 action reports.
 */
function kept(report: CustomerReport): CustomerReport {
  const actions = report.actions.filter((a) => a.kind !== 'reassign' || !isSuccess(a.outcome));
  const listsUsers = report.users.some((u) => u.where !== 'moved');
  return { ...report, actions, users: listsUsers ? report.users : [] };
}

/**
 * 0 when every customer succeeded (or had nothing to do) and no error stopped the run; 1 when Partner Center
 * refused the credential itself (a person must fix it, whatever ran); 4 (partial) otherwise.
 */
export function applyExitCode(report: RunReport): 0 | 1 | 4 {
  if (report.credentialRefused) return 1;
  return report.halted === undefined && report.customers.every((c) => isSuccess(c.outcome)) ? 0 : 4;
}
