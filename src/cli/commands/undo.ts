import { resolve } from 'node:path';
import { readSavedPlan } from '../../apply/plan-file.js';
import { planUndo } from '../../apply/undo.js';
import { pcsyncVersion } from '../../core/version.js';
import { planExitCode } from '../../plan/index.js';
import { renderChunks, type RenderFormat } from '../../render/index.js';
import { clockFrom } from '../clock.js';
import { connect } from '../connect.js';
import { line, type CliIo } from '../io.js';
import { checkOutName, SEALED_PLAN } from '../out-file.js';
import { liveReader, loadDesired, type StateOptions } from '../pipeline.js';
import { recheckFromEnv } from '../polling.js';
import { savePlan } from './plan.js';

export interface UndoOptions extends StateOptions {
  readonly format: RenderFormat;
  readonly out?: string;
  readonly hideUsers?: boolean;
  readonly width?: number;
}

/**
 * Read-only: the plan that undoes what an applied plan bought (plan/undo.ts) — users back to their old licences,
 * the purchase cancelled inside its cancellation window — printed like any plan and saved with `--out` for review
 * and `pcsync apply <file> --approved-hash …`. `appliedFile` is the sealed plan that was applied (CI keeps it;
 * locally, the file given to apply). Exit 0 nothing to undo, 2 changes, 3 blocked (what can still be done is said).
 */
export async function undoCommand(io: CliIo, appliedFile: string, opts: UndoOptions): Promise<number> {
  checkOutName('--out', opts.out, SEALED_PLAN);
  const applied = readSavedPlan(resolve(io.cwd, appliedFile), appliedFile);
  if (applied.undo) line(io.stderr, `${appliedFile} is itself an undo plan: undoing it plans nothing (re-run pcsync plan to buy again).`);
  const loaded = loadDesired(io, opts);
  const now = clockFrom(io, undefined).toISOString();
  const conn = connect(io, { endpoint: opts.endpoint, readOnly: true });
  const reader = liveReader(conn, loaded.desired, now, recheckFromEnv(io.env));
  const { plan, missing } = await planUndo(reader, applied.undo ? { ...applied, customers: [] } : applied, { ...loaded.desired, customers: loaded.selected }, now, pcsyncVersion());
  const header = `Undo of the applied plan ${applied.actionsHash} (made ${applied.createdAt}): ${plan.customers.length} customer(s) whose purchases were checked.`;
  if (opts.format === 'json') line(io.stderr, header);
  else io.stdout(`${opts.format === 'markdown' ? '### ' : ''}${header}\n\n`);
  for (const chunk of renderChunks(plan, opts.format, { hideUsers: opts.hideUsers, width: opts.width, color: io.color?.stdout })) io.stdout(chunk);
  if (opts.out) savePlan(io, plan, opts.out);
  const filtered = (opts.customers?.length ?? 0) > 0;
  if (missing.length > 0 && !filtered) {
    // Not "nothing to undo": their purchases may still be cancellable, and apply runs only desired-state customers.
    line(io.stderr, `pcsync undo: ${missing.length} customer(s) of ${appliedFile} bought something but have no file in ${opts.dir} now, so they are not in this undo plan: ${missing.join(', ')}. Restore their files (git) and run pcsync undo again before their cancellation windows close (7 days from each order).`);
    return 3;
  }
  return planExitCode(plan);
}
