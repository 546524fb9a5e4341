import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../src/desired/load.js';
import { CONTOSO, FABRIKAM, copyDesiredState, repoRoot, replaced } from './helpers/demo.js';

function load(dir: string, displayRoot = dir) {
  const result = loadDesiredState(dir, { displayRoot });
  expect(result.diagnostics).toEqual([]);
  return result.value!;
}

const hashes = (state: ReturnType<typeof load>) => Object.fromEntries(state.customers.map((c) => [c.id, c.contentHash]));

describe('normalised desired state is deterministic', () => {
  it('loading the same files twice gives the same value and the same contentHash', () => {
    const dir = join(repoRoot, 'desired-state');
    const first = load(dir, repoRoot);
    const second = load(dir, repoRoot);
    expect(second).toEqual(first);
    expect(second.contentHash).toBe(first.contentHash);
    expect(first.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the hash depends on content only: not on where the files are, comments, layout or letter case of UPNs', () => {
    const original = load(join(repoRoot, 'desired-state'), repoRoot);
    const moved = load(
      copyDesiredState((files) => {
        files['customers/fabrikam-gov.yaml'] = `# a comment that shifts every line\n\n${files['customers/fabrikam-gov.yaml']!.replace('hana@', 'HANA@')}`;
      }),
    );
    expect(moved.customers.find((c) => c.id === FABRIKAM)?.file).toBe('customers/fabrikam-gov.yaml');
    expect(moved.contentHash).toBe(original.contentHash);
    expect(hashes(moved)).toEqual(hashes(original));
  });

  it('adding a user changes that customer hash and the state hash, and no other customer hash', () => {
    const original = load(join(repoRoot, 'desired-state'), repoRoot);
    const edited = load(
      copyDesiredState((files) => {
        files['customers/fabrikam-gov.yaml'] = files['customers/fabrikam-gov.yaml']!.replace('jun@fabrikamgov.onmicrosoft.com]', 'jun@fabrikamgov.onmicrosoft.com, kai@fabrikamgov.onmicrosoft.com]');
      }),
    );
    expect(edited.customers.find((c) => c.id === FABRIKAM)?.licenses[0]?.users).toContain('kai@fabrikamgov.onmicrosoft.com');
    expect(edited.contentHash).not.toBe(original.contentHash);
    expect(hashes(edited)[FABRIKAM]).not.toBe(hashes(original)[FABRIKAM]);
    expect(hashes(edited)[CONTOSO]).toBe(hashes(original)[CONTOSO]);
  });

  it('a partner setting is part of the state hash', () => {
    const original = load(join(repoRoot, 'desired-state'), repoRoot);
    const edited = load(copyDesiredState((files) => void (files['pcsync.yaml'] = replaced(files['pcsync.yaml']!, 'seatHeadroom: 0', 'seatHeadroom: 2'))));
    expect(edited.partner.seatHeadroom).toBe(2);
    expect(edited.contentHash).not.toBe(original.contentHash);
  });
});
