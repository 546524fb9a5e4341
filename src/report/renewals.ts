import { compareText, findRetired } from '../catalog/index.js';
import { daysBetween } from './build.js';
import type { Catalog } from '../catalog/types.js';
import type { LiveSubscription } from '../live/types.js';
import type { RenewalFacts } from './types.js';

export const RENEWALS_FORMAT_VERSION = 1;

/**
 * The day from which a new-commerce licence term that ends with auto-renew off rolls into a paid extended
 * service term (monthly rate +3 %), unless set to cancel at term end. Sources disagree between 1 April and
 * 4 May 2026 (partner-center-2026.md §2: MC1216259 says 1 April for CSP); the earlier date is used, so no
 * affected term is missed.
 */
export const EXTENDED_TERM_FROM = '2026-04-01T00:00:00Z';

/**
 * What needs action, most urgent kind first:
 * - `extended-term`: new commerce, auto-renew off, no cancel at term end: a paid extended service term follows;
 * - `retired-offer`: a legacy offer that can no longer renew (migrate before it ends, or now once it has);
 * - `cancellation-window`: new commerce still cancellable (the deadline for a free exit);
 * - `ends`: ends at term end as set; `renews`: renews at term end. Neither needs action.
 */
export type RenewalRisk = 'extended-term' | 'retired-offer' | 'cancellation-window' | 'ends' | 'renews';
const RISK_ORDER: readonly RenewalRisk[] = ['extended-term', 'retired-offer', 'cancellation-window', 'ends', 'renews'];

export interface RenewalRow {
  readonly customerId: string;
  readonly companyName: string;
  readonly subscriptionId: string;
  readonly offerName: string;
  /** `legacy` or `new` commerce. */
  readonly commerce: 'legacy' | 'new';
  readonly seats: number;
  /** ISO 8601 duration, e.g. P1Y. */
  readonly term?: string;
  readonly billing?: string;
  readonly termEnd?: string;
  /** Whole UTC days from `asOf` to `deadline`; negative once past; absent without a date. */
  readonly daysLeft?: number;
  readonly autoRenew?: boolean;
  /** New commerce: last day a cancel is accepted. */
  readonly cancellationDeadline?: string;
  /** The date `daysLeft` counts to: the cancellation deadline while the window is open, else the term end. */
  readonly deadline?: string;
  readonly risk: RenewalRisk;
  /** What happens and what to do, in words. */
  readonly action: string;
}

export interface RenewalReport {
  readonly formatVersion: typeof RENEWALS_FORMAT_VERSION;
  readonly asOf: string;
  readonly customersScanned: number;
  /** `--within`: only rows whose deadline is at most this many days away (rows without a date are kept). */
  readonly withinDays?: number;
  /** Customers whose subscriptions could not be read: `Company (id): why`. Their rows are missing, not zero. */
  readonly unreadable: readonly string[];
  /** Active subscriptions, sorted: risks needing action first (in `RenewalRisk` order), then fewest days left. */
  readonly rows: readonly RenewalRow[];
}

/** Pure: every active subscription with its renewal facts and the risk that needs action, most urgent first. */
export function buildRenewals(facts: readonly RenewalFacts[], catalog: Catalog, now: Date): RenewalReport {
  const rows = facts.flatMap((c) => c.subscriptions.filter((s) => s.status === 'active').map((s) => rowOf(c, s, catalog, now)));
  rows.sort((a, b) => RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) || (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || compareText(a.companyName, b.companyName) || compareText(a.subscriptionId, b.subscriptionId));
  const unreadable = facts.filter((c) => c.readProblem).map((c) => `${c.companyName} (${c.id}): ${c.readProblem}`);
  return { formatVersion: RENEWALS_FORMAT_VERSION, asOf: now.toISOString(), customersScanned: facts.length, unreadable, rows };
}

function rowOf(c: RenewalFacts, s: LiveSubscription, catalog: Catalog, now: Date): RenewalRow {
  const windowOpen = s.cancellationAllowedUntilDate !== undefined && Date.parse(s.cancellationAllowedUntilDate) >= now.getTime();
  const deadline = windowOpen ? s.cancellationAllowedUntilDate : s.commitmentEndDate;
  const days = deadline && !Number.isNaN(Date.parse(deadline)) ? daysBetween(now, new Date(deadline)) : undefined;
  const { risk, action } = riskOf(s, catalog, windowOpen, days !== undefined && days < 0 ? -days : undefined);
  return {
    customerId: c.id,
    companyName: c.companyName,
    subscriptionId: s.id,
    offerName: s.offerName,
    commerce: s.commerce === 'new' ? 'new' : 'legacy',
    seats: s.quantity,
    ...(s.termDuration ? { term: s.termDuration } : {}),
    ...(s.billingCycle ? { billing: s.billingCycle } : {}),
    ...(s.commitmentEndDate ? { termEnd: s.commitmentEndDate } : {}),
    ...(days !== undefined ? { daysLeft: days } : {}),
    ...(s.autoRenewEnabled !== undefined ? { autoRenew: s.autoRenewEnabled } : {}),
    ...(s.cancellationAllowedUntilDate ? { cancellationDeadline: s.cancellationAllowedUntilDate } : {}),
    ...(deadline ? { deadline } : {}),
    risk,
    action,
  };
}

/**
 * The risk and what to do about it, in words. `daysAgo` is set when the term end (the deadline once the
 * cancellation window is closed) lies before "now": the event then happened, and the words say so in the past
 * tense instead of announcing it.
 */
function riskOf(s: LiveSubscription, catalog: Catalog, windowOpen: boolean, daysAgo: number | undefined): { risk: RenewalRisk; action: string } {
  const end = s.commitmentEndDate?.slice(0, 10) ?? 'its term end';
  const ago = daysAgo !== undefined ? ` (${daysAgo} day(s) ago)` : '';
  if (s.commerce !== 'new') {
    if (findRetired(catalog, s.offerName)) {
      const action = daysAgo === undefined ? `retired offer: cannot renew; migrate before ${end} (pcsync import)` : `retired offer: its term ended on ${end}${ago} and it cannot renew; migrate now (pcsync import)`;
      return { risk: 'retired-offer', action };
    }
    if (s.autoRenewEnabled === false) return { risk: 'ends', action: daysAgo === undefined ? `ends on ${end}` : `ended on ${end}${ago}` };
    return { risk: 'renews', action: daysAgo === undefined ? `renews on ${end}` : `renewed on ${end}${ago}; Partner Center still shows that term end` };
  }
  const rollsIntoExtended = s.autoRenewEnabled === false && !s.cancelAtTermEnd && s.commitmentEndDate !== undefined && Date.parse(s.commitmentEndDate) >= Date.parse(EXTENDED_TERM_FROM);
  if (rollsIntoExtended) {
    const action =
      daysAgo === undefined
        ? `auto-renew off without a cancel at term end: on ${end} it rolls into a paid extended service term (monthly rate +3 %); set it to cancel at term end (status: ends-at-term) or turn auto-renew on`
        : `auto-renew off without a cancel at term end: since ${end}${ago} it is in a paid extended service term (monthly rate +3 %), where only cancelling or converting to a standard subscription is possible; do either in Partner Center`;
    return { risk: 'extended-term', action };
  }
  if (windowOpen) return { risk: 'cancellation-window', action: `cancellable until ${s.cancellationAllowedUntilDate!.slice(0, 10)}; after that it is paid until ${end}` };
  if (s.autoRenewEnabled === false) return { risk: 'ends', action: daysAgo === undefined ? `ends on ${end} (cancel at term end is set)` : `ended on ${end}${ago} (cancel at term end was set)` };
  return { risk: 'renews', action: daysAgo === undefined ? `renews on ${end} for another ${s.termDuration ?? 'term'}` : `renewed on ${end}${ago} for another ${s.termDuration ?? 'term'}; Partner Center still shows that term end` };
}
