import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Diagnostic, SourceLocation } from '../core/diagnostics.js';

/** Files above this size are refused unread: desired state is hand-written and small. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** A file's text, or why it cannot be read as UTF-8 YAML. */
export type SourceText = { readonly text: string } | { readonly problem: Diagnostic };

/** `abs` as shown to the user: relative to `displayRoot`, forward slashes. */
export function displayPath(abs: string, displayRoot: string): string {
  const rel = relative(displayRoot, abs);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** A path `listYamlFiles` did not take, and why. */
export interface SkippedPath {
  readonly path: string;
  readonly why: 'directory-named-yaml' | 'symlinked-directory';
}

/**
 * Every `*.yaml` / `*.yml` entry under `dir` that is not a directory (files and symlinks; confine.ts decides
 * whether a link may be read), sorted, recursively. Symlinked directories are not followed, and are reported
 * in `skipped` with directories named like a YAML file, so nothing is passed over silently.
 */
export function listYamlFiles(dir: string): { files: string[]; skipped: SkippedPath[] } {
  const files: string[] = [];
  const skipped: SkippedPath[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, entry.name);
      const yamlName = /\.ya?ml$/i.test(entry.name);
      if (entry.isDirectory()) {
        if (yamlName) skipped.push({ path: p, why: 'directory-named-yaml' });
        walk(p);
      } else if (yamlName) files.push(p);
      else if (entry.isSymbolicLink() && isDirectoryLink(p)) skipped.push({ path: p, why: 'symlinked-directory' });
    }
  };
  walk(dir);
  return { files, skipped };
}

function isDirectoryLink(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Reads a file as UTF-8 text: refuses huge files unread, UTF-16/32, NUL bytes and invalid UTF-8; strips a UTF-8 BOM. */
export function readSourceText(abs: string, file: string): SourceText {
  const top: SourceLocation = { file, line: 1, column: 1 };
  let bytes: Buffer;
  try {
    const size = statSync(abs).size;
    if (size > MAX_FILE_BYTES) {
      return problem('file.too-large', top, `file is ${size} bytes; desired-state files may be at most 1 MiB, so it was not read`);
    }
    bytes = readFileSync(abs);
  } catch (err) {
    return problem('file.read', top, `cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return problem('file.encoding', top, 'file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8');
  }
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  if (bad !== undefined) {
    const at = locateByte(body, bad, file);
    const what = body[bad] === 0 ? 'a NUL byte (is it UTF-16 without a byte-order mark?)' : `byte 0x${body[bad]!.toString(16).padStart(2, '0')} that is not valid UTF-8`;
    return problem('file.encoding', at, `file is not UTF-8 text: it contains ${what}; save it as UTF-8`);
  }
  return { text: body.toString('utf8') };
}

function problem(code: string, source: SourceLocation, summary: string): SourceText {
  return { problem: { severity: 'error', code, summary, source } };
}

function startsWith(bytes: Buffer, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Offset of the first byte that breaks UTF-8 (or is NUL), else undefined. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0) return i;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const [len, min] = b >= 0xc2 && b <= 0xdf ? [2, 0x80] : b >= 0xe0 && b <= 0xef ? [3, 0x800] : b >= 0xf0 && b <= 0xf4 ? [4, 0x10000] : [0, 0];
    if (len === 0 || i + len > bytes.length) return i;
    let cp = b & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return undefined;
}

/** Line and column (in characters) of byte `offset`; the bytes before it are valid UTF-8. */
function locateByte(bytes: Buffer, offset: number, file: string): SourceLocation {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  return { file, line, column: before.length - lineStart + 1 };
}
