import { excerpt } from '../core/inert.js';
import type { PathSegment } from './locate.js';

type Schema = Record<string, unknown>;

/** What a schema accepts, in words: `a whole number ≥ 1 or "auto"`. */
export function describeSchema(schema: unknown): string {
  if (!isObject(schema)) return 'a valid value';
  if (typeof schema['patternErrorMessage'] === 'string') return schema['patternErrorMessage'];
  if ('const' in schema) return JSON.stringify(schema['const']);
  if (Array.isArray(schema['enum'])) return oneOf(schema['enum'].map((v) => JSON.stringify(v)));
  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(branches)) return branches.map(describeSchema).join(' or ');
  switch (schema['type']) {
    case 'integer':
      return `a whole number${range(schema)}`;
    case 'number':
      return `a number${range(schema)}`;
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping (key: value lines)';
    case 'array':
      return `a ${typeof schema['minItems'] === 'number' && schema['minItems'] > 0 ? 'non-empty ' : ''}list of ${pluralNoun(schema['items'])}`;
    case 'string':
      if (schema['format'] === 'email') return 'an email address';
      if (schema['format'] === 'hostname') return 'a domain name';
      if (schema['format'] === 'date-time') return 'a date and time like 2027-03-31T00:00:00Z';
      return typeof schema['minLength'] === 'number' && schema['minLength'] > 0 ? 'a non-empty text' : 'a text';
    default:
      return 'a valid value';
  }
}

function range(schema: Schema): string {
  const min = schema['minimum'];
  const max = schema['maximum'];
  if (typeof min === 'number' && typeof max === 'number') return ` from ${min} to ${max}`;
  if (typeof min === 'number') return ` ≥ ${min}`;
  if (typeof max === 'number') return ` ≤ ${max}`;
  return '';
}

function pluralNoun(items: unknown): string {
  if (!isObject(items)) return 'values';
  if (items['format'] === 'email') return 'email addresses';
  if (items['type'] === 'string') return 'texts';
  if (items['type'] === 'object') return 'mappings';
  return 'values';
}

/** `"a" or "b"`, `"a", "b" or "c"`. */
export function oneOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A value as the user wrote it, short and inert (at most 40 characters of a string): `"five"`, `0`, `a list`, `an empty value`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return excerpt(value);
  return String(value);
}

/** The name of the value at `path`: `"quantity"`, `"users" item 2`, `the file`. */
export function valueLabel(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the file';
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return `${parent === undefined ? 'the file' : `"${String(parent)}"`} item ${last + 1}`;
  }
  return `"${last}"`;
}

/** Where an object sits, for messages about its keys: `subscription "sales-pro"`, `licenses entry 2`, `"policy"`. */
export function objectLabel(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the file';
  if (path.length === 2 && path[0] === 'subscriptions') return `subscription "${String(path[1])}"`;
  if (path.length === 3 && path[0] === 'subscriptions' && path[2] === 'match') return `"match" of subscription "${String(path[1])}"`;
  const last = path[path.length - 1]!;
  if (typeof last === 'number') return `${path.slice(0, -1).join('.')} entry ${last + 1}`;
  return `"${path.join('.')}"`;
}

/** JSON pointer (`/subscriptions/sales-pro/quantity`) to path segments; indexes into lists of `data` become numbers. */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let here: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(here)) {
      out.push(Number(seg));
      here = here[Number(seg)];
    } else {
      out.push(seg);
      here = isObject(here) ? here[seg] : undefined;
    }
  }
  return out;
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
