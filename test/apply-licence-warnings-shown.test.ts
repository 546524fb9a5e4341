import { afterEach, describe, expect, it } from 'vitest';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { expectMigratedSafely, FAST } from './helpers/resilience.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

/**
 * A licence update answered 201 with `licenseWarnings` (API reference §7) was made, but only partly as asked:
 * pcsync counts the move as done and shows each warning with the user, as one bounded line of untrusted text.
 */
describe('licence updates answered with licenseWarnings', () => {
  it('the moves count as done and every warning is shown with its user', async () => {
    const warning = { code: 'ServicePlanConflict', message: 'Plan EXCHANGE_S_STANDARD\nwas not enabled: it conflicts with another plan.', servicePlans: ['EXCHANGE_S_STANDARD'] };
    sim = await startSim({ scenario: 'demo', options: { replies: { licenseWarnings: [warning] } } });
    const apply = await runCli(['apply', '--auto-approve'], { env: demoEnv(sim, FAST), cwd: repoRoot });
    const out = apply.stdout + apply.stderr;

    expect(apply.code, out).toBe(0);
    expectMigratedSafely(sim.audit.entries);
    const shown = out.match(/^.*: new licence assigned, old licence removed; Partner Center warned: ServicePlanConflict: Plan EXCHANGE_S_STANDARD was not enabled: it conflicts with another plan\. — check this user's licence.*$/gm) ?? [];
    expect(shown).toHaveLength(8);
    expect(shown.some((l) => l.includes('alice@contoso.onmicrosoft.com'))).toBe(true);
  });
});
