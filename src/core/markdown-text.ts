import { inertText } from './inert.js';

export { fenceFor, fenced, inertText } from './inert.js';

/**
 * Escaping for the markdown plan and every other markdown pcsync writes (report, job summary). Names and
 * messages come from Partner Center and from YAML files, so none of their characters may format, link, open
 * HTML, mention someone, break a table row or reach the page as a control or bidi character.
 */

/**
 * GitHub autolinks a bare `https://…`, `www.…` (and `mailto:`/`xmpp:`) in text (GFM "extended autolinks"): a live
 * value would become a link a reviewer may click. A zero-width joiner before the `:` of a scheme and the `.` after
 * `www` keeps the text as it reads and stops the autolink (it needs the scheme, the colon and `//` side by side).
 */
const WORD_JOINER = '\u200d';
function unlinked(s: string): string {
  return s.replace(/([a-z][a-z0-9+.-]*)(:)(?=\/\/|[^\s]*@)/gi, `$1${WORD_JOINER}$2`).replace(/\b(www)\./gi, `$1${WORD_JOINER}.`);
}

/** Inline markdown text: no formatting, link (autolinks included), HTML, mention or line break can come out of `s`. */
export function mdText(s: string): string {
  return unlinked(oneLine(s))
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_{}[\]<>|~#!]/g, (c) => `\\${c}`)
    .replace(/(^|[^\w.+-])@/g, '$1&#64;');
}

/**
 * Text inside an HTML element such as `<summary>`, where markdown is not rendered — brackets are encoded all
 * the same, so no renderer that does parse it can make a link or an image of a name.
 */
export function htmlText(s: string): string {
  return unlinked(oneLine(s))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/\[/g, '&#91;')
    .replace(/\]/g, '&#93;');
}

/** A markdown code span (ids, codes, hashes, file paths). */
export function code(s: string): string {
  return `\`${oneLine(s).replace(/`/g, "'")}\``;
}

/** An HTML code element, for use inside `<summary>`. */
export function htmlCode(s: string): string {
  return `<code>${htmlText(s)}</code>`;
}

/** At most `max` characters: values the plan carries verbatim (hashes, versions, links) cannot blow the size limit. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** 65000 → `65,000`, the same on every machine (no locale). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `n thing(s)` with the plural only when it is needed. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** One inert line: no control or bidi character, line breaks collapsed (see core/inert.ts). */
function oneLine(s: string): string {
  return inertText(s);
}

/** The name other renderers use for inline markdown text (issue 13's summary, the report). */
export const markdownText = mdText;
