import { writeFileStreamed } from '../../core/write-file.js';
import { appendJobSummary } from '../job-summary.js';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { sealPlanTo } from '../../apply/plan-file.js';
import { planExitCode } from '../../plan/index.js';
import { render, renderChunks, type RenderFormat, type RenderOptions } from '../../render/index.js';
import { makePlan, type StateOptions } from '../pipeline.js';
import { line, type CliIo } from '../io.js';
import { planAnnotations } from '../annotations.js';
import { checkOutName, SEALED_PLAN } from '../out-file.js';
import type { Plan } from '../../plan/types.js';

export interface PlanOptions extends StateOptions {
  readonly format: RenderFormat;
  readonly out?: string;
  readonly hideUsers?: boolean;
  /** Markdown: link to the full plan (e.g. the CI run with the plan artefact). */
  readonly fullPlanLink?: string;
  /** Text: columns to wrap at (the terminal's when stdout is one, or --width); undefined = no wrapping (a pipe, a CI log). */
  readonly width?: number;
}

/**
 * Read-only: reads live state, prints the plan, optionally saves it (sealed, for apply). In GitHub Actions
 * (GITHUB_STEP_SUMMARY set) the markdown plan also becomes the job summary. Exit 0 no changes, 2 changes, 3 blocked.
 */
export async function planCommand(io: CliIo, opts: PlanOptions): Promise<number> {
  checkOutName('--out', opts.out, SEALED_PLAN);
  const { plan } = await makePlan(io, { ...opts, readOnly: true });
  const view: RenderOptions = { hideUsers: opts.hideUsers, fullPlanLink: opts.fullPlanLink, width: opts.width };
  // written a customer at a time: the rendering of a fleet is never one string (nor is the sealed file below)
  for (const chunk of renderChunks(plan, opts.format, { ...view, color: io.color?.stdout })) io.stdout(chunk);
  // In GitHub Actions, blockers with a source position also show on the pull request's diff (on the annotation
  // channel, stderr: stdout may be the comment).
  if (io.env.GITHUB_ACTIONS === 'true') for (const a of planAnnotations(plan, opts.hideUsers ?? false)) line(io.annotations ?? io.stderr, a);
  if (opts.out) savePlan(io, plan, opts.out);
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) appendSummary(io, summary, render(plan, 'markdown', view));
  return planExitCode(plan);
}

export function savePlan(io: CliIo, plan: Plan, out: string): void {
  try {
    writeFileStreamed(resolve(io.cwd, out), (write) => sealPlanTo(plan, write), `--out ${out}`);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('plan.write', `--out ${out}: cannot write the plan (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  line(io.stderr, `Saved plan to ${out} (actions hash ${plan.actionsHash}); apply it with: pcsync apply ${out}`);
}

/** The job summary is a nicety: failing to write it is worth a warning, not a failed plan. */
function appendSummary(io: CliIo, file: string, markdown: string): void {
  appendJobSummary(io, file, `${markdown}\n`);
}
