import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { copyDesiredState, demoEnv } from './helpers/demo.js';
import { stateDir } from './helpers/safety.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

/** A directory named *.jsonl in the journal dir broke every apply with EISDIR (an internal error). */
describe('apply: entries of the journal directory that are not journals', () => {
  it('a directory and a dangling link named *.jsonl are named in a warning; apply runs', async () => {
    sim = await startSim({ scenario: 'demo' });
    const state = stateDir();
    mkdirSync(join(state, 'journal', '2026-01-01-x.jsonl'), { recursive: true });
    symlinkSync(join(state, 'nowhere.jsonl'), join(state, 'journal', '2026-01-02-y.jsonl'));
    const res = await runCli(['apply', '--auto-approve', '--dir', copyDesiredState()], { env: demoEnv(sim, { PCSYNC_STATE_DIR: state, PCSYNC_POLL_MS: '50' }), timeoutMs: 120_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/warning: .*2026-01-01-x\.jsonl is a directory, not a journal file/);
    expect(res.stderr).toMatch(/warning: .*2026-01-02-y\.jsonl is a dangling or looping link, not a journal file/);
    // said once: apply's plan uses the journals its session read, not a second read of its own
    expect(res.stderr.match(/2026-01-01-x\.jsonl is a directory/g)).toHaveLength(1);
    expect(res.stderr).not.toMatch(/internal error|EISDIR/);
    expect(sim.audit.entries.filter((e) => e.type === 'order-created')).toHaveLength(2);
  });

  it('plan with a journal it cannot read says so and plans on (an interrupted apply\'s order then shows as blocking)', async () => {
    sim = await startSim({ scenario: 'demo' });
    const state = stateDir();
    writeFileSync(join(state, 'journal'), 'not a directory');
    const res = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim, { PCSYNC_STATE_DIR: state }) });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/warning: cannot read the journals of earlier applies \(.*journal.*\); this plan does not know which orders an interrupted apply placed/);
    expect(res.stderr).not.toMatch(/internal error/);
  });
});
