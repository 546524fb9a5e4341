import { UserError } from '../core/errors.js';
import { excerpt } from '../core/inert.js';
import type { CliIo } from './io.js';

/** `2026-03-01`, or a time with a zone: `2026-03-01T09:30:00Z`, `2026-03-01T09:30+01:00` (seconds and fractions optional). */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * "Now" for commands that count days (report, import, undo): the hidden `--now` flag, else PCSYNC_NOW, else the
 * system clock. Tests and reproducible reports pin it. Only ISO 8601 is read: a date (midnight UTC) or a time
 * with its zone (`Z` or `±hh:mm`) — a time without one would silently mean this machine's zone — and the date
 * must exist (`2026-02-30` is refused, where `Date.parse` rolls it into March). Anything else is a UserError.
 */
export function clockFrom(io: CliIo, flag: string | undefined): Date {
  const raw = flag ?? io.env.PCSYNC_NOW;
  if (raw === undefined || raw.trim() === '') return new Date();
  const name = flag !== undefined ? '--now' : 'PCSYNC_NOW';
  const value = raw.trim();
  const m = ISO.exec(value);
  const refuse = (why: string) => new UserError('cli.now', `${name}: ${excerpt(raw, 60)} ${why} (expected ISO 8601: 2026-03-01, or a time with its zone, e.g. 2026-03-01T00:00:00Z).`);
  if (!m) throw refuse('is not a date');
  if (m[4] !== undefined && m[7] === undefined) throw refuse('has a time but no zone (add Z for UTC, or an offset such as +01:00)');
  const ms = Date.parse(m[4] === undefined ? `${value}T00:00:00Z` : value);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (Number.isNaN(ms) || day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) {
    throw refuse('is not a date that exists');
  }
  return new Date(ms);
}
