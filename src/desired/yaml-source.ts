import { LineCounter, isCollection, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import type { Diagnostic, SourceLocation } from '../core/diagnostics.js';
import { makeLocator, type Locator } from './locate.js';
import { excerpt, inertText } from '../core/inert.js';

/** More alias expansions than this in one file are treated as an attack ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** YAML errors reported per file; a binary or badly broken file would otherwise print thousands. */
const MAX_YAML_ERRORS = 20;

export interface ParsedYaml {
  /** The document as plain data (null for an empty document). */
  readonly data: unknown;
  readonly at: Locator;
}

/** Parses one YAML document; every syntax problem, duplicate key or alias abuse becomes a diagnostic. */
export function parseYaml(text: string, file: string): { parsed?: ParsedYaml; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    return { diagnostics: [error('yaml.syntax', { file, line: 1, column: 1 }, `cannot parse YAML: ${String(err)}`)] };
  }
  const pos = (offset: number): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const errors = withoutCascades(doc.errors);
  const diagnostics: Diagnostic[] = errors.slice(0, MAX_YAML_ERRORS).map((e) => {
    const at = e.code === 'MISSING_CHAR' && /closing .?quote/i.test(e.message) ? openingQuote(text, e.pos[0], e.message.includes("'quote") ? "'" : '"') : e.pos[0];
    const d = error(e.code === 'DUPLICATE_KEY' ? 'yaml.duplicate-key' : 'yaml.syntax', pos(at), yamlMessage(e.code, e.message, text.slice(e.pos[0], e.pos[0] + 200)));
    return e.code === 'TAB_AS_INDENT' ? { ...d, detail: 'Indent with spaces: YAML does not allow tabs for indentation.' } : d;
  });
  if (errors.length > MAX_YAML_ERRORS) {
    const last = errors[MAX_YAML_ERRORS]!;
    diagnostics.push(error('yaml.syntax', pos(last.pos[0]), `${errors.length - MAX_YAML_ERRORS} more YAML errors in this file not shown`));
  }
  for (const w of doc.warnings) diagnostics.push({ ...error('yaml.syntax', pos(w.pos[0]), yamlMessage(w.code, w.message, '')), severity: 'warning' });
  if (doc.errors.length > 0) return { diagnostics };

  const abuse = aliasAbuse(doc);
  if (abuse) return { diagnostics: [...diagnostics, error('yaml.alias-limit', pos(abuse.alias.range?.[0] ?? 0), abuse.summary)] };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const alias = firstAlias(doc);
    const where = pos(alias?.range?.[0] ?? 0);
    if (err instanceof ReferenceError) return { diagnostics: [...diagnostics, error('yaml.alias-limit', where, aliasLimitMessage())] };
    return { diagnostics: [...diagnostics, error('yaml.syntax', where, `cannot read YAML: ${String(err)}`)] };
  }
  return { parsed: { data, at: makeLocator(doc, lines, file) }, diagnostics };
}

/**
 * One cause, one message: after a tab used as indentation the parser loses track of the structure and reports
 * follow-on indentation errors for lines that are fine. Keep the tab errors and what came before the first one.
 */
function withoutCascades<E extends { code: string; pos: [number, number] }>(errors: readonly E[]): E[] {
  const firstTab = errors.find((e) => e.code === 'TAB_AS_INDENT');
  if (!firstTab) return [...errors];
  return errors.filter((e) => e.code === 'TAB_AS_INDENT' || e.pos[0] < firstTab.pos[0]);
}

/** Where an unclosed quoted scalar opens: the parser reports where it gave up (end of line or of file). */
function openingQuote(text: string, givenUpAt: number, quote: string): number {
  for (let i = Math.min(givenUpAt, text.length - 1); i >= 0; i--) {
    if (text[i] === quote && (quote === "'" || text[i - 1] !== '\\')) return i;
  }
  return givenUpAt;
}

/** The parser's message, in the words of someone editing a file rather than calling a library. */
function yamlMessage(code: string, message: string, source: string): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^\n]*?(?=:(?:\s|$)|\n|$)/.exec(source)?.[0].trim() ?? '';
    return `duplicate key ${excerpt(key)}: it appears twice in the same mapping, so one would be silently ignored`;
  }
  if (code === 'MULTIPLE_DOCS') return 'a file may hold only one YAML document, but a second one starts here (---)';
  return `YAML: ${inertText(message.split('\n')[0]!).replace(/ at line \d+, column \d+:?$/, '')}`;
}

function aliasLimitMessage(): string {
  return `aliases expand to more than ${MAX_ALIAS_COUNT} copies; this looks like a "billion laughs" document, so it was not read`;
}

/** A recursive alias (would make endless data) or an alias of a collection that itself holds aliases (exponential growth). */
function aliasAbuse(doc: Document): { alias: Alias; summary: string } | undefined {
  const aliases: Alias[] = [];
  visit(doc, { Alias: (_, node) => void aliases.push(node) });
  for (const alias of aliases) {
    const target = alias.resolve(doc);
    const [start, , end] = target?.range ?? [0, 0, 0];
    const at = alias.range?.[0] ?? -1;
    if (target && at >= start && at < end) {
      return { alias, summary: `alias *${alias.source} refers to the node that contains it, which would make endless data` };
    }
  }
  let expansions = 0;
  const memo = new Map<Node, number>();
  for (const alias of aliases) {
    expansions += expandedAliases(doc, alias, memo);
    if (expansions > MAX_ALIAS_COUNT) return { alias, summary: aliasLimitMessage() };
  }
  return undefined;
}

/** How many alias expansions resolving `alias` costs, counting nested ones; memoised per target node. */
function expandedAliases(doc: Document, alias: Alias, memo: Map<Node, number>): number {
  const target = alias.resolve(doc);
  if (!target || !isCollection(target)) return 1;
  const known = memo.get(target);
  if (known !== undefined) return known;
  memo.set(target, Infinity);
  let total = 1;
  visit(target, { Alias: (_, inner) => void (total += expandedAliases(doc, inner, memo)) });
  memo.set(target, total);
  return total;
}

function firstAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias: (_, node) => {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

function error(code: string, source: SourceLocation, summary: string): Diagnostic {
  return { severity: 'error', code, summary, source };
}
