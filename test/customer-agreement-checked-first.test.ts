import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const ordersOf = (customerId: string) => sim.audit.entries.filter((e) => e.type === 'order-created' && e.customerId === customerId);

/**
 * A customer that has not accepted the Microsoft Customer Agreement: Partner Center refuses its order (403 13605).
 * The agreement is checkable read-only (learn get-confirmation-of-customer-agreement), so the plan blocks that
 * customer, saying the customer must act, and nothing is bought or moved for it; the others go on.
 */
describe('the customer agreement is checked before buying', () => {
  it('blocks the customer without the agreement (0 orders), naming who must act; the other customer is applied', async () => {
    sim = await startSim({ scenario: 'demo', options: { customerAgreementMissing: [CONTOSO] } });
    const dir = copyDesiredState();
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stdout).toMatch(/customer-agreement-missing: Contoso.*has not accepted the Microsoft Customer Agreement, so Partner Center would refuse the order \(403 13605\)/);
    expect(plan.stdout).toMatch(/the customer must act: accept the Microsoft Customer Agreement/);
    const run = await planThenApplySaved(sim, dir);
    expect(ordersOf(CONTOSO)).toEqual([]);
    expect(sim.audit.requests().filter((r) => r.method !== 'GET' && r.path.includes(CONTOSO))).toEqual([]);
    expect(ordersOf(FABRIKAM)).toHaveLength(1);
    expect(run.customers.find((c) => c.customerId === FABRIKAM)?.outcome).toBe('applied');
  });
});
