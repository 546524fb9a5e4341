import pLimit from 'p-limit';
import { ApiError, ReadOnlyViolation } from '../partner-center/errors.js';
import { awaitProvisioning, purchase, reassign, suspend, type ActionResult } from './actions.js';
import { CustomerRunState, type ExecutorDeps } from './context.js';
import { customerOutcome, isSuccess, type Outcome } from './outcomes.js';
import type { EventSink } from './events.js';
import type { LiveCustomer } from '../live/types.js';
import type { Action, CustomerPlan } from '../plan/types.js';

/** One action's result, as the run summary lists it. */
export interface ActionReport {
  readonly id: string;
  readonly kind: Action['kind'];
  readonly outcome: Outcome;
  readonly message: string;
}

export interface CustomerReport {
  readonly customerId: string;
  readonly displayName: string;
  readonly outcome: Outcome;
  /** Why the customer ended as it did, in one line. */
  readonly message: string;
  /** Every planned action with what happened to it: what was done before a failure stays visible. */
  readonly actions: readonly ActionReport[];
}

/** Re-reads one customer's live state (to compare fingerprints before touching it). */
export type Reread = (customerId: string) => Promise<LiveCustomer>;

/**
 * The reconcile ladder for one customer: blocked? → stale? → each phase in order (purchase, await,
 * reassign users concurrently, suspend), stopping at the first failure. Decides from observed state.
 */
export async function applyCustomer(plan: CustomerPlan, deps: ExecutorDeps, events: EventSink, reread?: Reread): Promise<CustomerReport> {
  const started = deps.now();
  const report = (outcome: Outcome, message: string, actions: ActionReport[]): CustomerReport => {
    events.emit({ type: 'customer-end', customerId: plan.customerId, displayName: plan.displayName, outcome, message, durationMs: deps.now() - started });
    return { customerId: plan.customerId, displayName: plan.displayName, outcome, message, actions };
  };
  events.emit({ type: 'customer-start', customerId: plan.customerId, displayName: plan.displayName, actions: plan.actions.length });

  if (plan.blockers.length > 0) {
    return report('skipped-blocked', plan.blockers.map((b) => b.message).join('; '), notStarted(plan.actions, 'skipped-blocked'));
  }
  if (reread) {
    const live = await reread(plan.customerId);
    if (live.fingerprint !== plan.fingerprint) {
      return report('skipped-stale', 'live state changed since the plan was made; nothing was sent — run plan again', notStarted(plan.actions, 'skipped-stale'));
    }
  }

  const run = new CustomerRunState();
  const results = new Map<string, ActionReport>();
  for (const phase of phasesOf(plan.actions)) {
    if (deps.stopping()) break;
    const limit = pLimit(phase[0]!.kind === 'reassign' ? deps.userConcurrency : 1);
    let failed = false;
    await Promise.all(
      phase.map((action) =>
        limit(async () => {
          if (failed || deps.stopping()) return;
          const result = await runAction(action, deps, run, events);
          results.set(action.id, result);
          if (!isSuccess(result.outcome)) failed = true;
        }),
      ),
    );
    if (failed) break;
  }
  const actions = plan.actions.map((a) => results.get(a.id) ?? { id: a.id, kind: a.kind, outcome: 'not-started' as const, message: 'not started' });
  const outcome = customerOutcome(actions.map((a) => a.outcome));
  const failure = actions.find((a) => a.outcome.startsWith('failed'));
  const message = failure ? `stopped: ${failure.message}` : outcome === 'not-started' ? 'interrupted before all actions ran' : `${actions.filter((a) => a.outcome === 'applied').length} action(s) applied`;
  return report(outcome, message, actions);
}

async function runAction(action: Action, deps: ExecutorDeps, run: CustomerRunState, events: EventSink): Promise<ActionReport> {
  const started = deps.now();
  events.emit({ type: 'action-start', customerId: action.customerId, actionId: action.id, kind: action.kind });
  let result: ActionResult;
  try {
    result = await dispatch(action, deps, run);
  } catch (err) {
    result = fromError(err);
  }
  events.emit({ type: 'action-end', customerId: action.customerId, actionId: action.id, kind: action.kind, outcome: result.outcome, message: result.message, durationMs: deps.now() - started });
  return { id: action.id, kind: action.kind, outcome: result.outcome, message: result.message };
}

function dispatch(action: Action, deps: ExecutorDeps, run: CustomerRunState): Promise<ActionResult> {
  switch (action.kind) {
    case 'purchase':
      return purchase(action, deps, run);
    case 'await-provisioning':
      return awaitProvisioning(action, deps, run);
    case 'reassign':
      return reassign(action, deps);
    case 'suspend':
      return suspend(action, deps);
  }
}

function fromError(err: unknown): ActionResult {
  if (err instanceof ApiError) {
    return { outcome: err.failure === 'terminal' ? 'failed-terminal' : 'failed-transient', message: err.userMessage };
  }
  if (err instanceof ReadOnlyViolation) return { outcome: 'failed-terminal', message: err.message };
  throw err;
}

/** Consecutive actions of the same kind form a phase; the plan is already in phase order. */
function phasesOf(actions: readonly Action[]): Action[][] {
  const phases: Action[][] = [];
  for (const a of actions) {
    const last = phases[phases.length - 1];
    if (last && last[0]!.kind === a.kind) last.push(a);
    else phases.push([a]);
  }
  return phases;
}

function notStarted(actions: readonly Action[], outcome: Outcome): ActionReport[] {
  return actions.map((a) => ({ id: a.id, kind: a.kind, outcome, message: 'nothing sent' }));
}
