import { ExitCode } from '../../core/errors.js';
import { breakLock } from '../../apply/locks.js';
import { locksDirOf } from '../../apply/session.js';
import { stateDirOf } from '../state-dir.js';
import { line, type CliIo } from '../io.js';
import { inertText as v } from '../../core/inert.js';

/** `pcsync unlock <customer…>`: removes customer locks left by an apply that no longer runs (e.g. on another machine). */
export function unlockCommand(io: CliIo, customers: readonly string[], opts: { stateDir?: string }): number {
  const dir = locksDirOf(stateDirOf(io, opts.stateDir));
  for (const id of customers) {
    const holder = breakLock(dir, id);
    line(io.stdout, holder ? `${v(id)}: removed the lock of pcsync pid ${v(String(holder.pid))} on ${v(String(holder.host))} (since ${v(String(holder.since))}).` : `${v(id)}: not locked.`);
  }
  return ExitCode.ok;
}
