import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { makeDirs } from '../core/write-file.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { RETIREMENTS, type Action, type ActionKind } from '../plan/types.js';
import type { Outcome } from './outcomes.js';

/**
 * One line of the write-ahead journal (`<state-dir>/journal/<run>.jsonl`). Ids, outcomes and messages only:
 * never a token, secret or header. `planHash` is the applied plan's actionsHash, so a resumed `apply plan.json`
 * finds what earlier runs of the same plan did.
 */
export type JournalRecord =
  | { type: 'run-start'; run: string; at: string; pid: number; host: string; pcsyncVersion: string; mode: 'plan-file' | 'auto-approve' }
  | { type: 'plan'; run: string; at: string; planHash: string; customers: number; actions: number }
  | { type: 'action-start'; run: string; at: string; planHash: string; customerId: string; actionId: string; kind: ActionKind; requestId?: string; tag?: string }
  | {
      type: 'action-end';
      run: string;
      at: string;
      planHash: string;
      customerId: string;
      actionId: string;
      kind: ActionKind;
      outcome: Outcome;
      message: string;
      requestId?: string;
      subscriptionId?: string;
      /** Partner Center refused this customer's licence writes for the partner's roles (403 900308/900150). */
      licenceWritesRefused?: boolean;
    }
  | { type: 'customer-end'; run: string; at: string; planHash: string; customerId: string; outcome: Outcome }
  | { type: 'stop'; run: string; at: string; signal: string; abort: boolean; reason?: string }
  | { type: 'run-end'; run: string; at: string; outcomes: Partial<Record<Outcome, number>> };

/**
 * What the executor writes. Every line reaches the operating system before the call returns (so it survives a
 * killed pcsync); the lines that guard money or must survive a power loss — run start and plan, the start of a
 * purchase or suspend, customer ends, stop and run end — are also fsync'd before the call returns; the others are
 * fsync'd at least every SYNC_EVERY_MS (a lost licence-move line is re-checked against live state on resume).
 */
export interface RunJournal {
  actionStarted(action: Action, requestId?: string): void;
  actionEnded(action: Action, end: { outcome: Outcome; message: string; requestId?: string; subscriptionId?: string; licenceWritesRefused?: boolean }): void;
  customerEnded(customerId: string, outcome: Outcome): void;
}

/**
 * A journal line could not be written (disk full, file system gone read-only). The run stops: a write that
 * cannot be journaled is not sent, and every later append fails the same way, so the journal never has a hole.
 */
export class JournalWriteError extends UserError {
  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? (cause instanceof Error ? cause.message : 'error');
    super('journal.write-failed', `cannot write the apply journal ${path} (${code})`);
    this.name = 'JournalWriteError';
  }
}

/** A new run id: sorts by start time, unique enough for one state directory. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

/** The longest a journal line that is not fsync'd at once waits for the next fsync. */
const SYNC_EVERY_MS = 200;

/** Kinds of action whose start line is fsync'd before the request goes out: they spend or stop a subscription. */
const DURABLE_STARTS: ReadonlySet<ActionKind> = new Set<ActionKind>(['purchase', ...RETIREMENTS]);

/**
 * Appends JSON lines to one run's file: each line is written before the call returns, and durable lines are
 * fsync'd too (see RunJournal). One fsync per licence move cost ~3 ms of blocked event loop per user.
 */
export class FileJournal implements RunJournal {
  readonly path: string;
  #fd: number | undefined;
  /** The first append that failed: every later append fails with it (see JournalWriteError). */
  #broken: JournalWriteError | undefined;
  #lastSync = 0;

  /** actionsHash of the plan being applied; set by `plan()` before the first action. */
  planHash = '';

  private constructor(
    readonly run: string,
    path: string,
    fd: number,
  ) {
    this.path = path;
    this.#fd = fd;
  }

  /** Creates `<dir>/<run>.jsonl` and writes the run-start line. A directory that cannot be written is a UserError. */
  static open(dir: string, start: { mode: 'plan-file' | 'auto-approve'; pcsyncVersion: string }, run = newRunId()): FileJournal {
    const path = join(dir, `${run}.jsonl`);
    let fd: number;
    try {
      makeDirs(dir);
      fd = openSync(path, 'wx');
    } catch (err) {
      throw new UserError('journal.unwritable', `cannot write the apply journal in ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'}); nothing was sent. Use --state-dir or PCSYNC_STATE_DIR to put it somewhere writable.`);
    }
    syncDirectory(dir);
    const journal = new FileJournal(run, path, fd);
    journal.append({ type: 'run-start', run, at: now(), pid: process.pid, host: hostname(), ...start });
    return journal;
  }

  /** Names the plan this run applies (its actionsHash), before any action starts. */
  plan(planHash: string, customers: number, actions: number): void {
    this.planHash = planHash;
    this.append({ type: 'plan', run: this.run, at: now(), planHash, customers, actions });
  }

  /** Actions started and not ended yet in this run, in start order (what a second Ctrl-C leaves unknown). */
  readonly #inFlight = new Map<string, ActionKind>();

  /** The actions of this run that started and have not ended: `{ actionId, kind }`, in start order. */
  inFlight(): readonly { readonly actionId: string; readonly kind: ActionKind }[] {
    return [...this.#inFlight].map(([actionId, kind]) => ({ actionId, kind }));
  }

  actionStarted(action: Action, requestId?: string): void {
    this.#inFlight.set(action.id, action.kind);
    this.append({
      type: 'action-start',
      run: this.run,
      at: now(),
      planHash: this.planHash,
      customerId: action.customerId,
      actionId: action.id,
      kind: action.kind,
      ...(requestId ? { requestId } : {}),
      ...(action.kind === 'purchase' ? { tag: action.friendlyName } : {}),
    }, DURABLE_STARTS.has(action.kind));
  }

  actionEnded(action: Action, end: { outcome: Outcome; message: string; requestId?: string; subscriptionId?: string; licenceWritesRefused?: boolean }): void {
    this.#inFlight.delete(action.id);
    this.append({ type: 'action-end', run: this.run, at: now(), planHash: this.planHash, customerId: action.customerId, actionId: action.id, kind: action.kind, ...end }, false);
  }

  customerEnded(customerId: string, outcome: Outcome): void {
    this.append({ type: 'customer-end', run: this.run, at: now(), planHash: this.planHash, customerId, outcome });
  }

  stopped(signal: string, abort: boolean, reason?: string): void {
    this.append({ type: 'stop', run: this.run, at: now(), signal, abort, ...(reason ? { reason } : {}) });
  }

  ended(outcomes: Partial<Record<Outcome, number>>): void {
    this.append({ type: 'run-end', run: this.run, at: now(), outcomes });
    this.close();
  }

  close(): void {
    if (this.#fd !== undefined) {
      fsyncSync(this.#fd);
      closeSync(this.#fd);
    }
    this.#fd = undefined;
  }

  /**
   * Writes one line; fsyncs when `durable` or when the last fsync is SYNC_EVERY_MS old (licence moves are read
   * back on resume, so their lines may reach the disk a moment later). Throws JournalWriteError when it cannot
   * (and on every later call): a write that cannot be journaled is not sent.
   */
  append(record: JournalRecord, durable = true): void {
    if (this.#broken) throw this.#broken;
    if (this.#fd === undefined) return;
    try {
      testFault(this.path);
      writeSync(this.#fd, `${JSON.stringify(record)}\n`);
      const t = performance.now();
      if (durable || t - this.#lastSync >= SYNC_EVERY_MS) {
        fsyncSync(this.#fd);
        this.#lastSync = t;
      }
    } catch (err) {
      this.#broken = new JournalWriteError(this.path, err);
      throw this.#broken;
    }
  }

  /** True once an append failed. */
  get broken(): boolean {
    return this.#broken !== undefined;
  }
}

const now = () => new Date().toISOString();

/**
 * TEST ONLY: `PCSYNC_TEST_JOURNAL_ENOSPC_AFTER=<n>` makes every journal append after the first n lines of a run
 * fail with ENOSPC, as a full disk would, so end-to-end tests can check that apply stops writing. Inert unless
 * that variable is set; the README and --help do not offer it.
 */
const faultAfter = Number(process.env.PCSYNC_TEST_JOURNAL_ENOSPC_AFTER ?? NaN);
const appended = new Map<string, number>();
function testFault(path: string): void {
  if (!Number.isInteger(faultAfter)) return;
  const n = (appended.get(path) ?? 0) + 1;
  appended.set(path, n);
  if (n > faultAfter) throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC' });
}

/** Makes the new file's directory entry durable too (not supported everywhere; best effort). */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot fsync a directory; the file's own fsyncs still hold.
  }
}
