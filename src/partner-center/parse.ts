/**
 * Tolerant JSON parsing of Partner Center responses: a UTF-8 BOM is dropped and property names are brought
 * to lowerCamel case at every level (some replies, e.g. the suspend PATCH, come back PascalCase).
 */
export function parseBody(text: string): unknown {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (clean.trim() === '') return undefined;
  return camelizeKeys(JSON.parse(clean));
}

export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [lowerFirst(key), camelizeKeys(v)])); // a `__proto__` key stays data, never the prototype
  }
  return value;
}

function lowerFirst(key: string): string {
  // `MS-ContinuationToken`-style keys inside header lists are values, not property names; only the first
  // letter changes, so `ETag` becomes `eTag`: map the few known all-caps prefixes explicitly.
  if (key === 'ETag' || key === 'Etag') return 'etag';
  return key.length > 0 ? key[0]!.toLowerCase() + key.slice(1) : key;
}
