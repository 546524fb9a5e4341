import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../core/diagnostics.js';

/** A step into parsed data: a mapping key or a list index. */
export type PathSegment = string | number;

/**
 * Where a piece of data sits in its YAML file.
 * - `value`: the value itself (for an empty value, its key);
 * - `key`: the key that names the value;
 * - `parent`: for a missing property — the key that names the object (or the object itself when it has no key).
 * A path that does not exist in the file gives the deepest part that does.
 */
export type Locator = (path: readonly PathSegment[], at?: 'value' | 'key' | 'parent') => SourceLocation;

export function makeLocator(doc: Document, lines: LineCounter, file: string): Locator {
  const pos = (offset: number): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  return (path, at = 'value') => {
    let node: Node | null | undefined = doc.contents;
    let key: Node | undefined;
    for (const segment of path) {
      const next = step(doc, node, segment);
      if (!next) break;
      [node, key] = next;
    }
    const keyStart = key?.range?.[0];
    const nodeStart = node?.range?.[0];
    if (at !== 'value' && keyStart !== undefined) return pos(keyStart);
    if (at === 'value' && keyStart !== undefined && isEmptyValue(node)) return pos(keyStart);
    return pos(nodeStart ?? keyStart ?? 0);
  };
}

function step(doc: Document, node: Node | null | undefined, segment: PathSegment): [Node | null, Node | undefined] | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target)) {
    const pair = target.items.find((p) => keyText(p.key) === String(segment));
    return pair ? [pair.value as Node | null, pair.key as Node] : undefined;
  }
  if (isSeq(target)) {
    const item = target.items[Number(segment)];
    return item === undefined ? undefined : [item as Node | null, undefined];
  }
  return undefined;
}

/** The key as `toJS` turns it into a property name. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function isEmptyValue(node: Node | null | undefined): boolean {
  if (!node) return true;
  return isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]);
}
