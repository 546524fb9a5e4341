import { compareText, findRetired } from '../catalog/index.js';
import { MIGRATED_STATUSES, type CustomerFacts } from './read.js';
import { REPORT_FORMAT_VERSION, type ReportRow, type RetiredReport } from './types.js';
import type { Catalog } from '../catalog/types.js';

const DAY_MS = 86_400_000;

/** Whole calendar days (UTC) from `now` to `end`: the same day → 0, yesterday → -1. */
export function daysBetween(now: Date, end: Date): number {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(end) - day(now)) / DAY_MS);
}

/** The report from what was read: pure, no I/O, no clock of its own. */
export function buildReport(facts: readonly CustomerFacts[], catalog: Catalog, now: Date): RetiredReport {
  const rows: ReportRow[] = [];
  const warnings: string[] = [];
  const unreadable: string[] = [];
  const alreadyMigrated: { customerId: string; companyName: string }[] = [];
  for (const c of facts) {
    if (c.readProblem) {
      unreadable.push(`${c.companyName} (${c.id}): ${c.readProblem}`);
      continue;
    }
    const open = c.retired.filter((s) => !MIGRATED_STATUSES.has(s.status));
    if (open.length === 0) {
      if (c.retired.length > 0) alreadyMigrated.push({ customerId: c.id, companyName: c.companyName });
      continue;
    }
    if (c.consumedProblem) unreadable.push(`${c.companyName} (${c.id}): ${c.consumedProblem}`);
    for (const s of open) {
      const row = rowOf(c, s, catalog, now);
      rows.push(row);
      if (row.assignedUnknown && !c.consumedProblem) unreadable.push(`${c.companyName} (${c.id}): ${row.assignedUnknown}`);
      if (s.quantityUnknown) unreadable.push(`${c.companyName} (${c.id}): Partner Center sent no quantity for subscription ${s.id}, so its seats are unknown`);
    }
  }
  rows.sort(byUrgency);
  alreadyMigrated.sort((a, b) => compareText(a.companyName, b.companyName) || compareText(a.customerId, b.customerId));
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    asOf: now.toISOString(),
    customersScanned: facts.length,
    affectedCustomers: new Set(rows.map((r) => r.customerId)).size,
    rows,
    alreadyMigrated,
    warnings,
    unreadable,
  };
}

function rowOf(c: CustomerFacts, s: CustomerFacts['retired'][number], catalog: Catalog, now: Date): ReportRow {
  const retired = findRetired(catalog, s.offerName)!;
  const end = s.commitmentEndDate ? new Date(s.commitmentEndDate) : undefined;
  const valid = end && !Number.isNaN(end.getTime());
  const assigned = s.skuId && c.consumed ? c.consumed[s.skuId] : undefined;
  const unknown =
    assigned !== undefined
      ? undefined
      : !s.skuId
        ? `the licence SKU of subscription ${s.id} ("${s.offerName}") is unknown${s.skuProblem ? ` (${s.skuProblem})` : ''}, so its assigned users are unknown`
        : c.consumed
          ? `GET subscribedskus does not list SKU ${s.skuId} of subscription ${s.id} ("${s.offerName}"), so its assigned users are unknown`
          : (c.consumedProblem ?? 'assigned users were not read');
  const replacement = catalog.replacements.find((r) => r.key === retired.replacements[0]);
  return {
    customerId: c.id,
    companyName: c.companyName,
    ...(c.domain ? { domain: c.domain } : {}),
    subscriptionId: s.id,
    offerName: s.offerName,
    offerId: s.offerId,
    family: retired.family,
    variant: retired.variant,
    priceGroup: retired.priceGroup,
    seats: s.quantity,
    ...(s.quantityUnknown && { seatsUnknown: true as const }),
    ...(assigned !== undefined ? { assignedUsers: assigned } : { assignedUnknown: unknown }),
    status: s.status,
    ...(s.commitmentEndDate ? { commitmentEndDate: s.commitmentEndDate } : {}),
    ...(valid ? { daysLeft: daysBetween(now, end) } : {}),
    ...(replacement ? { suggestedReplacement: replacement.name } : {}),
  };
}

/** Fewest days left first (no date last), then customer name, offer name, subscription id. */
function byUrgency(a: ReportRow, b: ReportRow): number {
  const da = a.daysLeft ?? Number.POSITIVE_INFINITY;
  const db = b.daysLeft ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return compareText(a.companyName, b.companyName) || compareText(a.offerName, b.offerName) || compareText(a.subscriptionId, b.subscriptionId);
}
