import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { makeDirs } from '../core/write-file.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

/** Who holds a customer lock: written into `<state-dir>/locks/<customer>.lock` when it is taken. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  /** Journal run id of the holder. */
  readonly run?: string;
  /** The GitHub Actions run the holder ran in, when it ran in one (each CI run is a new host). */
  readonly ci?: CiRun;
}

/** A GitHub Actions workflow run attempt: `GITHUB_REPOSITORY`, `GITHUB_RUN_ID`, `GITHUB_RUN_ATTEMPT` of its job. */
export interface CiRun {
  readonly repository: string;
  readonly runId: string;
  readonly runAttempt: number;
}

/**
 * Why a holder can be shown dead (its process, its CI run), or undefined when it may still be running. Must be
 * sure: a lock is only ever released on proof.
 */
export type DeadHolder = (holder: LockHolder) => string | undefined;

/** The holder's process no longer runs on this host (another host: never assumed). */
export const deadHere: DeadHolder = (h) => (isDeadHere(h) ? `pcsync pid ${h.pid} no longer runs on ${h.host}` : undefined);

export type LockResult =
  | {
      readonly ok: true;
      readonly release: () => void;
      /** A dead holder's lock this call removed, and why it was dead. */
      readonly broke?: LockHolder;
      readonly because?: string;
    }
  | { readonly ok: false; readonly holder: LockHolder | undefined; readonly message: string };

/** Customer locks of one state directory, so two applies never work on the same customer at once. */
export class CustomerLocks {
  constructor(
    readonly dir: string,
    readonly self: LockHolder,
  ) {}

  /**
   * Takes the lock by an atomic, exclusive create. A lock whose holder `dead` shows dead (by default: a process that
   * no longer runs on this host) is broken; any other holder is reported with how to break it.
   */
  acquire(customerId: string, dead: DeadHolder = deadHere): LockResult {
    const path = lockPath(this.dir, customerId);
    let broke: { holder: LockHolder; because: string } | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (create(path, this.self)) return { ok: true, release: () => removeIf(path, this.self), ...(broke ? { broke: broke.holder, because: broke.because } : {}) };
      const holder = readHolder(path);
      const because = holder ? dead(holder) : undefined;
      if (!holder || because === undefined || !breakStale(path, holder)) {
        return { ok: false, holder, message: heldMessage(customerId, path, holder) };
      }
      broke = { holder, because };
    }
    return { ok: false, holder: readHolder(path), message: heldMessage(customerId, path, readHolder(path)) };
  }

  /** Who holds a customer's lock now, if anyone (read only). */
  holder(customerId: string): LockHolder | undefined {
    return readHolder(lockPath(this.dir, customerId));
  }
}

/** `pcsync unlock`: removes a customer's lock whoever holds it; returns the holder it removed. */
export function breakLock(dir: string, customerId: string): LockHolder | undefined {
  const path = lockPath(dir, customerId);
  if (!existsSync(path)) return undefined;
  if (!lstatSync(path).isFile()) throw new UserError('lock.not-a-file', `${path} is not a lock file (a directory or a link?); remove it by hand after checking what it is.`);
  const holder = readHolder(path);
  unlinkSync(path);
  return holder ?? { pid: 0, host: 'unknown', since: 'unknown' };
}

function lockPath(dir: string, customerId: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(customerId)) throw new UserError('lock.customer-id', `customer id "${customerId}" cannot name a lock file.`);
  return join(dir, `${customerId.toLowerCase()}.lock`);
}

/**
 * Writes the holder to a private file, then links it to the lock path: the link is the atomic, exclusive create
 * (EEXIST when held), and a lock never exists without its holder written in it, even if pcsync is killed midway.
 */
function create(path: string, self: LockHolder): boolean {
  makeDirs(join(path, '..'));
  const draft = `${path}.${process.pid}-${randomBytes(3).toString('hex')}.tmp`;
  try {
    const fd = openSync(draft, 'wx');
    try {
      writeSync(fd, `${JSON.stringify(self)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(draft, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new UserError('lock.unwritable', `cannot create the lock ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); use --state-dir or PCSYNC_STATE_DIR.`);
  } finally {
    rmSync(draft, { force: true });
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** True when `h` names a process on this host that no longer runs (another host: never assumed). */
export function isDeadHere(h: { pid: number; host: string }): boolean {
  if (h.host !== hostname() || h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Moves the stale lock aside, and only deletes it if it is still the one judged stale (another process may have won). */
function breakStale(path: string, stale: LockHolder): boolean {
  const aside = `${path}.stale-${process.pid}-${randomBytes(3).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return true; // someone else moved it first: try to create again
  }
  const moved = readHolder(aside);
  if (moved && moved.pid === stale.pid && moved.since === stale.since && moved.host === stale.host) {
    unlinkSync(aside);
    return true;
  }
  try {
    linkSync(aside, path); // put back a live holder's lock that appeared meanwhile
  } catch {
    // the path was taken again; the moved lock is gone either way
  }
  unlinkSync(aside);
  return false;
}

function removeIf(path: string, self: LockHolder): void {
  const h = readHolder(path);
  if (h && h.pid === self.pid && h.since === self.since && h.host === self.host) unlinkSync(path);
}

function heldMessage(customerId: string, path: string, h: LockHolder | undefined): string {
  const ci = h?.ci ? `, GitHub Actions run ${h.ci.runId} attempt ${h.ci.runAttempt} of ${h.ci.repository}` : '';
  const who = h ? `pcsync pid ${h.pid} on ${h.host} since ${h.since}${h.run ? ` (run ${h.run}${ci})` : ci ? ` (${ci.slice(2)})` : ''}` : `an unreadable lock file ${path}`;
  return `locked by ${who}; another apply is working on this customer, nothing was sent. If that process is gone, run: pcsync unlock ${customerId}`;
}
