import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { readSavedPlan } from '../../apply/plan-file.js';
import { render, type RenderFormat } from '../../render/index.js';
import { DEFAULT_WIDTH } from '../../render/wrap.js';
import type { CliIo } from '../io.js';

export interface ShowOptions {
  readonly format: RenderFormat;
  readonly hideUsers?: boolean;
  /** Terminal columns for text (default: the terminal's, else 100). */
  readonly width?: number;
}

/**
 * Renders a saved plan completely — every customer, every action, no size limit — for the reviewer who
 * opens the CI artefact. Reads only the file (no network); a file pcsync did not make is refused.
 */
export function showCommand(io: CliIo, file: string, opts: ShowOptions): number {
  const plan = readSavedPlan(resolve(io.cwd, file), file);
  io.stdout(render(plan, opts.format, { complete: true, hideUsers: opts.hideUsers, width: opts.width ?? DEFAULT_WIDTH }));
  return ExitCode.ok;
}
