import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { leavingSalesEnterprise } from './helpers/nce.js';
import { NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** The new-commerce scenario with Tailspin's cancellation window closing `ms` from now (the plan is made right after). */
function windowClosingAfter(ms: number) {
  const scenario = loadScenario('new-commerce');
  scenario.customers.find((c) => c.id === NCE_CUSTOMERS.inWindow)!.subscriptions[0]!.cancellationAllowedUntilDate = new Date(Date.now() + ms).toISOString();
  return scenario;
}

const dir = () => leavingSalesEnterprise({ tailspin: { id: NCE_CUSTOMERS.inWindow, replacement: '    offer: Dynamics 365 for Sales Professional' } });
const warnings = async () => {
  const res = await runCli(['plan', '--dir', dir(), '--format', 'json'], { env: demoEnv(sim) });
  expect(res.code, res.stderr).toBe(2);
  return (JSON.parse(res.stdout) as { customers: { warnings: { code: string; message: string }[]; actions: { kind: string }[] }[] }).customers[0]!;
};

/**
 * The cancel's deadline against the time the steps before it may take: apply waits up to
 * policy.provisioningTimeoutSeconds (900 s by default) for the replacement before the moves, so a window closing
 * sooner makes the approved fallback (end at term) the likely outcome — the reviewer is told before approving.
 */
describe('a cancellation window that may close before apply reaches the cancel', () => {
  it('closing within the provisioning wait: the plan warns the cancel will likely fall back, naming the fallback and until when it pays', async () => {
    sim = await startSim({ scenario: windowClosingAfter(10 * 60_000) });
    const c = await warnings();
    expect(c.actions.map((a) => a.kind)).toContain('cancel');
    expect(c.warnings.find((w) => w.code === 'cancel-may-fall-back')?.message).toMatch(
      /closes \d{4}-\S+, \d+ min after this plan, and apply waits up to 15 min for the replacement to provision before the 3 licence move\(s\): the cancel will likely fall back to auto-renew off and cancelled at term end, 3 seat\(s\) paid until \d{4}-/,
    );
  });

  it('closing within a day: the plan says by when apply must start; a window a week away gives no warning', async () => {
    sim = await startSim({ scenario: windowClosingAfter(5 * 3_600_000) });
    expect((await warnings()).warnings.find((w) => w.code === 'cancel-may-fall-back')?.message).toMatch(/5 h after this plan; .*apply must start by \d{4}-\S+, else the cancel falls back/);
    await sim.close();
    sim = await startSim({ scenario: windowClosingAfter(7 * 24 * 3_600_000) });
    expect((await warnings()).warnings.map((w) => w.code)).not.toContain('cancel-may-fall-back');
  });
});
