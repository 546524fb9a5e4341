import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { applyExitCode, type RunReport } from '../../apply/run.js';
import { applySummaryJson, applySummaryLines } from '../apply-summary-text.js';
import type { Plan } from '../../plan/types.js';
import { render } from '../../render/index.js';
import { hideUserNames } from '../../render/redact.js';
import { readPlanFile } from '../../apply/plan-file.js';
import { selectPlanCustomers } from '../../apply/select.js';
import type { CallCounts } from '../../partner-center/client.js';
import { StoppedBeforeSending } from '../../partner-center/errors.js';
import { ApplySession } from '../../apply/session.js';
import { undoReplanner } from '../../apply/undo.js';
import { clockFrom } from '../clock.js';
import { stateDirOf } from '../state-dir.js';
import { connect } from '../connect.js';
import { liveReader, loadDesired, mayPlanAsApplied, planAsApplied, planLoaded, replanner, type Planned, type StateOptions } from '../pipeline.js';
import { progressSink } from '../progress.js';
import { pcsyncVersion } from '../../core/version.js';
import { line, type CliIo } from '../io.js';
import { pollingFromEnv, recheckFromEnv } from '../polling.js';
import { excerpt, fenced, inertText as v } from '../../core/inert.js';
import { appendJobSummary } from '../job-summary.js';
import { priceSourceFor } from '../../prices/index.js';
import { checkApprovedPrices } from '../price-check.js';
import type { ExecutorDeps } from '../../apply/context.js';
import type { LiveReader } from '../../live/read.js';
import { priceSheetSource } from '../../partner-center/price-sheet.js';
import type { PriceBook } from '../../plan/cost.js';

/** The price sheet now, for a plan priced from a file; a sheet that cannot be read prices nothing, and says why. */
async function liveSheet(env: Readonly<Record<string, string | undefined>>, country: string): Promise<PriceBook> {
  const sheet = priceSheetSource(env, country);
  try {
    return await sheet.read();
  } catch (err) {
    return { source: `${sheet.description}, not read: ${err instanceof Error ? err.message : String(err)}`, market: country, rows: [] };
  }
}

export interface ApplyOptions extends StateOptions {
  readonly autoApprove?: boolean;
  readonly json?: boolean;
  /** Refuse the plan file unless its actions hash is this one (the hash reviewers approved). */
  readonly approvedHash?: string;
  /** Where the journal and customer locks live (default `.pcsync`, or PCSYNC_STATE_DIR). */
  readonly stateDir?: string;
  /**
   * The plan file is an approved plan an earlier run may have started and left no journal of (CI keeps the approved
   * plan before applying it, so a re-run after a lost runner applies the same plan): a customer it changed is resumed.
   */
  readonly resume?: boolean;
  /** Every user name in the output (progress, summary, errors) becomes `[user]`: for logs that are uploaded or public. */
  readonly hideUsers?: boolean;
}

/** `io` whose output has user names replaced by `[user]`. */
function hidingUsers(io: CliIo): CliIo {
  return { ...io, stdout: (t) => io.stdout(hideUserNames(t)), stderr: (t) => io.stderr(hideUserNames(t)), isTty: false, redact: hideUserNames };
}

/**
 * Applies a saved plan (re-checking each customer first) or, with --auto-approve, plans and applies at once.
 * Customers are locked before their live state is read; every action is journaled before it is sent.
 */
export async function applyCommand(io: CliIo, planFile: string | undefined, opts: ApplyOptions): Promise<number> {
  if (!opts.hideUsers) return applyWith(io, planFile, opts);
  try {
    return await applyWith(hidingUsers(io), planFile, opts);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.code, hideUserNames(err.message), err.exitCode);
    throw err;
  }
}

async function applyWith(io: CliIo, planFile: string | undefined, opts: ApplyOptions): Promise<number> {
  if (!planFile && !opts.autoApprove) {
    throw new UserError('cli.apply-needs-plan', 'apply needs a saved plan (pcsync plan --out plan.json, then pcsync apply plan.json) or --auto-approve to plan and apply in one go.');
  }
  if (planFile && opts.autoApprove) {
    throw new UserError('cli.apply-both', 'give either a plan file or --auto-approve, not both.');
  }
  if (opts.approvedHash !== undefined) opts = { ...opts, approvedHash: approvedHashOf(opts.approvedHash) };
  if (opts.resume && !planFile) {
    throw new UserError('cli.resume-needs-plan', '--resume goes on with a saved plan an earlier run started: pcsync apply plan.json --approved-hash <sha256:…> --resume.');
  }
  if (opts.approvedHash && !planFile) {
    throw new UserError('cli.approved-hash-needs-plan', '--approved-hash checks a saved plan: pcsync apply plan.json --approved-hash <sha256:…>.');
  }
  const sink = progressSink(io, opts);
  const polling = pollingFromEnv(io.env);
  const loaded = loadDesired(io, opts);
  const saved = planFile
    ? readPlanFile(resolve(io.cwd, planFile), planFile, {
        desiredHash: loaded.desired.contentHash,
        desiredDir: opts.dir,
        pcsyncVersion: pcsyncVersion(),
        approvedHash: opts.approvedHash,
      })
    : undefined;
  const filtered = (opts.customers?.length ?? 0) > 0 || opts.shard !== undefined;
  const selection = saved && planFile
    ? selectPlanCustomers(saved, planFile, loaded.desired.customers.map((c) => c.id), loaded.selected.map((c) => c.id), opts.customers, filtered)
    : undefined;
  const plan = selection?.plan;
  // The approval covers the money: a purchase dearer now than in the approved plan is refused before any request.
  if (plan?.cost && planFile) {
    const book = await priceSourceFor(loaded.desired.partner, opts.dir, io.env, io.cwd)?.read();
    if (!book) throw new UserError('plan.prices-gone', `${planFile}: the plan has prices but pcsync.yaml configures no price source now; nothing was sent. Run plan again.`);
    // A price-list file is part of the desired state: it cannot change between plan and apply, the price Partner
    // Center charges can. So the price sheet is read as well, where the credential allows it, and a rise refused.
    let live = loaded.desired.partner.prices?.file ? await liveSheet(io.env, loaded.desired.partner.country) : undefined;
    if (live && live.rows.length === 0) {
      line(io.stderr, `Price: the approved prices come from ${v(book.source)}; a rise since could not be checked against what Partner Center charges now (${v(live.source)}).`);
      live = undefined;
    }
    for (const l of checkApprovedPrices(plan, book, planFile, new Date().toISOString(), live)) line(io.stderr, `Price: ${l}`);
  }
  const session = new ApplySession(io, stateDirOf(io, opts.stateDir), plan ? 'plan-file' : 'auto-approve', opts.resume === true && plan !== undefined);
  const tuning = { concurrency: loaded.desired.partner.concurrency, userConcurrency: loaded.desired.partner.userConcurrency, ...polling };
  let report: RunReport;
  let applied: Plan;
  let calls: CallCounts = {};
  let writes = (): number => 0;
  // the output was still open when the executor returned: a reader that went away later (| head on the plan printed
  // after the run) stopped nothing
  let openWhenRunEnded = false;
  try {
    if (!plan && mayPlanAsApplied(loaded.desired)) {
      // No run-wide cap needs the whole plan first: each customer is planned as it starts (one stream, fresh reads).
      const locked = await session.lock(loaded.selected.map((c) => c.id));
      // once the run stops, reads for customers not planned yet end unsent (those already applying finish)
      const watch = { stopping: session.stopping, onStop: session.onStop };
      // (a Ctrl-C while the catalogue is read lets it finish: every customer then ends not started, nothing sent)
      const planned = await planAsApplied(io, loaded, { ...opts, prior: session.prior }, watch);
      calls = planned.conn.client.calls;
      writes = () => planned.conn.client.writesSent;
      const licenceAccess = licenceAccessOf(planned.reader);
      report = await session.apply(planned.placeholder, planned.conn.client, sink, { ...tuning, planFirst: planned.planFirst, locked, ...(licenceAccess && { licenceAccess }) });
      openWhenRunEnded = session.outputClosed === undefined;
      if (session.stopping()) {
        // reads still queued for their turn are junk now: let them end unsent so the process exits at once
        planned.conn.client.transport.haltWhen(() => true);
        planned.conn.client.transport.abandonQueued();
      }
      const made = planned.finish();
      // The plan each customer was applied by, as `plan` would have shown it; the summary below says what happened.
      if (!opts.json && made.customers.length > 0) {
        const stopped = made.customers.length < loaded.selected.length ? ` — ${made.customers.length} of ${loaded.selected.length} customer(s) planned before the run stopped` : '';
        line(io.stdout, `Applied as planned from live state as each customer started (--auto-approve${stopped}; the summary below says what happened):`);
        io.stdout(render(made, 'text'));
        // a reader of stdout that went away (| head) is noticed now, so the summary goes to stderr instead of nowhere
        await new Promise((resolve) => setImmediate(resolve));
      }
      // the summary counts every selected customer, planned before a stop or not
      applied = withUnplanned(made, planned.placeholder);
    } else if (!plan) {
      const locked = await session.lock(loaded.selected.map((c) => c.id));
      let planned: Planned | undefined = await planLoaded(io, loaded, { ...opts, readOnly: false, stopping: session.stopping, prior: session.prior }).catch((err: unknown) => {
        if (err instanceof StoppedBeforeSending) return undefined;
        throw err;
      });
      if (!planned) {
        session.endedBeforeApplying();
        return stoppedWhileReading(io, opts, loaded.selected.length);
      }
      // only the plan and the client are kept: the live state read for planning is free to go while applying
      const { plan: made, conn } = planned;
      const licenceAccess = licenceAccessOf(planned.reader);
      planned = undefined;
      calls = conn.client.calls;
      writes = () => conn.client.writesSent;
      if (!opts.json) io.stdout(render(made, 'text'));
      applied = made;
      report = await session.apply(made, conn.client, sink, { ...tuning, locked, ...(licenceAccess && { licenceAccess }) });
    } else {
      const locked = await session.lock(plan.customers.filter((c) => c.actions.length > 0).map((c) => c.customerId));
      const conn = connect(io, { endpoint: opts.endpoint, readOnly: false });
      calls = conn.client.calls;
      writes = () => conn.client.writesSent;
      const reader = liveReader(conn, loaded.desired, plan.createdAt, recheckFromEnv(io.env), io.env);
      // An undo plan (pcsync undo) is re-planned from what it undoes and live state, never from the desired state.
      const replan = plan.undo ? undoReplanner(reader, { ...plan, undo: plan.undo }, loaded.desired, clockFrom(io, undefined).toISOString()) : replanner(reader, loaded.desired, session.prior);
      const licenceAccess = licenceAccessOf(reader);
      applied = plan;
      report = await session.apply(plan, conn.client, sink, { ...tuning, replan, locked, ...(licenceAccess && { licenceAccess }) });
    }
  } finally {
    session.close();
  }
  // Stopped on request (Ctrl-C), not by an error nor by the output going away (that run ends as partial, exit 4).
  const interrupted = session.stopping() && report.halted === undefined && session.outputClosed === undefined;
  const ctx = { calls, stopped: interrupted, writes: writes() };
  // A closed stdout (the reader of a pipe went away) loses the summary there: it goes to stderr, where the operator
  // still looks, as text (the JSON reader is gone).
  const stdoutGone = session.outputClosed?.startsWith('stdout') === true;
  if (stdoutGone) printSummary({ ...io, stdout: io.stderr }, applySummaryLines(report, applied, ctx));
  else if (opts.json) line(io.stdout, JSON.stringify({ type: 'summary', outcomes: report.outcomes, durationMs: report.durationMs, calls, stopped: session.stopping(), ...applySummaryJson(report, applied) }));
  else printSummary(io, applySummaryLines(report, applied, ctx));
  if (report.halted !== undefined) {
    if (opts.json) line(io.stdout, JSON.stringify({ type: 'halted', reason: report.halted }));
    else line(io.stdout, `  Stopped by an error: ${report.halted}. Nothing new was started after it; what ran is listed above. ${report.credentialRefused ? 'Fix the credential, then run apply again' : 'Run apply again to continue'} (exit ${applyExitCode(report)}).`);
  }
  if (selection && selection.leftOut.length > 0) {
    const how = [opts.customers?.length ? `--customer ${opts.customers.join(' ')}` : '', opts.shard ? `--shard ${opts.shard.index}/${opts.shard.count}` : ''].filter(Boolean).join(' ');
    const text = `Applied only the ${selection.plan.customers.length} customer(s) of ${planFile} selected by ${how}; ${selection.leftOut.length} other customer(s) in the plan were not touched: ${shortList(selection.leftOut)}`;
    if (opts.json) line(io.stdout, JSON.stringify({ type: 'selection', applied: selection.plan.customers.map((c) => c.customerId), notTouched: selection.leftOut }));
    else line(io.stdout, `  ${text}.`);
  }
  if (session.outputClosed !== undefined && openWhenRunEnded) line(io.stderr, `  ${session.outputClosed} after the run ended; the summary is here on stderr.`);
  else if (session.outputClosed !== undefined) line(io.stderr, `  Stopped because ${session.outputClosed}; run apply again to continue where it left off.`);
  return interrupted ? session.interruptedExitCode : applyExitCode(report);
}

/** The GDAP pre-check at a given time, for the check just before buying (apply/gdap-guard.ts); absent without one. */
function licenceAccessOf(reader: LiveReader): ExecutorDeps['licenceAccess'] {
  const gdap = reader.gdap;
  return gdap && ((customerId, now) => gdap.accessFor(customerId, now));
}

/** At most five ids, then how many more: a fleet's untouched customers would otherwise fill one very long line. */
function shortList(ids: readonly string[], shown = 5): string {
  const more = ids.length - shown;
  return more > 0 ? `${ids.slice(0, shown).map(v).join(', ')} and ${more} more (--json lists them all)` : ids.map(v).join(', ');
}

/** An actions hash as the plan comment shows it; an empty one (e.g. an approval step that found nothing) is its own mistake. */
function approvedHashOf(given: string): string {
  const hash = given.trim();
  if (hash === '') {
    throw new UserError('cli.approved-hash-empty', '--approved-hash is empty: apply needs the actions hash reviewers approved (sha256:…, as the plan comment shows it). In the apply workflow the approval step found no approved plan; nothing was sent.');
  }
  if (!/^sha256:[0-9a-f]{64}$/i.test(hash)) {
    throw new UserError('cli.approved-hash-malformed', `--approved-hash ${excerpt(hash, 80)}: expected sha256: and 64 hexadecimal digits, as the plan comment shows the actions hash; nothing was sent.`);
  }
  return hash.toLowerCase();
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

/** The summary on stdout and, in GitHub Actions (GITHUB_STEP_SUMMARY set), in the job summary inside a fence it cannot close. */
function printSummary(io: CliIo, lines: readonly string[]): void {
  line(io.stdout);
  for (const l of lines) line(io.stdout, l);
  const file = io.env.GITHUB_STEP_SUMMARY;
  if (file) appendJobSummary(io, file, `### pcsync apply\n\n${fenced(lines.join('\n'), 'text')}`);
}

/** `plan` with the placeholders of the customers it lacks (not planned before the run stopped), for the summary's counts. */
function withUnplanned(plan: Plan, placeholder: Plan): Plan {
  const have = new Set(plan.customers.map((c) => c.customerId));
  const missing = placeholder.customers.filter((c) => !have.has(c.customerId));
  return missing.length === 0 ? plan : { ...plan, customers: [...plan.customers, ...missing] };
}
