import { PRICE_GROUP_TEXT } from '../catalog/index.js';
import type { PriceGroup } from '../catalog/types.js';
import { inertText } from '../core/inert.js';
import type { ImportProposal, ProposedReplacement, ProposedRetirement } from './propose.js';

/** "commercial replacement for a Government Pricing subscription: …", for the file's comments and stderr. */
export function priceGroupChangeText(p: { country: string }, c: { from: PriceGroup; to: PriceGroup }): string {
  return (
    `${PRICE_GROUP_TEXT[c.to]} replacement for a ${PRICE_GROUP_TEXT[c.from]} subscription: the ${p.country} catalogue ` +
    `sells no ${PRICE_GROUP_TEXT[c.from]} variant of it, so the customer would pay another price group; check its eligibility and price, ` +
    'or choose another offer'
  );
}

/**
 * A YAML scalar: plain when unambiguous, otherwise double-quoted (JSON string syntax is valid YAML), with every
 * character a YAML 1.1 or 1.2 reader might take as a line break or that a terminal would act on escaped — a
 * live value can never add a key, an entry or a line to the file.
 */
function q(s: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9 ._@()-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s) && !/ $/.test(s)) return s;
  return quoted(s);
}

/** Always double-quoted, escaped as in `q`. */
function quoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Wraps prose into `# ` comment lines of at most ~100 characters, indented by `indent`; live values in it stay on their comment line. */
function comment(text: string, indent = ''): string[] {
  const out: string[] = [];
  let lineText = '';
  for (const word of inertText(text).split(/\s+/).filter(Boolean)) {
    if (lineText && `${lineText} ${word}`.length > 96 - indent.length) {
      out.push(`${indent}# ${lineText}`);
      lineText = word;
    } else lineText = lineText ? `${lineText} ${word}` : word;
  }
  if (lineText) out.push(`${indent}# ${lineText}`);
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function ends(r: ProposedRetirement): string {
  if (!r.sub.commitmentEndDate) return 'no commitment end date';
  const day = r.sub.commitmentEndDate.slice(0, 10);
  if (r.daysLeft === undefined) return `commitment ends ${day}`;
  return r.daysLeft < 0 ? `commitment ended ${day} (${plural(-r.daysLeft, 'day')} ago)` : `commitment ends ${day} (${plural(r.daysLeft, 'day')} left)`;
}

function replacementBlock(p: ImportProposal, r: ProposedReplacement): string[] {
  const forWhat = p.retirements.filter((x) => x.replacement === r.handle);
  const users = forWhat.reduce((n, x) => n + movers(x).length, 0);
  return [
    ...comment(`Proposed replacement for ${forWhat.map((x) => `"${x.sub.offerName}"`).join(' and ')}.`, '  '),
    ...(r.offerId ? comment(`In the ${p.country} catalogue as offer ${r.offerId}.`, '  ') : comment(`Not found for sale in the ${p.country} catalogue: choose another offer, or the plan blocks.`, '  ')),
    ...(r.alternatives.length > 0 ? comment(`Other replacements the catalogue suggests: ${r.alternatives.join(', ')}.`, '  ') : []),
    ...(r.priceGroupChanged ? comment(`WARNING: ${priceGroupChangeText(p, r.priceGroupChanged)}.`, '  ') : []),
    `  ${r.handle}:`,
    `    offer: ${q(r.name)}`,
    ...comment(`auto = one seat per user given this licence below (${users} today); raised when needed, never lowered.`, '    '),
    '    quantity: auto',
  ];
}

function retirementBlock(r: ProposedRetirement): string[] {
  const allMove =
    r.holders.length === 0
      ? ' Nobody holds its licence today, so it is only suspended.'
      : movers(r).length === 0
        ? ` Its holders all move with ${[...new Set(r.movedWith.map((m) => m.handle))].join(', ')}.`
        : '';
  return [
    ...comment(`Retired: ${r.sub.quantityUnknown ? 'seats unknown (Partner Center sent no quantity)' : plural(r.sub.quantity, 'seat')}, ${r.holders.length} assigned, ${ends(r)}. Suspended only once nobody holds its licence any more.${allMove}`, '  '),
    `  ${r.handle}:`,
    '    match:',
    `      offerName: ${quoted(r.sub.offerName)}`,
    ...(r.matchById ? [`      subscriptionId: ${q(r.sub.id)}`] : []),
    '    status: suspended',
  ];
}

/** Holders who move under this entry (not with an earlier retirement). */
const movers = (r: ProposedRetirement) => r.holders.filter((u) => !r.movedWith.some((m) => m.upn === u));

/** "The licence of X is also granted by …", for the file's comments and stderr. */
export function sharedSkuText(r: ProposedRetirement): string {
  const others = (r.sharedWith ?? []).map((s) => `"${s.offerName}" (${s.id}, ${plural(s.quantity, 'seat')}, stays)`).join(', ');
  return (
    `the licence of ${r.handle} is also granted by ${others}, so pcsync cannot tell which of its ${r.holders.length} holders use the ` +
    `retiring subscription's ${plural(r.sub.quantity, 'seat')}; the plan blocks "from: ${r.handle}" — replace it with users: listing at most ${r.sub.quantity} of them`
  );
}

function licenceEntry(r: ProposedRetirement): string[] {
  const stay = movers(r);
  if (stay.length === 0) return [];
  const missing = r.withoutUsageLocation.filter((u) => stay.includes(u));
  const notes = [
    ...(r.sharedWith ? comment(`WARNING: ${sharedSkuText(r)}.`, '  ') : []),
    ...r.movedWith.flatMap((m) => comment(`${m.upn} also holds the ${m.handle} licence and moves with it above; that move removes this licence in the same step.`, '  ')),
    ...(missing.length > 0 ? comment(`No usage location (set one in the customer's admin centre first, or the plan blocks): ${missing.join(', ')}.`, '  ') : []),
  ];
  if (r.movedWith.length > 0) {
    return [
      ...comment(`These holders of the ${r.handle} licence move to ${r.replacement}, one step per user, so nobody is ever without access.`, '  '),
      ...notes,
      `  - subscription: ${r.replacement}`,
      `    users: [${stay.map(q).join(', ')}]`,
    ];
  }
  const who = [`  # Holders today (${r.holders.length}):`, ...r.holders.map((u) => `  #   ${inertText(u)}`)];
  return [
    ...comment(`Everyone who holds the ${r.handle} licence moves to ${r.replacement}, one step per user, so nobody is ever without access.`, '  '),
    ...who,
    ...notes,
    `  - subscription: ${r.replacement}`,
    `    from: ${r.handle}`,
  ];
}

function licences(p: ImportProposal): string[] {
  const entries = p.retirements.map(licenceEntry).filter((e) => e.length > 0);
  return entries.length === 0 ? [] : ['', 'licenses:', ...entries.flatMap((e, i) => [...(i > 0 ? [''] : []), ...e])];
}

/** Where a customer file in `desired-state/customers/` finds its schema (`schemas/` beside desired-state/, as `pcsync init` writes it). */
export const CUSTOMER_SCHEMA_REF = '../../schemas/customer.schema.json';

/**
 * The customer file, with comments a reviewer needs. Pure: the same proposal always gives the same text.
 * `schemaRef` is the `$schema` path relative to the file (default: a file in desired-state/customers/).
 */
export function renderImportYaml(p: ImportProposal, schemaRef: string = CUSTOMER_SCHEMA_REF): string {
  const name = p.companyName ? `${p.companyName}${p.domain ? ` (${p.domain})` : ''}` : p.customerId;
  const migrated = p.alreadyMigrated.map((s) => `"${s.offerName}" (${s.id}, ${s.status})`);
  const lines = [
    `# yaml-language-server: $schema=${schemaRef}`,
    '#',
    ...comment(`${name}: written by \`pcsync import\` from live state on ${p.asOf.slice(0, 10)}.`),
    ...comment(
      `It still has ${plural(p.retirements.length, 'retired CRM Basic (Qualified Offer) subscription')}. This file buys the proposed ` +
        `${p.replacements.length === 1 ? 'replacement' : 'replacements'}, moves every current holder's licence, then suspends ` +
        `${p.retirements.length === 1 ? 'the retired subscription' : 'the retired subscriptions'}. Review the offers and the users, then run \`pcsync plan\`.`,
    ),
    ...(migrated.length > 0 ? comment(`Already migrated and left alone: ${migrated.join(', ')}.`) : []),
    'apiVersion: pcsync/v1',
    'kind: Customer',
    '',
    'customer:',
    `  id: ${q(p.customerId)}`,
    ...(p.domain ? [`  domain: ${q(p.domain)}`] : []),
    '',
    'subscriptions:',
    ...p.replacements.flatMap((r, i) => [...(i > 0 ? [''] : []), ...replacementBlock(p, r)]),
    ...p.retirements.flatMap((r) => ['', ...retirementBlock(r)]),
    ...licences(p),
  ];
  return `${lines.join('\n')}\n`;
}
