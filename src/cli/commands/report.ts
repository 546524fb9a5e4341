import { buildCatalog } from '../../catalog/index.js';
import { OfferCache } from '../../live/offers.js';
import { buildReport } from '../../report/build.js';
import { readRenewalFacts, readReportFacts, readWasteFacts } from '../../report/read.js';
import { buildWaste } from '../../report/waste.js';
import { renderWaste } from '../../report/waste-render.js';
import { priceSourceFor } from '../../prices/index.js';
import { buildRenewals } from '../../report/renewals.js';
import { renewalsChunks } from '../../report/renewals-render.js';
import { reportChunks, type ReportFormat } from '../../report/render.js';
import { clockFrom } from '../clock.js';
import { connect } from '../connect.js';
import { loadPartnerConfig } from '../partner-config.js';
import { ExitCode, UserError } from '../../core/errors.js';
import { line, type CliIo } from '../io.js';

export interface ReportOptions {
  readonly dir: string;
  readonly format: ReportFormat;
  readonly endpoint?: string;
  /** Hidden: count days from this moment instead of now (else PCSYNC_NOW). */
  readonly now?: string;
  /** Every active subscription with its term, renewal and the risk that needs action, instead of retired offers. */
  readonly renewals?: boolean;
  /** Per billed subscription: seats paid, assigned, unassigned, what the unassigned cost a month, when they can go. */
  readonly waste?: boolean;
  /** `--renewals` only: rows whose deadline is at most this many days away (`60d` or `60`); unknown dates are kept. */
  readonly within?: string;
}

/** `60d` or `60` → 60; anything else is the user's mistake, named. */
function withinDays(raw: string): number {
  const m = /^\s*(\d{1,4})\s*d?\s*$/i.exec(raw);
  if (!m) throw new UserError('cli.report', `report --within: "${raw}" is not a number of days (e.g. 60d).`);
  return Number(m[1]);
}

/**
 * Read-only: every customer on a retired CRM Basic subscription, most urgent first. Exit 0; exit 1 when a read
 * failed or was refused (the report is still printed, unknown counts shown as unknown, the failed reads named).
 */
export async function reportCommand(io: CliIo, opts: ReportOptions): Promise<number> {
  const now = clockFrom(io, opts.now);
  const partner = loadPartnerConfig(io, opts.dir);
  const { client } = connect(io, { endpoint: opts.endpoint, readOnly: true });
  const catalog = buildCatalog(partner.catalog);
  if (opts.within !== undefined && !opts.renewals) throw new UserError('cli.report', 'report --within goes with --renewals (the renewal calendar of the next N days).');
  const within = opts.within === undefined ? undefined : withinDays(opts.within);
  if (opts.waste && opts.renewals) throw new UserError('cli.report', 'report: --waste and --renewals are two reports; ask for one at a time.');
  if (opts.waste) {
    // Prices first: a bad price list stops the report before any Partner Center request.
    const book = await priceSourceFor(partner, opts.dir, io.env, io.cwd)?.read();
    const facts = await readWasteFacts({ client, catalog, offers: new OfferCache(client, partner.country) }, partner.concurrency);
    const waste = buildWaste(facts, book, now, 'no price source is configured (prices: in pcsync.yaml): money unknown');
    io.stdout(renderWaste(waste, opts.format));
    return incomplete(io, waste.unreadable);
  }
  if (opts.renewals) {
    const all = await readRenewalFacts({ client, catalog, offers: new OfferCache(client, partner.country) }, partner.concurrency);
    const built = buildRenewals(all, catalog, now);
    // Within N days: the calendar of what comes up soon; a row without a date is unknown, so it stays.
    const renewals = within === undefined ? built : { ...built, withinDays: within, rows: built.rows.filter((r) => r.daysLeft === undefined || r.daysLeft <= within) };
    for (const chunk of renewalsChunks(renewals, opts.format)) io.stdout(chunk); // in parts: never the whole rendering at once
    return incomplete(io, renewals.unreadable);
  }
  const facts = await readReportFacts({ client, catalog, offers: new OfferCache(client, partner.country) }, partner.concurrency);
  const report = buildReport(facts, catalog, now);
  for (const chunk of reportChunks(report, opts.format)) io.stdout(chunk);
  return incomplete(io, report.unreadable);
}

/** 0, or each failed read named on stderr and exit 1: the report is still printed, its gaps unknown, never 0. */
function incomplete(io: CliIo, unreadable: readonly string[]): number {
  if (unreadable.length === 0) return 0;
  for (const u of unreadable) line(io.stderr, `pcsync report: could not read ${u}`);
  line(io.stderr, `pcsync report: incomplete — ${unreadable.length} read(s) failed or were refused; the numbers they stand for are unknown, not 0.`);
  return ExitCode.error;
}
