import { resolve } from 'node:path';
import type { CliIo } from './io.js';

/** `--state-dir`, else PCSYNC_STATE_DIR, else `.pcsync` — relative to the working directory. */
export function stateDirOf(io: CliIo, flag: string | undefined): string {
  return resolve(io.cwd, flag ?? io.env.PCSYNC_STATE_DIR ?? '.pcsync');
}
