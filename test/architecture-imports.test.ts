import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/, top to bottom: a folder may import its own files, a folder of its own layer, or a folder
 * of a layer below it; never one above. Every folder of src/ must be placed here (a new folder fails until it is).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli', 'bench'],
  ['render', 'apply', 'import', 'init'],
  ['plan', 'report'],
  ['live'],
  ['catalog', 'doctor'],
  // prices/ is partner-center's peer: the price sheet's HTTP is in partner-center/ (the only HTTP code) and reads
  // prices/csv.ts; prices/index.ts picks that source or a file.
  ['sim', 'desired', 'partner-center', 'prices'],
  ['core'],
];

/** Folders that only the named folders (and tests) may import: the simulator is never part of a real run. */
const ONLY_IMPORTED_BY: Readonly<Record<string, readonly string[]>> = { sim: ['cli', 'bench'] };

/**
 * Upward imports not yet moved, each with why: the test fails while one is unlisted, and when a listed one is gone
 * (then delete its line). Keep this list short.
 */
const KNOWN_UPWARD: Readonly<Record<string, string>> = {
  'desired/offline-checks.ts → catalog/index.ts':
    'loadDesiredState checks offer names against the catalogue (built-in + pcsync.yaml additions), while catalog/ reads desired types; moving the check out of the loader changes what every caller of loadDesiredState gets',
};

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every relative import of a file (static, `import type`, `export … from`, `import()`), as src/-relative .ts paths. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(SRC, resolve(dirname(file), name)).replace(/\.js$/, '.ts'));
}

const graph = new Map<string, string[]>(sourceFiles(SRC).map((f) => [relative(SRC, f), importsOf(f)]));
const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '(src root)');
const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

/** One shortest import path from `start` back to itself, or undefined when `start` is on no circle. */
function circleThrough(start: string): string[] | undefined {
  const before = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const next of graph.get(at) ?? []) {
      if (next === start) {
        const path = [at];
        while (path[0] !== start) path.unshift(before.get(path[0]!)!);
        return [...path, start];
      }
      if (!before.has(next) && graph.has(next)) {
        before.set(next, at);
        queue.push(next);
      }
    }
  }
  return undefined;
}

describe('architecture: imports in src/ go one way, down the layers', () => {
  it('reads the imports (the check is not vacuous)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('cli/main.ts')?.length ?? 0).toBeGreaterThan(0);
  });

  it('places every folder of src/ in a layer', () => {
    const unplaced = [...new Set([...graph.keys()].map(folderOf))].filter((f) => layerOf(f) < 0);
    expect(unplaced, 'add these folders to LAYERS in test/architecture-imports.test.ts').toEqual([]);
  });

  it('has no import circle', () => {
    const seen = new Set<string>();
    const circles: string[] = [];
    for (const file of [...graph.keys()].sort()) {
      if (seen.has(file)) continue;
      const circle = circleThrough(file);
      if (!circle) continue;
      circle.forEach((f) => seen.add(f));
      circles.push(circle.join(' → '));
    }
    expect(circles, 'move the shared type or helper down into a file both sides can import').toEqual([]);
  });

  it('never imports from a higher layer', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      const from = folderOf(file);
      for (const target of imports) {
        const to = folderOf(target);
        if (from === to) continue;
        if (layerOf(to) < layerOf(from) && !(`${file} → ${target}` in KNOWN_UPWARD)) upward.push(`${file} → ${target} (${from} is below ${to})`);
        const allowed = ONLY_IMPORTED_BY[to];
        if (allowed && !allowed.includes(from)) upward.push(`${file} → ${target} (only ${allowed.join(', ')} may import ${to}/)`);
      }
    }
    const stale = Object.keys(KNOWN_UPWARD).filter((edge) => {
      const [file, target] = edge.split(' → ');
      return !(graph.get(file!) ?? []).includes(target!);
    });
    expect(stale, 'these imports are gone: delete them from KNOWN_UPWARD').toEqual([]);
    expect(upward, `layers, top to bottom: ${LAYERS.map((l) => l.join('/')).join(' → ')}`).toEqual([]);
  });
});
