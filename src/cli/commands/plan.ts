import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { planExitCode } from '../../plan/index.js';
import { render } from '../../render/index.js';
import { makePlan, type StateOptions } from '../pipeline.js';
import { line, type CliIo } from '../io.js';

export interface PlanOptions extends StateOptions {
  readonly format: 'text' | 'json';
  readonly out?: string;
  readonly hideUsers?: boolean;
}

/** Read-only: reads live state, prints the plan, optionally saves it. Exit 0 no changes, 2 changes, 3 blocked. */
export async function planCommand(io: CliIo, opts: PlanOptions): Promise<number> {
  const { plan } = await makePlan(io, { ...opts, readOnly: true });
  io.stdout(render(plan, opts.format, { hideUsers: opts.hideUsers }));
  if (opts.out) {
    writeFileSync(resolve(io.cwd, opts.out), render(plan, 'json'));
    line(io.stderr, `Saved plan to ${opts.out}; apply it with: pcsync apply ${opts.out}`);
  }
  return planExitCode(plan);
}
