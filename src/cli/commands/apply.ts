import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { applyExitCode, type RunReport } from '../../apply/run.js';
import { render } from '../../render/index.js';
import { PLAN_FORMAT_VERSION, type CustomerPlan, type Plan } from '../../plan/types.js';
import { ApplySession, stateDirOf } from '../apply-session.js';
import { connect } from '../connect.js';
import { liveReader, loadDesired, planLoaded, replanner, type StateOptions } from '../pipeline.js';
import { jsonLinesSink, textProgressSink } from '../progress.js';
import { line, type CliIo } from '../io.js';

export interface ApplyOptions extends StateOptions {
  readonly autoApprove?: boolean;
  readonly json?: boolean;
  /** Where the journal and customer locks live (default `.pcsync`, or PCSYNC_STATE_DIR). */
  readonly stateDir?: string;
}

/**
 * Applies a saved plan (re-checking each customer first) or, with --auto-approve, plans and applies at once.
 * Customers are locked before their live state is read; every action is journaled before it is sent.
 */
export async function applyCommand(io: CliIo, planFile: string | undefined, opts: ApplyOptions): Promise<number> {
  if (!planFile && !opts.autoApprove) {
    throw new UserError('cli.apply-needs-plan', 'apply needs a saved plan (pcsync plan --out plan.json, then pcsync apply plan.json) or --auto-approve to plan and apply in one go.');
  }
  if (planFile && opts.autoApprove) {
    throw new UserError('cli.apply-both', 'give either a plan file or --auto-approve, not both.');
  }
  const sink = opts.json ? jsonLinesSink(io) : textProgressSink(io);
  const plan = planFile ? readPlanFile(io, planFile) : undefined;
  const loaded = loadDesired(io, opts);
  if (plan && plan.desiredHash !== loaded.desired.contentHash) {
    throw new UserError('plan.other-desired-state', `${planFile} was made from different desired state than ${opts.dir} has now; run plan again.`);
  }
  const session = new ApplySession(io, stateDirOf(io, opts.stateDir), plan ? 'plan-file' : 'auto-approve');
  let report: RunReport;
  try {
    const tuning = { concurrency: loaded.desired.partner.concurrency, ...executorTuning(io, loaded.desired.partner.userConcurrency) };
    if (!plan) {
      const locked = session.lock(loaded.selected.map((c) => c.id));
      const planned = await planLoaded(io, loaded, { ...opts, readOnly: false });
      if (!opts.json) io.stdout(render(planned.plan, 'text'));
      report = await session.apply(planned.plan, planned.conn.client, sink, { ...tuning, locked });
    } else {
      const locked = session.lock(plan.customers.filter((c) => c.actions.length > 0).map((c) => c.customerId));
      const conn = connect(io, { endpoint: opts.endpoint, readOnly: false });
      const replan = replanner(liveReader(conn, loaded.desired), loaded.desired);
      report = await session.apply(plan, conn.client, sink, { ...tuning, replan, locked });
    }
  } finally {
    session.close();
  }
  if (!opts.json) printSummary(io, report, session.stopping());
  return applyExitCode(report);
}

/** Per-user concurrency and await-provisioning polling; PCSYNC_POLL_MS shortens the first poll (tests, demos). */
function executorTuning(io: CliIo, userConcurrency: number) {
  const poll = Number(io.env.PCSYNC_POLL_MS);
  const pollMs = Number.isFinite(poll) && poll > 0 ? poll : 1000;
  return { userConcurrency, pollMs, maxPollMs: Math.max(pollMs, 30_000) };
}

function readPlanFile(io: CliIo, file: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(resolve(io.cwd, file), 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'not valid JSON';
    throw new UserError('plan.unreadable', `${file}: ${why}.`);
  }
  const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new UserError('plan.version', `${file}: plan format version ${String(version)} is not supported (this pcsync reads version ${PLAN_FORMAT_VERSION}); run plan again.`);
  }
  const customers = (data as { customers?: unknown }).customers;
  const wellFormed = (c: unknown) => typeof (c as CustomerPlan)?.customerId === 'string' && Array.isArray((c as CustomerPlan).actions) && Array.isArray((c as CustomerPlan).blockers);
  if (!Array.isArray(customers) || !customers.every(wellFormed)) {
    throw new UserError('plan.malformed', `${file}: not a pcsync plan (customers with their actions are missing or malformed); run plan again.`);
  }
  return data as Plan;
}

function printSummary(io: CliIo, report: RunReport, stopped: boolean): void {
  line(io.stdout);
  line(io.stdout, 'Apply summary');
  for (const c of report.customers) {
    line(io.stdout, `  ${c.outcome.padEnd(15)} ${c.displayName} (${c.customerId}): ${c.message}`);
    if (c.outcome.startsWith('failed') || c.outcome === 'not-started') {
      for (const a of c.actions) line(io.stdout, `      ${a.outcome.padEnd(15)} ${a.id}: ${a.message}`);
    }
    if (c.users.some((u) => u.where !== 'moved')) {
      line(io.stdout, '      Who holds what now:');
      for (const u of c.users) line(io.stdout, `        ${u.where.padEnd(9)} ${u.upn}: ${u.holds}`);
    }
  }
  const counts = Object.entries(report.outcomes).map(([k, v]) => `${v} ${k}`).join(', ');
  line(io.stdout, `  ${counts || 'nothing to do'} in ${(report.durationMs / 1000).toFixed(1)}s`);
  if (stopped) line(io.stdout, '  Stopped on request; run apply again to continue where it left off.');
  if (applyExitCode(report) !== ExitCode.ok) line(io.stdout, '  Some customers were not fully applied (exit 4); see above.');
}
