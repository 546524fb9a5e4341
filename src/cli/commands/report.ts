import { buildCatalog } from '../../catalog/index.js';
import { OfferCache } from '../../live/offers.js';
import { buildReport } from '../../report/build.js';
import { readRenewalFacts, readReportFacts } from '../../report/read.js';
import { buildRenewals } from '../../report/renewals.js';
import { renewalsChunks } from '../../report/renewals-render.js';
import { reportChunks, type ReportFormat } from '../../report/render.js';
import { clockFrom } from '../clock.js';
import { connect } from '../connect.js';
import { loadPartnerConfig } from '../partner-config.js';
import { ExitCode } from '../../core/errors.js';
import { line, type CliIo } from '../io.js';

export interface ReportOptions {
  readonly dir: string;
  readonly format: ReportFormat;
  readonly endpoint?: string;
  /** Hidden: count days from this moment instead of now (else PCSYNC_NOW). */
  readonly now?: string;
  /** Every active subscription with its term, renewal and the risk that needs action, instead of retired offers. */
  readonly renewals?: boolean;
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
  if (opts.renewals) {
    const all = await readRenewalFacts({ client, catalog, offers: new OfferCache(client, partner.country) }, partner.concurrency);
    const renewals = buildRenewals(all, catalog, now);
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
