import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, journal, locksLeft, onAudit, stateDir, watchWritesUnderJournalAndLock } from './helpers/safety.js';
import { usersEverUnlicensed } from '../src/sim/invariants.js';

/**
 * Issue 11, kind 2: a token request that fails in the middle of an apply (here: its connection dropped) is not a
 * Partner Center error of one customer. It stops the run the way the first Ctrl-C does; journal and locks are
 * released only after the last write ended, and apply prints its summary and exits non-zero.
 */
let sim: StartedSim;
afterEach(async () => sim?.close());

describe('a token request that fails mid-run', () => {
  it('stops the run cleanly: every write under journal and lock, nothing new started, summary printed, exit 4', async () => {
    const drop: number[] = [];
    // Tokens live 1 s: pcsync renews a short-lived token once three quarters of its life are used, so token
    // requests keep coming during the run. From the first order on, every token request is dropped: the
    // sign-in fails for good (one blip alone is retried), and the run must stop cleanly.
    // New orders take 2 s to provision, longer than a token's life: the sign-in fails while the run is under way.
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 2000 }, auth: { tokenLifetimeSeconds: 1, dropTokenRequests: drop } });
    let moved = false;
    const arm = onAudit(sim, (e) => {
      if (e.type === 'order-created' && !moved) {
        moved = true;
        for (let k = 1; k <= 5000; k++) drop.push(sim.auth.issued.length + k);
      }
    });
    const state = stateDir();
    const watch = watchWritesUnderJournalAndLock(sim, state);
    const env = msalEnv(sim, { refreshToken: SIM_SECRETS.refreshToken }, { PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '20' });
    const res = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    watch.stop();
    arm();

    expect(drop.length).toBeGreaterThan(0);
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stderr).toMatch(/Stopping the run: could not get an App\+User token: .*No new action starts; running ones finish and are journaled/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stdout).toContain('Apply summary');
    expect(res.stdout).toMatch(/Stopped by an error: could not get an App\+User token/);
    expect(watch.violations).toEqual([]);
    expect(locksLeft(state)).toEqual([]);

    const records = journal(state);
    const starts = records.filter((r) => r.type === 'action-start');
    const ends = records.filter((r) => r.type === 'action-end');
    expect(ends.map((r) => r.actionId).sort()).toEqual(starts.map((r) => r.actionId).sort());
    const stop = records.findIndex((r) => r.type === 'stop' && r.signal === 'error');
    expect(stop).toBeGreaterThan(0);
    expect(records.slice(stop).filter((r) => r.type === 'action-start')).toEqual([]);
    expect(records.at(-1)?.type).toBe('run-end');
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });
});
