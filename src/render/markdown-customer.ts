import { seatsBought } from '../plan/summary.js';
import { describeAction, describeChange } from './text-actions.js';
import { customerUsers, redactUsers } from './redact.js';
import { code, count, htmlCode, htmlText, mdText } from './markdown-text.js';
import { purchaseCostText } from './plan-facts.js';
import type { PurchaseCost } from '../plan/cost.js';
import type { Action, CustomerPlan, Problem, ReassignAction } from '../plan/types.js';

/** One customer in the markdown plan: a collapsible section, and the one line it shrinks to when space runs out. */
export interface MarkdownEntry {
  readonly full: string;
  readonly short: string;
}

/** Each kind as it is shown; a retirement the way it is done (a new-commerce cancel or end-at-term is not a suspend). */
const ICON: Readonly<Record<Action['kind'], string>> = {
  purchase: '➕ **purchase**',
  'await-provisioning': '⏳ **await**',
  reassign: '🔁 **reassign**',
  suspend: '⏸️ **suspend**',
  cancel: '✖️ **cancel**',
  'end-at-term': '⏹️ **end at term end**',
};

/** Markdown for one customer; `hideUsers` turns every user name into `[user]` and reassigns into counts. */
export function customerEntry(c: CustomerPlan, hideUsers: boolean, costs: ReadonlyMap<string, PurchaseCost> = new Map()): MarkdownEntry {
  const users = hideUsers ? customerUsers(c) : [];
  const t = (s: string) => mdText(redactUsers(s, users));
  const blocked = c.blockers.length > 0;
  const facts = blocked ? [count(c.blockers.length, 'blocker')] : changeFacts(c.actions);
  const name = `<b>${htmlText(c.displayName)}</b> ${htmlCode(c.customerId)}`;
  const summary = `${blocked ? '⛔ ' : ''}${name} · ${htmlText((facts.length > 0 ? facts : [count(c.warnings.length, 'warning')]).join(' · '))}`;
  const body = [
    `File: ${code(c.file)}${c.actions.length > 0 ? ` · ${count(c.actions.length, 'action')}, run in this order:` : ''}`,
    '',
    ...actionItems(c.actions, hideUsers, t, costs),
    ...(c.actions.length > 0 ? [''] : []),
    ...c.blockers.map((p) => problemItem(p, '⛔ **blocker**', t)),
    ...c.warnings.map((p) => problemItem(p, '⚠️ **warning**', t)),
  ];
  const full = `<details><summary>${summary}</summary>\n\n${body.join('\n').trimEnd()}\n\n</details>\n\n`;
  const codes = blocked ? `: ${[...new Set(c.blockers.map((b) => code(b.code)))].join(', ')}` : '';
  const short = `- ${blocked ? '⛔ ' : ''}**${mdText(c.displayName)}** ${code(c.customerId)} · ${facts.join(' · ')}${codes}\n`;
  return { full, short };
}

/** A customer with nothing to do: the same line in both forms. */
export function unchangedEntry(c: CustomerPlan): MarkdownEntry {
  const line = `- ${mdText(c.displayName)} ${code(c.customerId)}${c.warnings.length > 0 ? ` · ${count(c.warnings.length, 'warning')}` : ''}\n`;
  return { full: line, short: line };
}

function changeFacts(actions: readonly Action[]): string[] {
  const offers = [...new Set(actions.flatMap((a) => (a.kind === 'purchase' ? [a.offerName] : [])))];
  const seats = actions.reduce((n, a) => n + seatsBought(a), 0);
  const moves = actions.filter((a) => a.kind === 'reassign').length;
  const retired = (kind: Action['kind']) => actions.filter((a) => a.kind === kind).length;
  return [
    ...(seats > 0 ? [`buy ${count(seats, 'seat')} of ${offers.map((o) => `"${o}"`).join(', ')}`] : []),
    ...(moves > 0 ? [`move ${count(moves, 'user')}`] : []),
    ...(retired('suspend') > 0 ? [`suspend ${count(retired('suspend'), 'subscription')}`] : []),
    ...(retired('cancel') > 0 ? [`cancel ${count(retired('cancel'), 'subscription')}`] : []),
    ...(retired('end-at-term') > 0 ? [`end ${count(retired('end-at-term'), 'subscription')} at term end`] : []),
  ];
}

/** Numbered in run order; with users hidden, a customer's reassigns become one counted item per licence change. */
function actionItems(actions: readonly Action[], hideUsers: boolean, t: (s: string) => string, costs: ReadonlyMap<string, PurchaseCost>): string[] {
  const items: string[] = [];
  const reassigns = actions.filter((a): a is ReassignAction => a.kind === 'reassign');
  let grouped = false;
  for (const a of actions) {
    if (a.kind !== 'reassign' || !hideUsers) {
      const price = a.kind === 'purchase' && costs.has(a.id) ? ` · ${mdText(purchaseCostText(costs.get(a.id)))}` : '';
      items.push(`${ICON[a.kind]} ${t(describeAction(a))}${price}${irreversible(a)}<br><sub>${t(a.reasonText)}</sub>`);
    } else if (!grouped) {
      grouped = true;
      for (const [change, n] of groups(reassigns)) {
        items.push(`${ICON.reassign} ${count(n.length, 'user')}: ${t(change)}<br><sub>${[...new Set(n.map((r) => t(r.reasonText)))].join('; ')}</sub>`);
      }
    }
  }
  return items.map((item, i) => `${i + 1}. ${item}`);
}

function groups(reassigns: readonly ReassignAction[]): Map<string, ReassignAction[]> {
  const out = new Map<string, ReassignAction[]>();
  for (const a of reassigns) {
    const key = describeChange(a);
    out.set(key, [...(out.get(key) ?? []), a]);
  }
  return out;
}

/** Only the action itself is marked; what irreversible means is said once, in the summary. */
function irreversible(a: Action): string {
  return a.irreversible ? ' · ⚠️ **irreversible**' : '';
}

function problemItem(p: Problem, mark: string, t: (s: string) => string): string {
  const extra = [...(p.hint ? [`hint: ${t(p.hint)}`] : []), ...(p.source ? [`at ${code(`${p.source.file}:${p.source.line}:${p.source.column}`)}`] : [])];
  return `- ${mark} ${code(p.code)}: ${t(p.message)}${extra.map((e) => `<br>${e}`).join('')}`;
}
