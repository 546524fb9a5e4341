import { afterEach, describe, expect, it } from 'vitest';
import { CONTOSO, demoEnv, repoRoot } from './helpers/demo.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim;
afterEach(() => sim?.close());

const OLD_SUB = 'A1B2C3D4-0000-4000-8000-000000000101';

describe('values Partner Center sends that pcsync does not know', () => {
  it('an unknown subscription status ("transitioning") and user state are plan warnings, not a crash', async () => {
    sim = await startSim({ scenario: 'demo', options: { replies: { subscriptionStatus: { [OLD_SUB]: 'transitioning' }, userState: 'pendingDeletion' } } });
    const json = await runCli(['plan', '--format', 'json'], { env: demoEnv(sim), cwd: repoRoot });
    expect([2, 3]).toContain(json.code);
    expect(json.stderr).not.toContain('internal error');
    const plan = JSON.parse(json.stdout) as { customers: { customerId: string; warnings: { code: string; message: string }[] }[] };
    const contoso = plan.customers.find((c) => c.customerId === CONTOSO)!;
    expect(contoso.warnings.filter((w) => w.code === 'unknown-value').map((w) => w.message)).toEqual([
      `Partner Center sent subscription status "transitioning" at Contoso Ltd (${CONTOSO}) (1 subscription: ${OLD_SUB}) — a status pcsync does not know, kept as sent; such a subscription is not treated as active`,
      expect.stringMatching(/^Partner Center sent user state "pendingDeletion" at Contoso Ltd \(.+\) \(7 users: .+, …\) — a state pcsync does not know, kept as sent$/),
    ]);
    // the retired subscription is not suspended while its status is unknown
    expect(plan.customers.flatMap((c) => (c as unknown as { actions: { kind: string; customerId: string }[] }).actions)).not.toContainEqual(
      expect.objectContaining({ kind: 'suspend', customerId: CONTOSO }),
    );
    const text = await runCli(['plan'], { env: demoEnv(sim), cwd: repoRoot });
    expect(text.stdout).toContain('subscription status "transitioning"');
    expect(sim.audit.writes()).toEqual([]);
  });
});
