import { seatsBought } from '../plan/summary.js';
import { describeAction, describeChange } from './text-actions.js';
import { customerUsers, redactUsers } from './redact.js';
import { code, count, htmlCode, htmlText, mdText } from '../core/markdown-text.js';
import { formatMoney, purchaseCostText } from './plan-facts.js';
import type { PurchaseCost } from '../plan/cost.js';
import type { Action, CustomerPlan, Problem, ReassignAction } from '../plan/types.js';

/**
 * How much a customer's section says. `full`: every action with its reason, every problem with its hint. `compact`
 * (the sections would not all fit in one comment): no reasons or hints, and the reassigns of one licence change as
 * one item naming its users. `terse` (still too long): problems by code and place only — their messages are in the
 * comment's Blocked and Warnings lists and in the complete plan.
 */
export type EntryForm = 'full' | 'compact' | 'terse';

/** Each kind as it is shown; a retirement the way it is done (a new-commerce cancel or end-at-term is not a suspend). */
const ICON: Readonly<Record<Action['kind'], string>> = {
  purchase: '➕ **purchase**',
  'await-provisioning': '⏳ **await**',
  reassign: '🔁 **reassign**',
  suspend: '⏸️ **suspend**',
  cancel: '✖️ **cancel**',
  'end-at-term': '⏹️ **end at term end**',
  'schedule-renewal': '📅 **at renewal**',
};

/** One customer's collapsible section; `hideUsers` turns every user name into `[user]` and reassigns into counts. */
export function customerEntry(c: CustomerPlan, hideUsers: boolean, costs: ReadonlyMap<string, PurchaseCost> = new Map(), form: EntryForm = 'full', renewals: ReadonlyMap<string, string> = new Map()): string {
  const users = hideUsers ? customerUsers(c) : [];
  const t = (s: string) => mdText(redactUsers(s, users));
  const blocked = c.blockers.length > 0;
  const facts = blocked ? [count(c.blockers.length, 'blocker')] : changeFacts(c.actions);
  const name = `<b>${htmlText(c.displayName)}</b> ${htmlCode(c.customerId)}`;
  const summary = `${blocked ? '⛔ ' : ''}${c.warnings.length > 0 ? '⚠️ ' : ''}${name} · ${htmlText((facts.length > 0 ? facts : [count(c.warnings.length, 'warning')]).join(' · '))}`;
  const body = [
    `File: ${code(c.file)}${c.actions.length > 0 ? ` · ${count(c.actions.length, 'action')}, run in this order:` : ''}`,
    '',
    ...actionItems(c.actions, hideUsers, form, t, costs, renewals),
    ...(c.actions.length > 0 ? [''] : []),
    ...c.blockers.map((p) => problemItem(p, '⛔ **blocker**', t, form)),
    ...c.warnings.map((p) => problemItem(p, '⚠️ **warning**', t, form)),
  ];
  return `<details><summary>${summary}</summary>\n\n${body.join('\n').trimEnd()}\n\n</details>\n\n`;
}

/** `buy 2 seats of "A", 1 seat of "B"`: seats are counted per offer, never added up across offers. */
function changeFacts(actions: readonly Action[]): string[] {
  const seats = new Map<string, number>();
  for (const a of actions) if (a.kind === 'purchase') seats.set(a.offerName, (seats.get(a.offerName) ?? 0) + seatsBought(a));
  const buys = [...seats].filter(([, n]) => n > 0).map(([offer, n]) => `${count(n, 'seat')} of "${offer}"`);
  const moves = actions.filter((a) => a.kind === 'reassign').length;
  const retired = (kind: Action['kind']) => actions.filter((a) => a.kind === kind).length;
  return [
    ...(buys.length > 0 ? [`buy ${buys.join(', ')}`] : []),
    ...(moves > 0 ? [`move ${count(moves, 'user')}`] : []),
    ...(retired('suspend') > 0 ? [`suspend ${count(retired('suspend'), 'subscription')}`] : []),
    ...(retired('cancel') > 0 ? [`cancel ${count(retired('cancel'), 'subscription')}`] : []),
    ...(retired('end-at-term') > 0 ? [`end ${count(retired('end-at-term'), 'subscription')} at term end`] : []),
    ...(retired('schedule-renewal') > 0 ? [`change ${count(retired('schedule-renewal'), 'subscription')} at renewal`] : []),
  ];
}

/**
 * Numbered in run order; with users hidden, a customer's reassigns become one counted item per licence change, and
 * in `compact` form one item per licence change naming its users.
 */
function actionItems(actions: readonly Action[], hideUsers: boolean, form: EntryForm, t: (s: string) => string, costs: ReadonlyMap<string, PurchaseCost>, renewals: ReadonlyMap<string, string>): string[] {
  const compact = form !== 'full';
  const items: string[] = [];
  const reassigns = actions.filter((a): a is ReassignAction => a.kind === 'reassign');
  let grouped = false;
  for (const a of actions) {
    if (a.kind !== 'reassign' || (!hideUsers && !compact)) {
      const price =
        a.kind === 'purchase' && costs.has(a.id)
          ? ` · ${mdText(form === 'terse' ? committedText(costs.get(a.id)!) : purchaseCostText(costs.get(a.id)))}`
          : a.kind === 'schedule-renewal' && renewals.has(a.id)
            ? ` · ${mdText(renewals.get(a.id)!)}`
            : '';
      items.push(`${ICON[a.kind]} ${t(describeAction(a))}${price}${irreversible(a)}${compact ? '' : `<br><sub>${t(a.reasonText)}</sub>`}`);
    } else if (!grouped) {
      grouped = true;
      for (const [change, n] of groups(reassigns)) {
        const why = compact ? [] : [...new Set(n.map((r) => t(r.reasonText)))];
        const who = hideUsers ? why : [t(upnList(n.map((r) => r.upn))), ...why];
        items.push(`${ICON.reassign} ${count(n.length, 'user')}: ${t(change)}${who.length > 0 ? `<br><sub>${who.join(' · ')}</sub>` : ''}`);
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

function problemItem(p: Problem, mark: string, t: (s: string) => string, form: EntryForm): string {
  const place = p.source ? ` at ${code(`${p.source.file}:${p.source.line}:${p.source.column}`)}` : '';
  if (form === 'terse') return `- ${mark} ${code(p.code)}${place}`;
  const hint = p.hint && form === 'full' ? `<br>hint: ${t(p.hint)}` : '';
  return `- ${mark} ${code(p.code)}: ${t(p.message)}${hint}${place ? `<br>${place.trim()}` : ''}`;
}

/** `USD 2,340.00 committed`, or `price unknown`: a purchase's cost in a terse section. */
function committedText(p: PurchaseCost): string {
  return p.currency === undefined ? 'price unknown' : `${formatMoney(p.currency, p.committed!)} committed`;
}

/** `ana, ben (@contoso.com), cy@fabrikam.com`: user names sharing a domain name it once, after them. */
function upnList(upns: readonly string[]): string {
  const byDomain = new Map<string, string[]>();
  for (const u of upns) {
    const at = u.lastIndexOf('@');
    const domain = at > 0 ? u.slice(at) : '';
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), at > 0 ? u.slice(0, at) : u]);
  }
  return [...byDomain].map(([domain, names]) => (domain && names.length > 1 ? `${names.join(', ')} (${domain})` : names.map((n) => `${n}${domain}`).join(', '))).join(', ');
}
