import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { onStopSignals, Interrupted } from '../src/apply/signals.js';
import { writeFleetDesiredState } from '../src/sim/index.js';
import { generateFleet, repoRoot, runCli, startSim, type StartedSim } from './helpers/sim.js';

/**
 * Issue 27, "Output noise": every wait of an apply (provisioning checks, 202 polls, consumed-unit re-checks) used
 * to add an 'abort' listener to the run's one AbortSignal, so more than ten customers waiting at once made Node
 * print `MaxListenersExceededWarning: Possible EventTarget memory leak detected` on a fleet apply.
 */
let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

describe('waits of an apply share no listener-counted signal', () => {
  it('fifty concurrent sleeps add no listener, emit no warning, and all end with Interrupted on stop', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const control = onStopSignals({ first: () => {}, second: () => {} }, new (await import('node:events')).EventEmitter());
    try {
      const sleeps = Array.from({ length: 50 }, () => control.sleep(60_000).then(() => 'woke', (e: unknown) => e));
      control.stop();
      const ended = await Promise.all(sleeps);
      expect(ended.every((e) => e instanceof Interrupted)).toBe(true);
      await expect(control.sleep(10)).rejects.toBeInstanceOf(Interrupted); // once stopping, a new wait ends at once
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      control.dispose();
    }
  });

  it('a sleep that is not cut short resolves after its time', async () => {
    const control = onStopSignals({ first: () => {}, second: () => {} }, new (await import('node:events')).EventEmitter());
    await expect(control.sleep(5)).resolves.toBeUndefined();
    control.dispose();
  });

  it('e2e: a 24-customer apply with 24 customers waiting for provisioning at once prints no such warning', async () => {
    const scenario = generateFleet({ customers: 24, usersMin: 1, usersMax: 2, seed: 21 });
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-listeners-'));
    writeFleetDesiredState(scenario, dir, { concurrency: 24 });
    sim = await startSim({ scenario, options: { provisioningDelayMs: 600 } });
    const env = { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_POLL_MS: '100' };
    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot, timeoutMs: 120_000 });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stderr).not.toMatch(/MaxListenersExceededWarning|EventTarget memory leak/);
  });
});
