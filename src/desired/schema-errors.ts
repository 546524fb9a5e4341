import type { ErrorObject } from 'ajv';
import type { Diagnostic, SourceLocation } from '../core/diagnostics.js';
import { describeSchema, describeValue, objectLabel, oneOf, pointerToPath, valueLabel } from './describe.js';
import type { Locator, PathSegment } from './locate.js';
import { closest, isTypo } from './typo.js';

/** Keywords whose failure is explained by the errors of their branches; those are folded into one message. */
const COMBINERS = new Set(['anyOf', 'oneOf', 'propertyNames']);
const RANGE = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'multipleOf']);

/**
 * ajv errors → one diagnostic per real mistake, at the YAML position of the key (unknown key), the value (wrong
 * type or value) or the object that lacks something (missing property).
 */
export function schemaDiagnostics(errors: readonly ErrorObject[], data: unknown, at: Locator): Diagnostic[] {
  const combiners = errors.filter((e) => COMBINERS.has(e.keyword));
  const branchesOf = (g: ErrorObject) => errors.filter((e) => e !== g && e.instancePath === g.instancePath && e.schemaPath.startsWith(`${g.schemaPath}/`));
  const folded = new Set(combiners.flatMap(branchesOf));
  const unknownKeys = errors.filter((e) => e.keyword === 'additionalProperties');
  const typoed = (instancePath: string, missing: readonly string[]) =>
    unknownKeys.some((u) => u.instancePath === instancePath && missing.some((m) => isTypo(String(u.params['additionalProperty']), m)));

  const out: Diagnostic[] = [];
  for (const e of errors) {
    if (folded.has(e)) continue;
    const path = pointerToPath(e.instancePath, data);
    const d = toDiagnostic(e, path, at, branchesOf(e), typoed);
    if (d && !out.some((o) => same(o, d))) out.push(d);
  }
  return out;
}

function toDiagnostic(
  e: ErrorObject,
  path: PathSegment[],
  at: Locator,
  branches: readonly ErrorObject[],
  typoed: (instancePath: string, missing: readonly string[]) => boolean,
): Diagnostic | undefined {
  const wrongValue = (code: string) => diag(code, at(path), `${valueLabel(path)} must be ${describeSchema(e.parentSchema)}, got ${describeValue(e.data)}`);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params['additionalProperty']);
      const allowed = Object.keys((e.parentSchema?.['properties'] as object | undefined) ?? {});
      const guess = closest(key, allowed);
      const summary = `unknown key "${key}" in ${objectLabel(path)} (allowed: ${allowed.join(', ')})`;
      return diag('schema.unknown-key', at([...path, key], 'key'), summary, guess ? `did you mean "${guess}"?` : undefined);
    }
    case 'required': {
      const missing = String(e.params['missingProperty']);
      if (typoed(e.instancePath, [missing])) return undefined;
      return diag('schema.required', at(path, 'parent'), `${objectLabel(path)} is missing "${missing}"`);
    }
    case 'propertyNames': {
      const key = String(e.params['propertyName']);
      const rule = branches.find((b) => b.propertyName === key) ?? branches[0];
      const where = path.length === 1 && path[0] === 'subscriptions' ? 'subscription handle' : `key in ${objectLabel(path)}`;
      return diag('schema.format', at([...path, key], 'key'), `${where} "${key}" must be ${describeSchema(rule?.parentSchema)}`);
    }
    case 'anyOf':
    case 'oneOf':
      return combinerDiagnostic(e, path, at, branches, typoed) ?? wrongValue('schema.type');
    case 'type':
      return wrongValue('schema.type');
    case 'const':
    case 'enum':
      return wrongValue('schema.enum');
    case 'format':
    case 'pattern':
      return wrongValue('schema.format');
    default:
      if (RANGE.has(e.keyword)) return wrongValue('schema.range');
      return diag('schema.type', at(path), `${valueLabel(path)} ${e.message ?? 'is not valid'}`);
  }
}

/** anyOf/oneOf: "needs one of", "has both", or (for value alternatives like quantity) one "must be X or Y". */
function combinerDiagnostic(
  e: ErrorObject,
  path: PathSegment[],
  at: Locator,
  branches: readonly ErrorObject[],
  typoed: (instancePath: string, missing: readonly string[]) => boolean,
): Diagnostic | undefined {
  const alternatives = (e.schema as unknown[]).map((b) => (b as { required?: string[] }).required);
  const passing = e.params['passingSchemas'];
  if (e.keyword === 'oneOf' && Array.isArray(passing)) {
    const both = passing.flatMap((i: number) => alternatives[i] ?? []).map((p) => `"${p}"`);
    return diag('schema.conflict', at(path, 'parent'), `${objectLabel(path)} has both ${both.join(' and ')}; give only one of them`);
  }
  if (alternatives.every((r) => Array.isArray(r)) && branches.every((b) => b.keyword === 'required')) {
    const missing = alternatives.flatMap((r) => r ?? []);
    if (typoed(e.instancePath, missing)) return undefined;
    return diag('schema.required', at(path, 'parent'), `${objectLabel(path)} needs ${oneOf(missing.map((m) => `"${m}"`))}`);
  }
  const code = branchGroups(branches).some((g) => g.every((b) => RANGE.has(b.keyword))) ? 'schema.range' : 'schema.type';
  return diag(code, at(path), `${valueLabel(path)} must be ${describeSchema(e.parentSchema)}, got ${describeValue(e.data)}`);
}

/** Branch errors grouped by which alternative they belong to (`…/anyOf/0/…`). */
function branchGroups(branches: readonly ErrorObject[]): ErrorObject[][] {
  const groups = new Map<string, ErrorObject[]>();
  for (const b of branches) {
    const key = /\/(?:anyOf|oneOf)\/(\d+)\/[^/]+$/.exec(b.schemaPath)?.[1] ?? b.schemaPath;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  return [...groups.values()];
}

function diag(code: string, source: SourceLocation, summary: string, detail?: string): Diagnostic {
  return detail ? { severity: 'error', code, summary, detail, source } : { severity: 'error', code, summary, source };
}

function same(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.summary === b.summary && a.source?.line === b.source?.line && a.source?.column === b.source?.column;
}
