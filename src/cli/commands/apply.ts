import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { applyExitCode, applyPlan, type RunReport } from '../../apply/run.js';
import { realSleep } from '../../apply/context.js';
import { render } from '../../render/index.js';
import { readPlanFile } from '../../apply/plan-file.js';
import { connect } from '../connect.js';
import type { CallCounts } from '../../partner-center/client.js';
import { liveReader, loadDesired, makePlan, rereader, type StateOptions } from '../pipeline.js';
import { progressSink } from '../progress.js';
import { pcsyncVersion } from '../version.js';
import { line, type CliIo } from '../io.js';
import { pollingFromEnv } from '../polling.js';

export interface ApplyOptions extends StateOptions {
  readonly autoApprove?: boolean;
  readonly json?: boolean;
  /** Refuse the plan file unless its actions hash is this one (the hash reviewers approved). */
  readonly approvedHash?: string;
}

/** Applies a saved plan (re-checking each customer first) or, with --auto-approve, plans and applies at once. */
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
  const deps = { ...executorDeps(), ...pollingFromEnv(io.env) };
  let report: RunReport;
  let calls: CallCounts = {};
  if (opts.autoApprove) {
    const { plan, desired, conn } = await makePlan(io, { ...opts, readOnly: false });
    calls = conn.client.calls;
    if (!opts.json) io.stdout(render(plan, 'text'));
    report = await applyPlan(plan, { ...deps, client: conn.client }, sink, { concurrency: desired.partner.concurrency });
  } else {
    const { desired } = loadDesired(io, opts);
    const plan = readPlanFile(resolve(io.cwd, planFile!), planFile!, {
      desiredHash: desired.contentHash,
      desiredDir: opts.dir,
      pcsyncVersion: pcsyncVersion(),
      approvedHash: opts.approvedHash,
    });
    const conn = connect(io, { endpoint: opts.endpoint, readOnly: false });
    calls = conn.client.calls;
    const reread = rereader(liveReader(conn, desired), desired);
    report = await applyPlan(plan, { ...deps, client: conn.client }, sink, { concurrency: desired.partner.concurrency, reread });
  }
  if (opts.json) line(io.stdout, JSON.stringify({ type: 'summary', outcomes: report.outcomes, durationMs: report.durationMs, calls }));
  else printSummary(io, report, calls);
  return applyExitCode(report);
}

function executorDeps() {
  return {
    sleep: realSleep,
    now: () => Date.now(),
    userConcurrency: 4,
    pollMs: 1000,
    maxPollMs: 30_000,
    stopping: () => false,
  };
}

function printSummary(io: CliIo, report: RunReport, calls: CallCounts): void {
  line(io.stdout);
  line(io.stdout, 'Apply summary');
  for (const c of report.customers) {
    line(io.stdout, `  ${c.outcome.padEnd(15)} ${c.displayName} (${c.customerId}): ${c.message}`);
    if (c.outcome.startsWith('failed') || c.outcome === 'not-started') {
      for (const a of c.actions) line(io.stdout, `      ${a.outcome.padEnd(15)} ${a.id}: ${a.message}`);
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
  if (applyExitCode(report) !== ExitCode.ok) line(io.stdout, '  Some customers were not fully applied (exit 4); see above.');
}
