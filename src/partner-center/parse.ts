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
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[lowerFirst(key)] = camelizeKeys(v);
    return out;
  }
  return value;
}

function lowerFirst(key: string): string {
  // `MS-ContinuationToken`-style keys inside header lists are values, not property names; only the first
  // letter changes, so `ETag` becomes `eTag`: map the few known all-caps prefixes explicitly.
  if (key === 'ETag' || key === 'Etag') return 'etag';
  return key.length > 0 ? key[0]!.toLowerCase() + key.slice(1) : key;
}
