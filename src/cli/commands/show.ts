import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { readSavedPlan } from '../../apply/plan-file.js';
import { renderChunks, type RenderFormat } from '../../render/index.js';
import type { CliIo } from '../io.js';

export interface ShowOptions {
  readonly format: RenderFormat;
  readonly hideUsers?: boolean;
  /** Text: columns to wrap at (the terminal's when stdout is one, or --width); undefined = no wrapping (a pipe, a CI log). */
  readonly width?: number;
  /** Markdown sized for a pull-request comment (as `plan --format markdown`), linking to `fullPlanLink`. */
  readonly comment?: boolean;
  readonly fullPlanLink?: string;
}

/**
 * Renders a saved plan completely — every customer, every action, no size limit — for the reviewer who
 * opens the CI artefact. Reads only the file (no network); a file pcsync did not make is refused. `comment`
 * renders the pull-request comment instead (size-limited, linking to the complete rendering).
 */
export function showCommand(io: CliIo, file: string, opts: ShowOptions): number {
  const plan = readSavedPlan(resolve(io.cwd, file), file);
  if (opts.comment) {
    for (const chunk of renderChunks(plan, 'markdown', { hideUsers: opts.hideUsers, fullPlanLink: opts.fullPlanLink })) io.stdout(chunk);
    return ExitCode.ok;
  }
  // a customer at a time, as plan writes it
  for (const chunk of renderChunks(plan, opts.format, { complete: true, hideUsers: opts.hideUsers, width: opts.width })) io.stdout(chunk);
  return ExitCode.ok;
}
