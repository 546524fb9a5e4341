import { invalidInput } from './faults.js';

/**
 * Request bodies: Partner Center accepts any casing of property names (`Quantity`, `quantity`), so every
 * read goes through `field`, which matches names case-insensitively.
 */
export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function field(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

export function requireObject(v: unknown, what: string): Json {
  if (!isObject(v)) throw invalidInput(`${what} must be a JSON object.`);
  return v;
}

/** undefined/null → undefined; anything but a string → 400. */
export function optionalString(obj: unknown, name: string): string | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidInput(`${name} must be a string.`);
  return v;
}

export function optionalBoolean(obj: unknown, name: string): boolean | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidInput(`${name} must be true or false.`);
  return v;
}

export function optionalInteger(obj: unknown, name: string): number | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidInput(`${name} must be a whole number.`);
  return v;
}

/** undefined/null → []; anything but an array → 400. */
export function optionalArray(obj: unknown, name: string): unknown[] {
  const v = field(obj, name);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidInput(`${name} must be an array.`);
  return v;
}
