import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { tailspinToSalesProNewCommerce } from './helpers/nce.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';
import { writeRequests } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * Tailspin buys Sales Professional as a new-commerce item; the YAML names an availability (AV0001) the pending
 * order's line does not (it was bought under AV0002, the simulator's current one).
 */
const desired = () => tailspinToSalesProNewCommerce('AV0001');

describe('a pending new-commerce order that pcsync did not place', () => {
  it('is the same offer whatever availability its line names: blocked in the plan, nothing bought by apply', async () => {
    sim = await startSim({ scenario: 'new-commerce', options: { availabilityId: 'AV0002', foreignOrders: [{ customerId: NCE_CUSTOMERS.inWindow, offerId: NCE.salesProOffer, quantity: 5 }] } });
    const dir = desired();
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(plan.code, plan.stdout + plan.stderr).toBe(3);
    expect(plan.stdout).toContain('order-pending');
    expect(plan.stdout).not.toContain('sku-unknown');
    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim) });
    expect(apply.code).toBe(4);
    expect(sim.state.customer(NCE_CUSTOMERS.inWindow)!.orders).toHaveLength(1);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });
});
