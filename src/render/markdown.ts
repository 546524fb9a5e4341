import { summarize } from '../plan/summary.js';
import { customerEntry, unchangedEntry, type MarkdownEntry } from './markdown-customer.js';
import { clip, code, thousands } from './markdown-text.js';
import type { Plan } from '../plan/types.js';
import type { RenderOptions } from './index.js';

/** GitHub refuses comments of 65,536 characters or more; the markdown plan always stays below this. */
export const MARKDOWN_LIMIT = 65_000;

/** Marks the comment so CI can find it and read the approved actions hash back: `<!-- pcsync:actions-hash sha256:… -->`. */
export const ACTIONS_HASH_MARKER = 'pcsync:actions-hash';

type Kind = 'blocked' | 'changing' | 'unchanged';

interface Group {
  readonly kind: Kind;
  /** Written before the group's first entry that fits. */
  readonly open: string;
  /** Written after its last entry; its length is reserved as soon as the group opens. */
  readonly close: string;
  readonly entries: readonly MarkdownEntry[];
}

/**
 * The plan as a pull-request comment: totals, blocker counts by kind and the actions hash first; then the
 * blocked customers, the customers that change (one collapsible section each, actions in run order with
 * their reasons, irreversible ones marked) and the unchanged ones. When it would not fit under
 * MARKDOWN_LIMIT, later customers shrink to one line and then are left out, with a pointer to the full
 * plan; the totals always count everyone. No clock: the only time shown is the plan's own createdAt.
 */
export function renderMarkdown(plan: Plan, options: RenderOptions = {}): string {
  const hide = options.hideUsers ?? false;
  const by = (kind: Kind) => plan.customers.filter((c) => kindOf(c) === kind);
  const groups: Group[] = [
    { kind: 'blocked', open: '### ⛔ Blocked: nothing will be changed for these customers\n\n', close: '', entries: by('blocked').map((c) => customerEntry(c, hide)) },
    { kind: 'changing', open: '### Changes\n\n', close: '', entries: by('changing').map((c) => customerEntry(c, hide)) },
    { kind: 'unchanged', open: `<details><summary>No changes: ${by('unchanged').length} customer(s) already as desired</summary>\n\n`, close: '\n</details>\n', entries: by('unchanged').map(unchangedEntry) },
  ];
  const head = headline(plan);
  const worst = note(plan.customers.length, plan.customers.length, { blocked: plan.customers.length, changing: plan.customers.length, unchanged: plan.customers.length }, options.fullPlanLink);
  const body = fit(groups, MARKDOWN_LIMIT - 1 - head.length - worst.length);
  const omitted = body.omitted.blocked + body.omitted.changing + body.omitted.unchanged;
  const shortened = omitted > 0 || body.shortened > 0 ? note(body.shortened, omitted, body.omitted, options.fullPlanLink) : '';
  return `${head}${shortened}${body.text}`.trimEnd() + '\n';
}

function kindOf(c: Plan['customers'][number]): Kind {
  if (c.blockers.length > 0) return 'blocked';
  return c.actions.length > 0 ? 'changing' : 'unchanged';
}

function headline(plan: Plan): string {
  const t = summarize(plan);
  const lines = [
    `<!-- ${ACTIONS_HASH_MARKER} ${clip(plan.actionsHash, 80)} -->`,
    `## pcsync plan: ${t.changed} of ${t.customers} customer(s) to change${t.blocked > 0 ? `, ${t.blocked} blocked` : ''}`,
    '',
    '| customers affected | seats to buy | users to move | subscriptions to suspend | blockers | warnings |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${t.changed} | ${t.seatsBought} | ${t.usersMoved} | ${t.suspends} | ${t.blockers} | ${t.warnings} |`,
    '',
    ...blockerTable(plan),
    `Actions hash: ${code(clip(plan.actionsHash, 80))}. The apply on merge re-plans the merged commit and applies only if it plans exactly these actions.`,
    '',
    `<sub>Planned at ${clip(plan.createdAt, 40)} by pcsync ${clip(plan.pcsyncVersion, 40)} from desired state ${clip(plan.desiredHash, 80)}.</sub>`,
    '',
    '',
  ];
  return lines.join('\n');
}

/** Every blocker kind with how often it occurs and for how many customers; always shown in full. */
function blockerTable(plan: Plan): string[] {
  const kinds = new Map<string, { count: number; customers: number }>();
  for (const c of plan.customers) {
    for (const code of new Set(c.blockers.map((b) => b.code))) {
      const k = kinds.get(code) ?? { count: 0, customers: 0 };
      kinds.set(code, { count: k.count + c.blockers.filter((b) => b.code === code).length, customers: k.customers + 1 });
    }
  }
  if (kinds.size === 0) return [];
  const rows = [...kinds].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `| ${code(k)} | ${v.count} | ${v.customers} |`);
  return ['**⛔ Blocked customers get no changes until their blockers are fixed.**', '', '| blocker | count | customers |', '| --- | ---: | ---: |', ...rows, ''];
}

function note(shortened: number, omitted: number, by: Readonly<Record<Kind, number>>, link: string | undefined): string {
  const parts = [`> **This plan is shortened to stay under ${thousands(MARKDOWN_LIMIT)} characters.**`];
  if (shortened > 0) parts.push(`${shortened} customer(s) are shown on one line without their actions.`);
  if (omitted > 0) parts.push(`${omitted} customer(s) are not listed (${by.blocked} blocked, ${by.changing} to change, ${by.unchanged} unchanged).`);
  parts.push('The totals above count every customer.');
  parts.push(link ? `Full plan: ${clip(link, 500)}` : 'The full plan is the `plan.json` artefact of this run (or run `pcsync plan --format json`).');
  return `${parts.join(' ')}\n\n`;
}

interface Fitted {
  readonly text: string;
  readonly shortened: number;
  readonly omitted: Record<Kind, number>;
}

/** Entries in order while they fit in `budget`: full sections first, one-liners once a section does not fit. */
function fit(groups: readonly Group[], budget: number): Fitted {
  let used = 0;
  let short = false;
  let full = false;
  let shortened = 0;
  const omitted: Record<Kind, number> = { blocked: 0, changing: 0, unchanged: 0 };
  const out: string[] = [];
  for (const g of groups) {
    let opened = false;
    for (const e of g.entries) {
      const frame = opened ? 0 : g.open.length + g.close.length;
      if (!short && used + frame + e.full.length > budget) short = true;
      const text = short ? e.short : e.full;
      if (full || used + frame + text.length > budget) {
        // Once one customer is left out, so is everyone after it: the list stays a prefix of the plan.
        full = true;
        omitted[g.kind]++;
        continue;
      }
      if (!opened) out.push(g.open);
      opened = true;
      used += frame + text.length;
      out.push(text);
      if (text !== e.full) shortened++;
    }
    if (opened) out.push(g.close);
  }
  return { text: out.join(''), shortened, omitted };
}
