import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashOf, stableStringify } from '../src/core/hash.js';
import { readSavedPlan, sealPlan } from '../src/apply/plan-file.js';
import { runCli } from '../src/cli/program.js';
import { camelizeKeys } from '../src/partner-center/parse.js';
import { withoutSources } from '../src/desired/normalise.js';
import { fleetPlan } from './helpers/fleet-plan.js';

/** A sealed plan file whose first customer carries `"__proto__": value`, sealed by pcsync's own code. */
function sealedWithProto(value: unknown): string {
  const plan = fleetPlan(2, 7, { blockers: false });
  const [first, ...rest] = plan.customers;
  const withKey = JSON.parse(`{"__proto__":${JSON.stringify(value)}}`) as object;
  return sealPlan({ ...plan, customers: [{ ...first!, ...withKey }, ...rest] });
}

describe('a `__proto__` key is data to the stable hash, like any other key', () => {
  it('stableStringify keeps it, so changing it changes the hash', () => {
    const a = JSON.parse('{"b":1,"__proto__":{"x":1}}');
    const b = JSON.parse('{"b":1,"__proto__":{"x":2}}');
    expect(stableStringify(a)).toBe('{"__proto__":{"x":1},"b":1}');
    expect(hashOf(a)).not.toBe(hashOf(b));
    expect(hashOf(a)).not.toBe(hashOf({ b: 1 }));
  });

  it('reply parsing and desired-state hashing keep it too (other members of the kind)', () => {
    expect(Object.keys(camelizeKeys(JSON.parse('{"__proto__":{"X":1},"Id":"a"}')) as object)).toEqual(['__proto__', 'id']);
    expect(Object.keys(withoutSources(JSON.parse('{"__proto__":1,"source":2}')) as object)).toEqual(['__proto__']);
  });

  it('show refuses a saved plan whose `__proto__` key was changed after it was sealed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-proto-'));
    const sealed = sealedWithProto({ note: 'reviewed' });
    const file = join(dir, 'plan.json');
    writeFileSync(file, sealed);
    expect(() => readSavedPlan(file, 'plan.json')).not.toThrow();

    writeFileSync(file, sealed.replace('"__proto__":{"note":"reviewed"}', '"__proto__":{"note":"edited"}'));
    let stderr = '';
    const code = await runCli(['show', 'plan.json'], { stdout: () => {}, stderr: (t) => (stderr += t), env: {}, cwd: dir, isTty: false });
    expect([code, stderr]).toEqual([1, expect.stringContaining('plan.json: was changed after pcsync saved it')]);
  });
});
