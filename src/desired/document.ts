import type { Diagnostic, SourceLocation } from '../core/diagnostics.js';
import { describeValue } from './describe.js';
import type { Locator } from './locate.js';
import { validateAgainst, type SchemaName } from './schema.js';
import { schemaDiagnostics } from './schema-errors.js';
import { readSourceText } from './source-file.js';
import { parseYaml } from './yaml-source.js';

export const API_VERSION = 'pcsync/v1';

export interface LoadedDocument {
  /** The top-level mapping, present when the file was read and parsed as a pcsync file of the right kind. */
  readonly data?: Record<string, unknown>;
  readonly at?: Locator;
  /** True when the data also passed the JSON schema. */
  readonly valid: boolean;
  readonly diagnostics: Diagnostic[];
}

const KINDS: Record<SchemaName, string> = { customer: 'Customer', partner: 'PartnerConfig', tenant: 'SimulatorTenant' };

/** One file through the first two steps: bytes → text → YAML → envelope (mapping, apiVersion, kind) → schema. */
export function loadDocument(abs: string, file: string, schema: SchemaName): LoadedDocument {
  try {
    return readAndCheck(abs, file, schema);
  } catch (err) {
    // A stack overflow on absurdly nested input is a property of the input, not a bug: report it, never throw.
    if (!(err instanceof RangeError)) throw err;
    return { valid: false, diagnostics: [error('yaml.syntax', { file, line: 1, column: 1 }, `cannot read this file: ${err.message}`)] };
  }
}

function readAndCheck(abs: string, file: string, schema: SchemaName): LoadedDocument {
  const text = readSourceText(abs, file);
  if ('problem' in text) return { valid: false, diagnostics: [text.problem] };
  const { parsed, diagnostics } = parseYaml(text.text, file);
  if (!parsed) return { valid: false, diagnostics };
  const top: SourceLocation = { file, line: 1, column: 1 };
  const data = parsed.data;
  if (data === null || data === undefined) {
    return { valid: false, diagnostics: [...diagnostics, error('file.empty', top, `file is empty; it needs at least apiVersion: ${API_VERSION} and kind: ${KINDS[schema]}`)] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const summary = `the file must be a mapping (apiVersion:, kind:, …), got ${describeValue(data)}`;
    return { valid: false, diagnostics: [...diagnostics, error('schema.type', parsed.at([]), summary)] };
  }
  const record = data as Record<string, unknown>;
  const envelope = envelopeProblems(record, parsed.at, KINDS[schema]);
  if (envelope.length > 0) return { valid: false, diagnostics: [...diagnostics, ...envelope] };
  const schemaProblems = schemaDiagnostics(validateAgainst(schema, record), record, parsed.at);
  return { data: record, at: parsed.at, valid: schemaProblems.length === 0, diagnostics: [...diagnostics, ...schemaProblems] };
}

/** A wrong kind or apiVersion means the rest of the file is read by other rules: say only that. */
function envelopeProblems(data: Record<string, unknown>, at: Locator, kind: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const version = data['apiVersion'];
  if (typeof version === 'string' && version !== API_VERSION) {
    out.push(error('schema.enum', at(['apiVersion']), `"apiVersion" must be "${API_VERSION}", got ${describeValue(version)}`, 'This pcsync understands only pcsync/v1 files.'));
  }
  const actual = data['kind'];
  if (typeof actual === 'string' && actual !== kind) {
    const detail = DETAIL[kind] ?? '';
    out.push(error('schema.enum', at(['kind']), `"kind" must be "${kind}" here, got ${describeValue(actual)}`, detail));
  }
  return out;
}

const DETAIL: Record<string, string> = {
  Customer: 'Files under customers/ describe one customer each (kind: Customer); partner settings belong in pcsync.yaml.',
  PartnerConfig: 'pcsync.yaml holds the partner settings (kind: PartnerConfig); customers go in customers/.',
  SimulatorTenant: 'pcsync sim --scenario reads a simulator tenant file (kind: SimulatorTenant).',
};

function error(code: string, source: SourceLocation, summary: string, detail?: string): Diagnostic {
  return detail ? { severity: 'error', code, summary, detail, source } : { severity: 'error', code, summary, source };
}
