import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { copyDesiredState, demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { writeRequests } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe("a re-plan that cannot read live state fully is not a changed plan", () => {
  it('consumed units lag behind the moves: the next apply of the same approved plan fails as transient ("run apply again"), not stale ("plan again"), and sends nothing', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { consumedLagReads: 40 } } });
    const dir = copyDesiredState();
    const first = await planThenApplySaved(sim, dir);
    // the moves ran; the suspend guard saw the count lag and stopped
    expect(first.apply.code, first.apply.stdout).toBe(4);
    const mark = sim.audit.entries.length;
    const again = await runCli(['apply', first.planFile, '--dir', dir, '--approved-hash', first.actionsHash], {
      env: demoEnv(sim, { PCSYNC_POLL_MS: '20', PCSYNC_STATE_DIR: join(first.planFile, '..', 'state') }),
    });
    expect(again.code, again.stdout).toBe(4);
    expect(again.stdout).not.toMatch(/skipped-stale/);
    expect(again.stdout).toMatch(/failed-transient +\S.*live state cannot be read fully now: .*holders? .*run apply again later \(the approved plan still stands\)/);
    expect(writeRequests(sim.audit.entries.slice(mark))).toEqual([]);
  }, 60_000);
});
