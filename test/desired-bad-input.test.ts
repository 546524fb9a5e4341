import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../src/desired/load.js';
import { firstInvalidUtf8, MAX_FILE_BYTES } from '../src/desired/source-file.js';
import { BAD_INPUT_CASES, BAD_PARTNER_CASES, corpus } from './helpers/bad-input.js';

const HEADER = 'apiVersion: pcsync/v1\nkind: Customer\ncustomer:\n  id: 8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d\n';

/** A fresh desired-state dir holding `files` (path → bytes or text, relative to the dir). */
function stateDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-bad-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

function loadCorpusFile(name: string, as = `customers/${name}`) {
  const dir = stateDir({});
  mkdirSync(dirname(join(dir, as)), { recursive: true });
  cpSync(join(corpus, name), join(dir, as));
  return loadDesiredState(dir, { displayRoot: dir });
}

const positions = (r: ReturnType<typeof loadDesiredState>) =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, file: d.source?.file, line: d.source?.line, column: d.source?.column }));

const cases = BAD_INPUT_CASES;

describe('bad input in customers/: one error with its code and position, never a throw', () => {
  it.each(cases)('$file → $code at $line:$column', ({ file, code, line, column }) => {
    const result = loadCorpusFile(file);
    expect(result.value).toBeUndefined();
    expect(positions(result)).toEqual([{ code, file: `customers/${file}`, line, column }]);
  });

  it('the alias bomb is refused quickly instead of being expanded', () => {
    const started = Date.now();
    loadCorpusFile('alias-bomb.yaml');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a UTF-8 byte-order mark is fine', () => {
    const result = loadCorpusFile('utf8-bom.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.customers[0]?.id).toBe('8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d');
  });

  it('only .yaml/.yml files are read: a JSON file in customers/ is ignored (and the empty dir is only a warning)', () => {
    const result = loadCorpusFile('not-yaml.json');
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'file.no-customers']]);
    expect(result.value?.customers).toEqual([]);
  });

  it('a file over 1 MiB is refused unread; one of exactly 1 MiB is read', () => {
    const big = HEADER + `# ${'x'.repeat(MAX_FILE_BYTES)}\n`;
    const tooLarge = loadDesiredState(stateDir({ 'customers/huge.yaml': big }), {});
    expect(positions(tooLarge)).toMatchObject([{ code: 'file.too-large', line: 1, column: 1 }]);

    const exact = HEADER + `# ${'x'.repeat(MAX_FILE_BYTES - HEADER.length - 3)}\n`;
    expect(Buffer.byteLength(exact)).toBe(MAX_FILE_BYTES);
    expect(loadDesiredState(stateDir({ 'customers/exact.yaml': exact }), {}).diagnostics).toEqual([]);
  });

  it('absurdly deep nesting is an error, not a stack overflow', () => {
    const deep = `${HEADER}subscriptions: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    const result = loadDesiredState(stateDir({ 'customers/deep.yaml': deep }), {});
    expect(result.value).toBeUndefined();
    expect(positions(result)[0]?.code).toMatch(/^(yaml\.syntax|schema\.type)$/);
  });

  it('a YAML file in the wrong place (pcsync.yml, a customer beside pcsync.yaml) is a warning, not silently skipped', () => {
    const dir = stateDir({ 'pcsync.yml': 'apiVersion: pcsync/v1\n', 'contoso.yaml': HEADER, 'customers/good.yaml': HEADER });
    const result = loadDesiredState(dir, { displayRoot: dir });
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.source?.file])).toEqual([
      ['warning', 'file.ignored', 'contoso.yaml'],
      ['warning', 'file.ignored', 'pcsync.yml'],
    ]);
    expect(result.value?.customers).toHaveLength(1);
  });

  it('a missing directory is one diagnostic, not a throw', () => {
    const result = loadDesiredState(join(tmpdir(), 'pcsync-no-such-dir-7f3a'), {});
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['file.not-found']);
  });

  it('a folder with neither pcsync.yaml nor customers/ is not a desired state (validate /etc exited 0), an empty desired state is', () => {
    const wrong = mkdtempSync(join(tmpdir(), 'pcsync-not-desired-'));
    writeFileSync(join(wrong, 'passwd'), 'root:x:0:0\n');
    const refused = loadDesiredState(wrong, {});
    expect([refused.value, refused.diagnostics.map((d) => d.code)]).toEqual([undefined, ['file.not-desired-state']]);
    mkdirSync(join(wrong, 'customers'));
    const empty = loadDesiredState(wrong, {});
    expect(empty.value).toBeDefined();
    expect(empty.diagnostics.map((d) => d.code)).toEqual(['file.no-customers']);
  });

  it('every bad file is reported in one run, and good files beside them do not hide them', () => {
    const dir = stateDir({ 'customers/good.yaml': HEADER });
    for (const c of cases) cpSync(join(corpus, c.file), join(dir, 'customers', c.file));
    const result = loadDesiredState(dir, { displayRoot: dir });
    expect(result.value).toBeUndefined();
    expect(positions(result).map((p) => p.file).sort()).toEqual(cases.map((c) => `customers/${c.file}`).sort());
  });
});

describe('bad pcsync.yaml', () => {
  it.each(BAD_PARTNER_CASES)('$file as pcsync.yaml → $code', ({ file, code, line, column }) => {
    const result = loadCorpusFile(file, 'pcsync.yaml');
    expect(positions(result)).toEqual([{ code, file: 'pcsync.yaml', line, column }]);
  });

  it('a customer file in place of pcsync.yaml is a wrong kind', () => {
    const dir = stateDir({ 'pcsync.yaml': HEADER });
    expect(positions(loadDesiredState(dir, { displayRoot: dir }))).toEqual([{ code: 'schema.enum', file: 'pcsync.yaml', line: 2, column: 7 }]);
  });
});

describe('UTF-8 check', () => {
  it.each([
    { name: 'ASCII', bytes: [0x61, 0x3a, 0x20, 0x62], bad: undefined },
    { name: 'two-, three- and four-byte characters', bytes: [...Buffer.from('é€😀')], bad: undefined },
    { name: 'Latin-1 é', bytes: [0x61, 0xe9, 0x62], bad: 1 },
    { name: 'overlong slash', bytes: [0x61, 0xc0, 0xaf], bad: 1 },
    { name: 'UTF-16 surrogate', bytes: [0xed, 0xa0, 0x80], bad: 0 },
    { name: 'truncated sequence at the end', bytes: [0x61, 0xe2, 0x82], bad: 1 },
    { name: 'above U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80], bad: 0 },
    { name: 'NUL', bytes: [0x61, 0x00], bad: 1 },
  ])('$name', ({ bytes, bad }) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(bad);
  });
});
