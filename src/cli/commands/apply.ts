import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { applyExitCode, type RunReport } from '../../apply/run.js';
import { render } from '../../render/index.js';
import { readPlanFile } from '../../apply/plan-file.js';
import type { CallCounts } from '../../partner-center/client.js';
import { StoppedBeforeSending } from '../../partner-center/errors.js';
import { ApplySession, stateDirOf } from '../apply-session.js';
import { connect } from '../connect.js';
import { liveReader, loadDesired, planLoaded, replanner, type Planned, type StateOptions } from '../pipeline.js';
import { progressSink } from '../progress.js';
import { pcsyncVersion } from '../version.js';
import { line, type CliIo } from '../io.js';
import { pollingFromEnv } from '../polling.js';

export interface ApplyOptions extends StateOptions {
  readonly autoApprove?: boolean;
  readonly json?: boolean;
  /** Refuse the plan file unless its actions hash is this one (the hash reviewers approved). */
  readonly approvedHash?: string;
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
  if (opts.approvedHash && !planFile) {
    throw new UserError('cli.approved-hash-needs-plan', '--approved-hash checks a saved plan: pcsync apply plan.json --approved-hash <sha256:…>.');
  }
  const sink = progressSink(io, opts);
  const polling = pollingFromEnv(io.env);
  const loaded = loadDesired(io, opts);
  const plan = planFile
    ? readPlanFile(resolve(io.cwd, planFile), planFile, {
        desiredHash: loaded.desired.contentHash,
        desiredDir: opts.dir,
        pcsyncVersion: pcsyncVersion(),
        approvedHash: opts.approvedHash,
      })
    : undefined;
  const session = new ApplySession(io, stateDirOf(io, opts.stateDir), plan ? 'plan-file' : 'auto-approve');
  const tuning = { concurrency: loaded.desired.partner.concurrency, userConcurrency: loaded.desired.partner.userConcurrency, ...polling };
  let report: RunReport;
  let calls: CallCounts = {};
  try {
    if (!plan) {
      const locked = session.lock(loaded.selected.map((c) => c.id));
      let planned: Planned | undefined = await planLoaded(io, loaded, { ...opts, readOnly: false, stopping: session.stopping }).catch((err: unknown) => {
        if (err instanceof StoppedBeforeSending) return undefined;
        throw err;
      });
      if (!planned) {
        session.journal.ended({});
        return stoppedWhileReading(io, opts, loaded.selected.length);
      }
      // only the plan and the client are kept: the live state read for planning is free to go while applying
      const { plan: made, conn } = planned;
      planned = undefined;
      calls = conn.client.calls;
      if (!opts.json) io.stdout(render(made, 'text'));
      report = await session.apply(made, conn.client, sink, { ...tuning, locked });
    } else {
      const locked = session.lock(plan.customers.filter((c) => c.actions.length > 0).map((c) => c.customerId));
      const conn = connect(io, { endpoint: opts.endpoint, readOnly: false });
      calls = conn.client.calls;
      const replan = replanner(liveReader(conn, loaded.desired), loaded.desired);
      report = await session.apply(plan, conn.client, sink, { ...tuning, replan, locked });
    }
  } finally {
    session.close();
  }
  if (opts.json) line(io.stdout, JSON.stringify({ type: 'summary', outcomes: report.outcomes, durationMs: report.durationMs, calls, stopped: session.stopping() }));
  else printSummary(io, report, calls, session.stopping());
  return applyExitCode(report);
}

/** The first Ctrl-C came while live state was read: nothing was planned, nothing was written. */
function stoppedWhileReading(io: CliIo, opts: ApplyOptions, customers: number): number {
  const message = `Stopped while reading live state of ${customers} customer(s); nothing was planned and nothing was written to Partner Center. Run apply again to start over.`;
  if (opts.json) line(io.stdout, JSON.stringify({ type: 'summary', outcomes: {}, stopped: true, phase: 'read', wroteNothing: true, message }));
  else {
    line(io.stdout);
    line(io.stdout, 'Apply summary');
    line(io.stdout, `  ${message}`);
  }
  return ExitCode.partial;
}

function printSummary(io: CliIo, report: RunReport, calls: CallCounts, stopped: boolean): void {
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
  const stale = report.customers.filter((c) => c.outcome === 'skipped-stale');
  if (stale.length > 0) {
    const who = stale.map((c) => `${c.displayName} (${c.customerId})`).join(', ');
    line(io.stdout, `  Refused as stale, nothing sent to them: ${who}. Their live state changed since the plan was made; run pcsync plan again and review the new plan.`);
  }
  const counts = Object.entries(report.outcomes).map(([k, v]) => `${v} ${k}`).join(', ');
  line(io.stdout, `  ${counts || 'nothing to do'} in ${(report.durationMs / 1000).toFixed(1)}s`);
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  const byKind = Object.entries(calls).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k} ${v}`).join(', ');
  line(io.stdout, `  Partner Center calls: ${total}${byKind ? ` (${byKind})` : ''}`);
  if (stopped) line(io.stdout, '  Stopped on request; run apply again to continue where it left off.');
  if (applyExitCode(report) !== ExitCode.ok) line(io.stdout, '  Some customers were not fully applied (exit 4); see above.');
}
