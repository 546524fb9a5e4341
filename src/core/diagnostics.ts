import { inertText } from './inert.js';

/** Where in a file a problem was found. Lines and columns are 1-based. */
export interface SourceLocation {
  /** Path as the user gave it (relative to the working directory when possible). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Severity = 'error' | 'warning';

/** A problem as a value: loaders and checks return these instead of throwing on bad input. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable machine code, e.g. `schema.unknown-key`, `rule.unknown-handle`. Tests assert on it. */
  readonly code: string;
  /** One line a partner's engineer understands. */
  readonly summary: string;
  /** Optional extra explanation or what to do about it. */
  readonly detail?: string;
  readonly source?: SourceLocation;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** How a severity word is painted on a terminal (identity functions when colour is off). */
export interface SeverityPaint {
  red(s: string): string;
  yellow(s: string): string;
}

const UNPAINTED: SeverityPaint = { red: (s) => s, yellow: (s) => s };

/** `file:line:col: error: summary (code)` — the format editors and CI logs link to. File names and values are inert. */
export function formatDiagnostic(d: Diagnostic, paint: SeverityPaint = UNPAINTED): string {
  const where = d.source ? `${inertText(d.source.file)}:${d.source.line}:${d.source.column}: ` : '';
  const detail = d.detail ? `\n  ${inertText(d.detail)}` : '';
  const severity = d.severity === 'error' ? paint.red(d.severity) : paint.yellow(d.severity);
  return `${where}${severity}: ${inertText(d.summary)} [${inertText(d.code)}]${detail}`;
}

/** GitHub workflow command, so the problem shows as an annotation on the pull request diff. */
export function formatGithubAnnotation(d: Diagnostic): string {
  const props = d.source ? ` file=${escapeProperty(inertText(d.source.file))},line=${d.source.line},col=${d.source.column}` : '';
  const level = d.severity === 'error' ? 'error' : 'warning';
  const head = `${inertText(d.summary)} [${inertText(d.code)}]`;
  const text = d.detail ? `${head}\n${inertText(d.detail)}` : head;
  return `::${level}${props}::${escapeData(text)}`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
