import { Ajv, type ValidateFunction } from 'ajv';
import { AJV_OPTIONS_FOR_OWN_SCHEMAS } from '../core/own-schemas.js';
import { COLLECTION_SCHEMA, DATES, ENUMS, SCHEMAS, type WireKind } from './wire-schema.js';
import type { Collection } from './wire.js';

/**
 * Tolerant, typed reading of Partner Center replies (after `parseBody`: BOM dropped, keys lowerCamel):
 * `null` counts as absent, numbers and booleans sent as strings are coerced (ajv `coerceTypes`), unknown fields
 * are kept but ignored, dates are normalised to `…Z`. A reply that still does not fit is a `WireShapeError`
 * naming the field. Unknown enum values are not errors; `oddValues` lists them for warnings.
 */
export class WireShapeError extends Error {
  constructor(
    readonly kind: WireKind,
    readonly problems: readonly string[],
  ) {
    super(`Partner Center sent ${article(kind)} pcsync cannot read: ${problems.join('; ')}`);
    this.name = 'WireShapeError';
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, strict: true, ...AJV_OPTIONS_FOR_OWN_SCHEMAS });
const validators = new Map<string, ValidateFunction>();

function validator(name: string, schema: object): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    v = ajv.compile(schema);
    validators.set(name, v);
  }
  return v;
}

/** One resource of `kind`; throws WireShapeError when it does not fit. */
export function decode<T>(kind: WireKind, body: unknown): T {
  const value = withoutNulls(body ?? {});
  check(kind, SCHEMAS[kind], value, '');
  normaliseDates(kind, value);
  return value as T;
}

/** A collection of `kind` items (one page); throws WireShapeError naming the first bad item's fields. */
export function decodeCollection<T>(kind: WireKind, body: unknown): Collection<T> {
  const value = withoutNulls(body ?? {}) as Collection<unknown>;
  check('any', COLLECTION_SCHEMA, value, '', 'collection');
  (value.items ?? []).forEach((item, i) => {
    check(kind, SCHEMAS[kind], item, `/items/${i}`);
    normaliseDates(kind, item);
  });
  return value as Collection<T>;
}

/** A value Partner Center sent that pcsync does not know; kept as sent. */
export interface OddValue {
  readonly field: string;
  readonly value: string;
  readonly why: 'unknown-value' | 'unreadable-date';
}

/** Enum-like fields with a value outside the documented set, and dates that do not parse. */
export function oddValues(kind: WireKind, item: unknown): OddValue[] {
  if (typeof item !== 'object' || item === null) return [];
  const rec = item as Record<string, unknown>;
  const out: OddValue[] = [];
  for (const [field, known] of Object.entries(ENUMS[kind] ?? {})) {
    const v = rec[field];
    if (typeof v === 'string' && !known.some((k) => enumKey(k) === enumKey(v))) out.push({ field, value: v, why: 'unknown-value' });
  }
  for (const field of DATES[kind] ?? []) {
    const v = rec[field];
    if (typeof v === 'string' && Number.isNaN(Date.parse(v))) out.push({ field, value: v, why: 'unreadable-date' });
  }
  return out;
}

function enumKey(v: string): string {
  return v.toLowerCase().replace(/_/g, '');
}

function check(kind: WireKind, schema: object, value: unknown, at: string, name: string = kind): void {
  const validate = validator(name, schema);
  if (validate(value)) return;
  const problems = (validate.errors ?? []).map((e) => `${at}${e.instancePath || '/'} ${e.message ?? 'is not valid'}`);
  throw new WireShapeError(kind, problems);
}

/** `2027-01-31T00:00:00+00:00` → `2027-01-31T00:00:00Z` (milliseconds kept only when not zero). */
export function normaliseDate(value: string): string {
  // A date-time without an offset is UTC in Partner Center's examples; Date.parse would read it as local time.
  const ms = Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function normaliseDates(kind: WireKind, item: unknown): void {
  if (typeof item !== 'object' || item === null) return;
  const rec = item as Record<string, unknown>;
  for (const field of DATES[kind] ?? []) {
    const v = rec[field];
    if (typeof v === 'string') rec[field] = normaliseDate(v);
  }
}

/** A copy without `null` values, at every level (`null` counts as absent). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, withoutNulls(v)]]))); // a `__proto__` key stays data
  }
  return value;
}

function article(kind: WireKind): string {
  const words: Record<WireKind, string> = {
    customer: 'a customer',
    subscription: 'a subscription',
    offer: 'an offer',
    subscribedSku: 'a subscribed SKU',
    user: 'a user',
    license: 'a licence',
    licenseUpdate: 'a licence update reply',
    order: 'an order',
    provisioningStatus: 'a provisioning status',
    any: 'a reply',
  };
  return words[kind];
}
