import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { ApiError, ReadOnlyViolation, StoppedBeforeSending } from '../partner-center/errors.js';
import { awaitProvisioning, oldName, purchase, reassign } from './actions.js';
import type { ActionReport, ActionResult, Placement } from './action-result.js';
export type { ActionReport } from './action-result.js';
import { retire } from './retire.js';
import { scheduleRenewal } from './renewal.js';
import { CustomerRunState, type ExecutorDeps } from './context.js';
import { customerOutcome, isSuccess, type Outcome } from './outcomes.js';
import { resumeApproved } from './resume.js';
import { Interrupted } from './signals.js';
import { errorText } from './failure.js';
import { gdapBeforeBuying } from './gdap-guard.js';
import { UserError } from '../core/errors.js';
import { CredentialRefused, credentialFailure } from '../partner-center/auth-errors.js';
import type { EventSink, UserPlacement } from './events.js';
import { onlyGraphUnanswered, planDifference, samePlan } from './replan-check.js';
import type { Action, CustomerPlan } from '../plan/types.js';

/** One action's result, as the run summary lists it. */
export interface CustomerReport {
  readonly customerId: string;
  readonly displayName: string;
  readonly outcome: Outcome;
  /** Why the customer ended as it did, in one line. */
  readonly message: string;
  /** Every planned action with what happened to it: what was done before a failure stays visible. */
  readonly actions: readonly ActionReport[];
  /** Per user with a planned licence move: which licence they hold now. */
  readonly users: readonly UserPlacement[];
  /** Licence moves: planned, applied by this run (one write each), already done before it (nothing sent). */
  readonly moves: MoveTally;
  /** Planned as it started (`planFirst`) and found in sync: nothing to do, not part of the run's outcomes. */
  readonly inSync?: true;
}

export interface MoveTally {
  readonly planned: number;
  readonly applied: number;
  readonly alreadyDone: number;
}

/** The licence moves among a customer's action reports, counted. */
export function tallyMoves(actions: readonly ActionReport[]): MoveTally {
  const moves = actions.filter((a) => a.kind === 'reassign');
  return { planned: moves.length, applied: moves.filter((a) => a.outcome === 'applied').length, alreadyDone: moves.filter((a) => a.outcome === 'already-done').length };
}

/** Plans one customer again from live state (reads it, then the pure planner): the stale check of `apply plan.json`. */
export type Replan = (customerId: string) => Promise<CustomerPlan>;

export interface CustomerRunOptions {
  /** Saved-plan mode: re-plan before touching the customer and refuse it when live state moved on. */
  readonly replan?: Replan;
  /** actionsHash of the plan being applied (journal key). */
  readonly planHash?: string;
  /** Set when another apply holds this customer's lock: nothing is sent. */
  readonly locked?: string;
  /**
   * `apply --auto-approve` without a run-wide cap: the customer's plan is made now, from live state read just
   * before it is applied (the plan given is a placeholder: id and name). A customer already in sync ends with a
   * `customer-in-sync` event and `inSync` on its report.
   */
  readonly planFirst?: Replan;
}

/**
 * The reconcile ladder for one customer: blocked? → stopping? → locked? → stale (or resumable)? → each phase
 * in order (purchase, await, reassign users concurrently, suspend), stopping at the first failure. Decides
 * from observed state; the journal only says what earlier runs did.
 */
export async function applyCustomer(given: CustomerPlan, deps: ExecutorDeps, events: EventSink, opts: CustomerRunOptions = {}): Promise<CustomerReport> {
  let plan = given;
  if (opts.planFirst) {
    if (deps.stopping()) return notPlanned(plan, events, 'stop requested before this customer was read; nothing was sent');
    try {
      plan = await opts.planFirst(plan.customerId);
    } catch (err) {
      // a read dropped because the run is stopping: this customer is simply not started
      if (err instanceof StoppedBeforeSending || err instanceof Interrupted) return notPlanned(plan, events, 'stop requested while this customer was read; nothing was sent');
      const refused = replanFailed(err, deps);
      if (refused === 'credential') return notPlanned(plan, events, 'not started: Partner Center refused the credential (the run stopped; see below)');
      return notPlanned(plan, events, `could not read live state: ${errorText(err)}; nothing was sent`, refused === 'own' ? 'failed-transient' : 'not-started');
    }
    if (plan.actions.length === 0 && plan.blockers.length === 0 && !opts.locked) {
      events.emit({ type: 'customer-in-sync', customerId: plan.customerId });
      return { customerId: plan.customerId, displayName: plan.displayName, outcome: 'already-done', message: 'in sync: nothing to do', actions: [], users: [], moves: tallyMoves([]), inSync: true };
    }
  }
  const started = deps.now();
  const report = (outcome: Outcome, message: string, actions: readonly ActionReport[], results?: ReadonlyMap<string, ActionResult>): CustomerReport => {
    const users = placements(plan.actions, actions, results);
    const partial = users.some((u) => u.where !== 'moved');
    events.emit({ type: 'customer-end', customerId: plan.customerId, displayName: plan.displayName, outcome, message, durationMs: deps.now() - started, ...(partial ? { users } : {}) });
    if (outcome !== 'skipped-blocked') journaled(deps, () => deps.journal?.customerEnded(plan.customerId, outcome));
    return { customerId: plan.customerId, displayName: plan.displayName, outcome, message, actions, users, moves: tallyMoves(actions) };
  };
  events.emit({ type: 'customer-start', customerId: plan.customerId, displayName: plan.displayName, actions: plan.actions.length });

  if (plan.blockers.length > 0) {
    return report('skipped-blocked', plan.blockers.map((b) => b.message).join('; '), notStarted(plan.actions, 'skipped-blocked'));
  }
  if (deps.stopping()) return report('not-started', 'stop requested before this customer started; nothing was sent', notStarted(plan.actions, 'not-started'));
  if (opts.locked) return report('failed-transient', opts.locked, notStarted(plan.actions, 'not-started'));

  let todo: readonly Action[] = plan.actions;
  const results = new Map<string, ActionResult>();
  const reports = new Map<string, ActionReport>();
  if (opts.replan) {
    let fresh: CustomerPlan;
    try {
      fresh = await opts.replan(plan.customerId);
    } catch (err) {
      const refused = replanFailed(err, deps);
      // Said once, for the run (the summary's "Stopped by an error"), not once per customer.
      if (refused === 'credential') return report('not-started', 'not started: Partner Center refused the credential (the run stopped; see below)', notStarted(plan.actions, 'not-started'));
      return report(refused === 'own' && !(err instanceof ApiError) ? 'failed-terminal' : 'failed-transient', `could not re-read live state: ${errorText(err)}; nothing was sent`, notStarted(plan.actions, 'not-started'));
    }
    if (!samePlan(plan, fresh)) {
      const hash = opts.planHash ?? '';
      // Not changed by an earlier run of this plan: someone or something else did, or the service answers otherwise.
      if (plan.blockers.length === 0 && fresh.blockers.length > 0 && fresh.blockers.every((b) => b.retry)) {
        // A read that failed or lagged is not a changed plan: the approved plan still stands, try again.
        return report('failed-transient', `live state cannot be read fully now: ${fresh.blockers[0]!.message}; nothing was sent — run apply again later (the approved plan still stands)`, notStarted(plan.actions, 'not-started'));
      }
      if (onlyGraphUnanswered(plan, fresh)) {
        const said = fresh.warnings.find((w) => w.code === 'gdap-read-failed')!.message;
        return report('failed-transient', `the GDAP pre-check cannot be made now: ${said}; nothing was sent — run apply again later (the approved plan still stands)`, notStarted(plan.actions, 'not-started'));
      }
      if (!deps.prior?.touched(hash, plan.customerId)) {
        return report('skipped-stale', `pcsync plans something else for this customer now: ${planDifference(plan, fresh)}; nothing was sent — run plan again and review the new plan`, notStarted(plan.actions, 'skipped-stale'));
      }
      const resumed = resumeApproved(plan, fresh, (id) => deps.prior?.finishedBy(hash, id));
      if (!resumed.ok) return report('skipped-stale', resumed.message, notStarted(plan.actions, 'skipped-stale'));
      todo = resumed.todo;
      for (const d of resumed.done) reports.set(d.id, d);
    }
  }

  const refusal = await gdapBeforeBuying(plan.customerId, todo, deps);
  if (refusal) {
    const stopped = plan.actions.map(
      (a): ActionReport =>
        reports.get(a.id) ??
        (a.kind === 'purchase' && todo.includes(a)
          ? { id: a.id, kind: a.kind, outcome: 'failed-terminal', message: refusal }
          : { id: a.id, kind: a.kind, outcome: 'not-started', message: 'not started: an earlier action of this customer failed' }),
    );
    return report('failed-terminal', `stopped: ${refusal}`, stopped);
  }

  const run = new CustomerRunState();
  const phases = provingFirst(todo);
  // A refusal about one user, in the first move sent alone, still lets the rest of that group's moves go on.
  let userRefused = false;
  for (const [i, phase] of phases.entries()) {
    if (deps.stopping()) break;
    const limit = pLimit(phase[0]!.kind === 'reassign' ? deps.userConcurrency : 1);
    let failed = false;
    let stopAfterPhase = false;
    // allSettled: the customer never returns (and the run never releases its journal and locks) while one of
    // its licence moves is still in flight.
    const settled = await Promise.allSettled(
      phase.map((action) =>
        limit(async () => {
          if (failed || deps.stopping()) return;
          const result = await runAction(action, deps, run, events);
          results.set(action.id, result);
          reports.set(action.id, { id: action.id, kind: action.kind, outcome: result.outcome, message: result.message });
          if (!isSuccess(result.outcome)) {
            // A refusal about one user only lets the other users' moves go on, but nothing after them.
            if (result.perUser) stopAfterPhase = true;
            else failed = true;
          }
        }),
      ),
    );
    const thrown = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (thrown) throw thrown.reason;
    if (failed) break;
    const probe = phase.length === 1 && phase[0]!.kind === 'reassign' && phases[i + 1]?.[0]?.kind === 'reassign';
    if (userRefused || (stopAfterPhase && !probe)) break;
    userRefused = stopAfterPhase;
  }
  const why = deps.stopping() ? 'not started: stop requested' : [...reports.values()].some((r) => !isSuccess(r.outcome)) ? 'not started: an earlier action of this customer failed' : 'not started';
  const actions = plan.actions.map((a) => reports.get(a.id) ?? { id: a.id, kind: a.kind, outcome: 'not-started' as const, message: why });
  const outcome = customerOutcome(actions.map((a) => a.outcome));
  const failure = actions.find((a) => a.outcome.startsWith('failed'));
  const applied = actions.filter((a) => a.outcome === 'applied').length;
  const message = failure
    ? `stopped: ${failure.message}`
    : outcome === 'not-started'
      ? 'interrupted before anything was sent; run apply again to continue'
      : outcome === 'partly-applied'
        ? `${applied} action(s) applied, ${actions.filter((a) => a.outcome === 'not-started').length} not started: the run stopped; run apply again to continue`
        : `${applied} action(s) applied`;
  return report(outcome, message, actions, results);
}

/**
 * A read for a re-plan (or a plan made as the customer starts) that threw: `own` when it is this customer's problem
 * (Partner Center's answer, or a customer the plan names but desired state lacks); anything else that is not
 * Partner Center's answer (a failed sign-in, a bug) may hit every customer and stops the run, as Ctrl-C does.
 */
function replanFailed(err: unknown, deps: ExecutorDeps): 'own' | 'credential' | 'run' {
  const credential = credentialFailure(err);
  const own = (err instanceof ApiError && !credential) || (err instanceof UserError && err.code === 'plan.unknown-customer');
  if (own) return 'own';
  halt(deps, credential ? new CredentialRefused(credential) : err);
  return credential ? 'credential' : 'run';
}

/** A customer planned as it starts that ended before it had a plan: one start and end, nothing sent. */
function notPlanned(plan: CustomerPlan, events: EventSink, message: string, outcome: Outcome = 'not-started'): CustomerReport {
  events.emit({ type: 'customer-start', customerId: plan.customerId, displayName: plan.displayName, actions: 0 });
  events.emit({ type: 'customer-end', customerId: plan.customerId, displayName: plan.displayName, outcome, message, durationMs: 0 });
  return { customerId: plan.customerId, displayName: plan.displayName, outcome, message, actions: [], users: [], moves: tallyMoves([]) };
}

async function runAction(action: Action, deps: ExecutorDeps, run: CustomerRunState, events: EventSink): Promise<ActionResult> {
  const started = deps.now();
  const requestId = action.kind === 'purchase' ? action.requestId : action.kind === 'reassign' ? randomUUID() : undefined;
  // Write-ahead: an action whose start cannot be journaled is not sent, and the run stops.
  if (!journaled(deps, () => deps.journal?.actionStarted(action, requestId))) {
    return { outcome: 'failed-transient', message: 'not sent: the apply journal cannot be written, so the run stopped' };
  }
  events.emit({ type: 'action-start', customerId: action.customerId, actionId: action.id, kind: action.kind });
  let result: ActionResult;
  try {
    result = await dispatch(action, deps, run, requestId);
  } catch (err) {
    result = fromError(err, deps);
  }
  journaled(deps, () =>
    deps.journal?.actionEnded(action, {
      outcome: result.outcome,
      message: result.message,
      ...(requestId ? { requestId } : {}),
      ...(result.subscriptionId ? { subscriptionId: result.subscriptionId } : {}),
      ...(result.licenceWritesRefused ? { licenceWritesRefused: true } : {}),
    }),
  );
  events.emit({ type: 'action-end', customerId: action.customerId, actionId: action.id, kind: action.kind, outcome: result.outcome, message: result.message, durationMs: deps.now() - started });
  return result;
}

function dispatch(action: Action, deps: ExecutorDeps, run: CustomerRunState, requestId: string | undefined): Promise<ActionResult> {
  switch (action.kind) {
    case 'purchase':
      return purchase(action, deps, run);
    case 'await-provisioning':
      return awaitProvisioning(action, deps, run);
    case 'reassign':
      return reassign(action, deps, requestId);
    case 'suspend':
    case 'cancel':
    case 'end-at-term':
      return retire(action, deps);
    case 'schedule-renewal':
      return scheduleRenewal(action, deps);
  }
}

/**
 * What a failed action reports. Partner Center's refusals are the action's own; any other error (a token
 * request that failed, a bug) fails the action with the error named and stops the run, as the first Ctrl-C
 * does: whether the request was sent is not known, and the next apply reads live state first.
 */
function fromError(err: unknown, deps: ExecutorDeps): ActionResult {
  const credential = credentialFailure(err);
  if (credential) {
    // The credential, not this action: every later request would be refused alike.
    halt(deps, new CredentialRefused(credential));
    // Said once, for the run (the summary's "Stopped by an error"), not once per action.
    return { outcome: 'failed-transient', message: 'not done: Partner Center refused the credential (the run stopped; see below)' };
  }
  if (err instanceof ApiError) {
    return { outcome: err.failure === 'terminal' ? 'failed-terminal' : 'failed-transient', message: err.userMessage };
  }
  if (err instanceof ReadOnlyViolation) return { outcome: 'failed-terminal', message: err.message };
  // A wait cut short by a stop changed nothing: the action is not done, not failed.
  if (err instanceof Interrupted) return { outcome: 'not-started', message: `${err.message} — run apply again to continue` };
  // Its turn in the rate limit came after the stop: nothing was sent (session.ts writes through a stopping client).
  if (err instanceof StoppedBeforeSending) return { outcome: 'not-started', message: 'not sent: the run was stopping when its turn in the rate limit came — run apply again to continue' };
  halt(deps, err);
  return { outcome: 'failed-transient', message: `${errorText(err)}; the run was stopped — run apply again to continue` };
}

/** Runs one journal append; a failed append stops the run (nothing more is sent) and returns false. */
function journaled(deps: ExecutorDeps, append: () => void): boolean {
  try {
    append();
    return true;
  } catch (err) {
    halt(deps, err);
    return false;
  }
}

function halt(deps: ExecutorDeps, err: unknown): void {
  deps.halt?.(errorText(err), err);
}

/**
 * When something a customer's licence moves need could not be verified before buying (a purchase's "not
 * verified", e.g. no Graph token for the GDAP pre-check), each purchase is followed by its own wait and the moves
 * onto it before the next purchase: a licence write refused for permissions then stops the customer before it
 * buys a second subscription it cannot use. The first move of each such group is sent alone (the rest after it
 * succeeds), so a refusal costs one write. Retirements stay last. Otherwise the plan's order, phase by phase.
 */
export function provingFirst(actions: readonly Action[]): Action[][] {
  const purchases = actions.filter((a) => a.kind === 'purchase');
  if (!purchases.some((p) => p.kind === 'purchase' && (p.notVerified?.length ?? 0) > 0)) return phasesOf(actions);
  const used = new Set<Action>();
  const phases: Action[][] = [];
  for (const p of purchases) {
    const wait = actions.find((a) => a.kind === 'await-provisioning' && a.purchaseActionId === p.id);
    const sku = wait?.kind === 'await-provisioning' ? wait.skuId : p.kind === 'purchase' ? p.skuId : undefined;
    const moves = actions.filter((a) => a.kind === 'reassign' && sku !== undefined && a.assignSkuId?.toLowerCase() === sku.toLowerCase() && !used.has(a));
    for (const a of [p, ...(wait ? [wait] : []), ...moves]) used.add(a);
    phases.push([p]);
    if (wait) phases.push([wait]);
    if (moves.length > 0) phases.push([moves[0]!]);
    if (moves.length > 1) phases.push(moves.slice(1));
  }
  return [...phases, ...phasesOf(actions.filter((a) => !used.has(a)))];
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

/**
 * Who holds what after the run, per user with a planned move. A licence update is all or nothing, so a move
 * that was not sent or was refused leaves the old licence; an unresolved unknown outcome says so.
 */
function placements(planned: readonly Action[], reports: readonly ActionReport[], results?: ReadonlyMap<string, ActionResult>): UserPlacement[] {
  const outcomes = new Map(reports.map((r) => [r.id, r.outcome]));
  return planned.flatMap((a): UserPlacement[] => {
    if (a.kind !== 'reassign') return [];
    const outcome = outcomes.get(a.id) ?? 'not-started';
    const placement: Placement = results?.get(a.id)?.placement ?? (isSuccess(outcome) ? 'new' : results?.has(a.id) ? 'unknown' : 'old');
    const holds = placement === 'new' ? (a.assignName ?? 'old licence removed') : placement === 'old' ? oldName(a) : 'unknown — check in Partner Center';
    return [{ upn: a.upn, where: placement === 'new' ? 'moved' : placement === 'old' ? 'not-moved' : 'unknown', holds, outcome }];
  });
}
