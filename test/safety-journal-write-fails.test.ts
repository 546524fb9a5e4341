import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, locksLeft, stateDir, watchWritesUnderJournalAndLock } from './helpers/safety.js';
import { usersEverUnlicensed, writeRequests } from '../src/sim/invariants.js';

/**
 * Issue 11, kind 2: a journal append that fails (disk full: ENOSPC) stops all further writes — a write that
 * cannot be journaled is not sent — and stops the run as the first Ctrl-C does; locks are released only after
 * the last write ended, and apply prints its summary and exits non-zero. The full disk is simulated with the
 * test-only PCSYNC_TEST_JOURNAL_ENOSPC_AFTER (every journal line after the first n fails with ENOSPC).
 */
let sim: StartedSim;
afterEach(async () => sim?.close());

async function applyWithFullDiskAfter(lines: number) {
  sim = await startSim({ scenario: 'demo' });
  const state = stateDir();
  const watch = watchWritesUnderJournalAndLock(sim, state);
  const env = demoEnv(sim, { PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '20', PCSYNC_TEST_JOURNAL_ENOSPC_AFTER: String(lines) });
  const res = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
  watch.stop();
  const jdir = join(state, 'journal');
  const journalLines = readdirSync(jdir).flatMap((f) => readFileSync(join(jdir, f), 'utf8').split('\n').filter(Boolean));
  return { res, state, violations: watch.violations, journalLines };
}

describe('the journal cannot be written during apply (ENOSPC)', () => {
  it('in the middle of the run: the run stops, every write that was sent had been journaled, summary and exit 4', async () => {
    const { res, state, violations, journalLines } = await applyWithFullDiskAfter(8);
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stderr).toMatch(/Stopping the run: cannot write the apply journal .*\(ENOSPC\)\. No new action starts; running ones finish \(the journal cannot be written, so nothing more is sent\)/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stdout).toContain('Apply summary');
    expect(res.stdout).toMatch(/Stopped by an error: cannot write the apply journal .*\(ENOSPC\)/);
    expect(journalLines).toHaveLength(8);
    expect(writeRequests(sim.audit.entries).length).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    expect(locksLeft(state)).toEqual([]);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });

  it('at the first action: nothing is sent at all', async () => {
    const { res, state, journalLines } = await applyWithFullDiskAfter(2);
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stdout).toMatch(/Stopped by an error: cannot write the apply journal/);
    expect(res.stdout).toMatch(/failed-transient \S+\/purchase\/\S+: not sent: the apply journal cannot be written/);
    expect(journalLines.map((l) => JSON.parse(l).type)).toEqual(['run-start', 'plan']);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
    expect(locksLeft(state)).toEqual([]);
  });
});
