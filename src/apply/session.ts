import { hostname } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type RunReport } from './run.js';
import { FileJournal, newRunId } from './journal.js';
import { CustomerLocks, deadHere, isDeadHere, type DeadHolder } from './locks.js';
import { ciKey, ciRunOf, ciRunsOver } from './ci-run.js';
import { assumingStarted, readPriorRuns, type PriorRuns } from './prior.js';
import { onStopSignals, type StopControl, type StopSignal } from './signals.js';
import { ExitCode } from '../core/errors.js';
import { stackOf } from './failure.js';
import type { Replan } from './customer.js';
import type { EventSink } from './events.js';
import type { ExecutorDeps } from './context.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { Plan } from '../plan/types.js';
import { pcsyncVersion } from '../core/version.js';
import { inertText } from '../core/inert.js';

/** Where the session writes and what it reads of the environment: the CLI passes its CliIo (cli/io.ts). */
export interface SessionIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `listener` once when stdout or stderr can no longer be written; returns the function that stops listening. */
  readonly onOutputClosed?: (listener: (stream: 'stdout' | 'stderr', code: string) => void) => () => void;
}

/** Where an apply keeps its customer locks below the state directory (`pcsync unlock` removes them there). */
export function locksDirOf(stateDir: string): string {
  return join(stateDir, 'locks');
}

function line(write: (t: string) => void, text = ''): void {
  write(`${text}\n`);
}

/**
 * What one `pcsync apply` holds around the executor: the write-ahead journal, what earlier journals say, the
 * customer locks, and Ctrl-C handling (first: finish running actions, second: abort). Always `close()` it.
 */
export class ApplySession {
  readonly run = newRunId();
  readonly prior: PriorRuns;
  readonly journal: FileJournal;
  readonly #locks: CustomerLocks;
  readonly #held: (() => void)[] = [];
  readonly #stop: StopControl;
  readonly #unwatchOutput: () => void;
  #outputClosed: string | undefined;
  /** The first stop signal, when one came. */
  #signal: StopSignal | undefined;

  constructor(
    private readonly io: SessionIo,
    stateDir: string,
    mode: 'plan-file' | 'auto-approve',
    resume = false,
  ) {
    const journalDir = join(stateDir, 'journal');
    const prior = readPriorRuns(journalDir, (m) => line(io.stderr, `pcsync: warning: ${m}`));
    this.prior = resume ? assumingStarted(prior) : prior;
    this.journal = FileJournal.open(journalDir, { mode, pcsyncVersion: pcsyncVersion() }, this.run);
    const ci = ciRunOf(io.env);
    this.#locks = new CustomerLocks(locksDirOf(stateDir), { pid: process.pid, host: hostname(), since: new Date().toISOString(), run: this.run, ...(ci ? { ci } : {}) });
    const last = this.prior.unfinished;
    if (last && (last.pid === undefined || isDeadHere({ pid: last.pid, host: last.host ?? '' }))) {
      line(io.stderr, `Resuming: the last run (${last.run}) did not finish (${last.started} action(s) started, ${last.ended} ended). Live state is read again, so nothing is done twice.`);
    }
    this.#stop = onStopSignals({
      first: (signal) => {
        this.#signal = signal;
        this.#journalStop(signal, false);
        const again = signal === 'SIGINT' ? 'Press Ctrl-C again' : `Send ${signal} again (or press Ctrl-C)`;
        line(io.stderr, `\n${signal}: stopping — no new action starts; running ones finish and are journaled. ${again} to abort at once.`);
      },
      second: (signal) => {
        this.#journalStop(signal, true);
        this.#releaseLocks();
        const flying = this.journal.inFlight();
        const named = flying.slice(0, 10).map((a) => `${a.kind} ${inertText(a.actionId)}`).join(', ');
        const more = flying.length > 10 ? ` and ${flying.length - 10} more` : '';
        const which = flying.length > 0 ? `The outcome of ${flying.length} action(s) in flight is unknown: ${named}${more}` : 'No action was in flight';
        line(io.stderr, `\n${signal}: aborted. ${which}; the next apply checks them against live state first (a purchase is found by its order, never bought twice).`);
        process.exit(signalExitCode(signal));
      },
    });
    this.#unwatchOutput = io.onOutputClosed?.((stream, code) => this.#closedOutput(stream, code)) ?? (() => {});
  }

  /** The exit code of a run stopped by a signal, as shells expect (128 + its number): 130 for SIGINT, 143 for SIGTERM. */
  get interruptedExitCode(): number {
    return signalExitCode(this.#signal ?? 'SIGINT');
  }

  /** Why the run stopped because its output went away (`stdout was closed (EPIPE)`), if it did. */
  get outputClosed(): string | undefined {
    return this.#outputClosed;
  }

  /** The reader of stdout or stderr went away: stop as the first Ctrl-C does, and say so where it can still be read. */
  #closedOutput(stream: 'stdout' | 'stderr', code: string): void {
    if (this.#outputClosed !== undefined) return;
    this.#outputClosed = `${stream} was closed (${code})`;
    this.#stop.stop();
    this.#journalStop('output-closed', false, this.#outputClosed);
    line(stream === 'stdout' ? this.io.stderr : this.io.stdout, `\npcsync: ${this.#outputClosed}: stopping as on Ctrl-C — no new action starts; running ones finish and are journaled.`);
  }

  get stopping(): () => boolean {
    return this.#stop.stopping;
  }

  /** Calls `wake` once when the run starts stopping (Ctrl-C, an error, a closed output); returns its remover. */
  get onStop(): (wake: () => void) => () => void {
    return this.#stop.onStop;
  }

  get sleep(): (ms: number) => Promise<void> {
    return this.#stop.sleep;
  }

  /**
   * Locks these customers; returns the ones another apply holds, with a message naming the holder. A lock whose
   * holder is shown dead is released with a line saying so: its process is gone from this host, or the GitHub
   * Actions run it ran in is over (ci-run.ts) — each CI run is a new host, so a cancelled or timed-out apply's
   * locks, restored with `.pcsync/` from the cache, would otherwise block those customers in every later run.
   */
  async lock(customerIds: readonly string[]): Promise<Map<string, string>> {
    const refused = new Map<string, string>();
    const over = await ciRunsOver(customerIds.map((id) => this.#locks.holder(id)), this.io.env);
    const dead: DeadHolder = (h) => deadHere(h) ?? (h.ci ? over.get(ciKey(h.ci)) : undefined);
    for (const id of customerIds) {
      const got = this.#locks.acquire(id, dead);
      if (!got.ok) {
        refused.set(id.toLowerCase(), got.message);
        line(this.io.stderr, `${inertText(id)}: ${inertText(got.message)}`);
        continue;
      }
      this.#held.push(got.release);
      if (got.broke) line(this.io.stderr, `${inertText(id)}: released the lock of pcsync pid ${got.broke.pid} on ${inertText(String(got.broke.host))} (since ${inertText(String(got.broke.since))}): ${inertText(got.because ?? 'its holder is gone')}.`);
    }
    return refused;
  }

  /** Runs the executor over the plan with the journal and locks of this session. */
  async apply(
    plan: Plan,
    client: PartnerCenterClient,
    sink: EventSink,
    opts: { concurrency: number; userConcurrency: number; pollMs: number; maxPollMs: number; changeTimeoutMs?: number; replan?: Replan; planFirst?: Replan; locked: ReadonlyMap<string, string>; licenceAccess?: ExecutorDeps['licenceAccess'] },
  ): Promise<RunReport> {
    this.journal.plan(plan.actionsHash, plan.customers.length, plan.customers.reduce((n, c) => n + c.actions.length, 0));
    const deps = {
      // a write whose turn in the rate limit comes after the first Ctrl-C is not sent (nothing new goes out)
      client: client.stoppingWith({ stopping: this.stopping, onStop: this.onStop }, { reads: false }),
      sleep: this.sleep,
      now: () => Date.now(),
      userConcurrency: opts.userConcurrency,
      pollMs: opts.pollMs,
      maxPollMs: opts.maxPollMs,
      ...(opts.changeTimeoutMs !== undefined ? { changeTimeoutMs: opts.changeTimeoutMs } : {}),
      stopping: this.stopping,
      journal: this.journal,
      prior: this.prior,
      ...(opts.licenceAccess && { licenceAccess: opts.licenceAccess }),
    };
    const report = await applyPlan(plan, deps, sink, { concurrency: opts.concurrency, replan: opts.replan, planFirst: opts.planFirst, locked: opts.locked, onHalt: (reason, cause) => this.#halt(reason, cause) });
    try {
      this.journal.ended(report.outcomes);
    } catch {
      // the journal broke during the run; the run was stopped and said so then
    }
    return report;
  }

  /** The run stopped before the executor started (while reading live state): the journal says it ended with no outcome. */
  endedBeforeApplying(): void {
    this.journal.ended({});
  }

  /** An error stopped the run: as the first Ctrl-C — nothing new starts, waits end, running actions finish. */
  #halt(reason: string, cause: unknown): void {
    this.#stop.stop();
    this.#journalStop('error', false, reason);
    const journaled = this.journal.broken ? 'finish (the journal cannot be written, so nothing more is sent)' : 'finish and are journaled';
    line(this.io.stderr, `\nStopping the run: ${reason}. No new action starts; running ones ${journaled}.`);
    const stack = stackOf(cause);
    if (stack) line(this.io.stderr, stack);
  }

  /** Journals a stop if the journal still can be written (a broken one was reported when it broke). */
  #journalStop(signal: string, abort: boolean, reason?: string): void {
    try {
      this.journal.stopped(signal, abort, reason);
    } catch {
      // nothing more can be journaled; the stop itself is on stderr
    }
  }

  /** Releases every lock and closes the journal; one that fails is reported and the others still go. */
  close(): void {
    this.#stop.dispose();
    this.#unwatchOutput();
    this.#releaseLocks();
    try {
      this.journal.close();
    } catch (err) {
      line(this.io.stderr, `warning: could not close the apply journal ${this.journal.path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }

  #releaseLocks(): void {
    for (const release of this.#held.splice(0)) {
      try {
        release();
      } catch (err) {
        line(this.io.stderr, `warning: could not remove a customer lock (${(err as NodeJS.ErrnoException).code ?? String(err)}); pcsync unlock <customer> removes it`);
      }
    }
  }
}

/** 128 + the signal's number (POSIX shells' convention): SIGINT 2 → 130, SIGTERM 15 → 143. */
function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGTERM' ? 143 : ExitCode.interrupted;
}
