import { summarize } from '../plan/summary.js';
import { customerEntry, type EntryForm } from './markdown-customer.js';
import { customerRows } from './markdown-rows.js';
import { blockedLines, changeLines, offerTable, warningLines } from './markdown-summary.js';
import { clip, code, inertText, mdText, thousands } from '../core/markdown-text.js';
import { costsById, planFacts, renewalMoneyById } from './plan-facts.js';
import { trimmedEnd } from '../core/chunks.js';
import type { CustomerPlan, Plan } from '../plan/types.js';
import type { PurchaseCost } from '../plan/cost.js';
import type { RenderOptions } from './options.js';

/** GitHub refuses comments of 65,536 characters or more; the markdown plan always stays below this. */
export const MARKDOWN_LIMIT = 65_000;

/** Marks the comment so CI can find it and read the approved actions hash back: `<!-- pcsync:actions-hash sha256:… -->`. */
export const ACTIONS_HASH_MARKER = 'pcsync:actions-hash';

/** Most of the comment the blocker and warning lists may take before they are grouped by code. */
const PROBLEM_BUDGET = 12_000;

/**
 * The plan as a pull-request comment, in the order a reviewer approves it: what is bought (per offer: seats,
 * customers, prices and money when known), licence moves and retirements, what "irreversible" means, the totals
 * and the actions hash, blocked customers with their reasons and the warnings grouped by code — all before any
 * collapsed detail; then every customer by name in one compact row (⛔ blocked, ⚠️ warnings), then one collapsible
 * section per changing, blocked or warned customer — compact when they would not all fit under MARKDOWN_LIMIT, and
 * past that the rest point at the full rendering. `complete` drops the limit (pcsync show).
 * No clock: the only time shown is the plan's own createdAt.
 */
export function renderMarkdown(plan: Plan, options: RenderOptions = {}): string {
  return [...markdownChunks(plan, options)].join('');
}

/**
 * `renderMarkdown` in parts. The comment (under MARKDOWN_LIMIT) is one part; the complete plan (`complete`, for
 * `pcsync show`) hands on each customer's section as it is made, so a fleet's complete plan is never one string.
 */
export function* markdownChunks(plan: Plan, options: RenderOptions = {}): Generator<string> {
  const hide = options.hideUsers ?? false;
  const limit = options.complete ? Number.POSITIVE_INFINITY : MARKDOWN_LIMIT - 1;
  const facts = planFacts(plan);
  const head = [
    ...headline(plan),
    '### What is bought ⚠️',
    '',
    ...offerTable(plan, facts),
    ...changeLines(facts),
    ...footer(plan),
    ...blockedLines(facts, hide, options.complete ? limit : PROBLEM_BUDGET),
    ...warningLines(facts, hide, options.complete ? limit : PROBLEM_BUDGET),
  ].join('\n');
  const tailReserve = 600;
  const rows = customerRows(facts, plan.cost !== undefined, limit - head.length - tailReserve);
  const rowText = rows ? rows.join('\n') : `### Customers (${thousands(facts.rows.length)})\n\n**Too many customers to name here:** ${more(options.fullPlanLink)}\n`;
  const detailed = facts.rows.filter((r) => r.blocked || r.customer.actions.length > 0 || r.customer.warnings.length > 0).map((r) => r.customer);
  if (options.complete) {
    // no limit: every section in full, each made and handed on alone
    const detailHead = detailed.length > 0 ? '### Details, by name\n\n' : '';
    const costs = costsById(plan);
    const renewals = renewalMoneyById(plan);
    yield* trimmedEnd(
      (function* () {
        yield `${head}\n${rowText}\n${detailHead}`;
        for (const c of detailed) yield customerEntry(c, hide, costs, 'full', renewals);
      })(),
    );
    return;
  }
  const { details, left, form } = detailSections(detailed, hide, costsById(plan), renewalMoneyById(plan), limit - (head.length + rowText.length + tailReserve));
  const shortened = form === 'full' ? '' : `<sub>Shortened to fit one comment: ${form === 'compact' ? 'reasons and hints' : 'reasons, hints and the messages of blockers and warnings (see the lists above)'} are in the complete plan.</sub>\n\n`;
  const detailHead = detailed.length > 0 ? `### Details, by name\n\n${shortened}` : '';
  // Only say every customer is named above when the rows did not have to cut name lists short.
  const allNamed = rows !== undefined && !rowText.includes('more (in the complete plan)');
  const named = allNamed ? 'every one is named above' : 'not every one is named above either (long names or a large fleet): the complete plan names them all';
  const cut = left > 0 ? `\n> **${thousands(left)} customer(s) have no detail section here** (this comment stays under ${thousands(MARKDOWN_LIMIT)} characters); ${named}. ${more(options.fullPlanLink)}\n` : '';
  yield `${head}\n${rowText}\n${detailHead}${details.join('')}${cut}`.trimEnd() + '\n';
}

/**
 * One section per customer, by name, in the first form in which they all fit in `budget` (full, compact, terse —
 * see EntryForm); failing that, terse sections for as many as fit, and `left` says how many customers have none
 * (the caller points at the complete plan).
 */
function detailSections(customers: readonly CustomerPlan[], hide: boolean, costs: ReadonlyMap<string, PurchaseCost>, renewals: ReadonlyMap<string, string>, budget: number): { details: string[]; left: number; form: EntryForm } {
  let details: string[] = [];
  let form: EntryForm = 'full';
  for (form of ['full', 'compact', 'terse'] as const) {
    details = [];
    let used = 0;
    for (const c of customers) {
      const entry = customerEntry(c, hide, costs, form, renewals);
      if (used + entry.length > budget) break;
      used += entry.length;
      details.push(entry);
    }
    if (details.length === customers.length) break;
  }
  return { details, left: customers.length - details.length, form };
}

function headline(plan: Plan): string[] {
  const t = summarize(plan);
  return [
    `<!-- ${ACTIONS_HASH_MARKER} ${clip(inertText(plan.actionsHash), 80).replace(/--/g, '- -')} -->`,
    `## pcsync plan: ${thousands(t.changed)} of ${thousands(t.customers)} customer(s) to change${t.blocked > 0 ? `, ${thousands(t.blocked)} blocked` : ''}`,
    '',
  ];
}

function footer(plan: Plan): string[] {
  const t = summarize(plan);
  return [
    `Customers affected: ${thousands(t.changed)} · seats to buy: ${thousands(t.seatsBought)} · users to move: ${thousands(t.usersMoved)} · subscriptions to retire: ${thousands(t.retirements)} · blockers: ${thousands(t.blockers)} · warnings: ${thousands(t.warnings)}`,
    '',
    `Actions hash: ${code(clip(plan.actionsHash, 80))}. The apply on merge re-plans the merged commit and applies only if it plans exactly these actions.`,
    '',
    // A saved plan shown by `pcsync show` may come from anywhere: its metadata is text like any other.
    `<sub>Planned at ${mdText(clip(plan.createdAt, 40))} by pcsync ${mdText(clip(plan.pcsyncVersion, 40))} from desired state ${mdText(clip(plan.desiredHash, 80))}.</sub>`,
    '',
  ];
}

function more(link: string | undefined): string {
  return link
    ? `The complete plan (every customer and action): ${clip(inertText(link), 500)}`
    : 'The complete plan is the `plan-full.md` / `plan.json` artefact of this run (`pcsync show plan.json` renders it).';
}
