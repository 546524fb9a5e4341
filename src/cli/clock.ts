import { UserError } from '../core/errors.js';
import type { CliIo } from './io.js';

/**
 * "Now" for commands that count days: the hidden `--now` flag, else PCSYNC_NOW, else the system clock.
 * Tests and reproducible reports pin it; an unreadable value is a user mistake.
 */
export function clockFrom(io: CliIo, flag: string | undefined): Date {
  const raw = flag ?? io.env.PCSYNC_NOW;
  if (raw === undefined || raw.trim() === '') return new Date();
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) {
    throw new UserError('cli.now', `${flag !== undefined ? '--now' : 'PCSYNC_NOW'}: "${raw}" is not a date (expected ISO 8601, e.g. 2026-03-01T00:00:00Z).`);
  }
  return new Date(ms);
}
