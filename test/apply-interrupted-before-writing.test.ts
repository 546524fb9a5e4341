import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { onAudit, stateDir } from './helpers/safety.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('an apply interrupted before its first write', () => {
  it('exits 130 and says nothing was written, instead of listing every user as not moved', async () => {
    sim = await startSim({ scenario: 'demo' });
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: stateDir() });
    const planFile = join(mkdtempSync(join(tmpdir(), 'pcsync-plan-')), 'plan.json');
    expect((await runCli(['plan', '--out', planFile], { env })).code).toBe(2);

    let child: ChildProcess | undefined;
    let signalled = false;
    const stop = onAudit(sim, (e) => {
      // The re-read of live state before the first action: stop there.
      if (!signalled && e.type === 'request' && e.method === 'GET') {
        signalled = true;
        child?.kill('SIGINT');
      }
    });
    const res = await runCli(['apply', planFile], { env, cwd: repoRoot, onSpawn: (c) => (child = c) });
    stop();

    expect(res.code, res.stdout + res.stderr).toBe(130);
    expect(sim.audit.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    expect(res.stdout).toContain('Nothing was written to Partner Center in this run');
    expect(res.stdout).not.toMatch(/not-moved/);
  });
});
