import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal data always gives equal text. Every own key counts,
 * `__proto__` included (JSON.parse makes it an own key; assigning it would set the prototype and drop it).
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries: [string, unknown][] = [];
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) entries.push([key, sortKeys(v)]);
    }
    return Object.fromEntries(entries);
  }
  return value;
}

/** `stableStringify`, indented by two spaces, with a final newline: the file form of plans. */
export function prettyStableJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(stableStringify(value)), null, 2)}\n`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** sha256 of the stable JSON form, prefixed so a reader knows what it is. */
export function hashOf(value: unknown): string {
  return `sha256:${sha256(stableStringify(value))}`;
}

/**
 * `hashOf(items)` for an array, without building its whole text at once: each item's stable JSON is fed to the
 * hash in turn, with the brackets and commas the array's own text would have, so the digest is the same.
 */
export function hashOfItems(items: Iterable<unknown>): string {
  const h = createHash('sha256').update('[');
  let first = true;
  for (const item of items) {
    h.update(first ? stableStringify(item) ?? 'null' : `,${stableStringify(item) ?? 'null'}`);
    first = false;
  }
  return `sha256:${h.update(']').digest('hex')}`;
}

/** A UUID (v5-style layout) derived from a name: the same name always gives the same id. */
export function deterministicUuid(name: string): string {
  const h = createHash('sha1').update(`pcsync:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
