import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRICKY } from '../src/sim/scenarios/tricky.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { repoRoot } from './helpers/demo.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const env = (s: StartedSim) => ({ PARTNER_CENTER_ENDPOINT: s.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_NOW: '2026-03-01T09:30:00Z' });
const desired = join(repoRoot, 'desired-state');

/**
 * An output path the machine refuses is the user's to fix: a clear one-line error naming it, a non-zero exit, no
 * stack and no "bug in pcsync" (breaker of issues 23/27: `import --all --out /dev/null` printed a stack trace and
 * `--out /proc/…` never returned).
 */
describe('output paths this machine refuses', () => {
  it('import --all --out: a file, a device or an unmakeable folder is refused before anything is read', async () => {
    sim = await startSim({ scenario: 'tricky' });
    const file = join(mkdtempSync(join(tmpdir(), 'pcsync-out-')), 'plain-file');
    writeFileSync(file, 'x');
    const cases: [string, RegExp][] = [
      ['/dev/null', /--out \/dev\/null: not a directory/],
      [file, /not a directory/],
      ['/proc/pcsync-nope/customers', /--out \/proc\/pcsync-nope\/customers: cannot write there \(ENOENT/],
    ];
    for (const [out, message] of cases) {
      const res = await runCli(['import', '--all', '--dir', desired, '--out', out], { env: env(sim), timeoutMs: 20_000 });
      expect([out, res.code]).toEqual([out, 1]);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).toContain('Nothing was read or sent.');
      expect(res.stderr).not.toMatch(/internal error|    at /);
    }
    expect(sim.audit.requests()).toEqual([]);
  });

  it('import --customer --out under a folder that cannot be made: the system words and the path, no stack', async () => {
    sim = await startSim({ scenario: 'tricky' });
    const res = await runCli(['import', '--customer', TRICKY.tailspin, '--dir', desired, '--out', '/proc/pcsync-nope/t.yaml'], { env: env(sim), timeoutMs: 20_000 });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cannot mkdir \/proc\/pcsync-nope: ENOENT/);
    expect(res.stderr).not.toMatch(/internal error|    at /);
    expect(sim.audit.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
