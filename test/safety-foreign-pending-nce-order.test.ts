import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';
import { writeRequests } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** Tailspin buys Sales Professional as a new-commerce item; the YAML names an availability the order line does not. */
function desired(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-nce-foreign-'));
  mkdirSync(join(dir, 'customers'));
  writeFileSync(
    join(dir, 'customers', 'tailspin.yaml'),
    `apiVersion: pcsync/v1
kind: Customer
customer:
  id: ${NCE_CUSTOMERS.inWindow}
subscriptions:
  sales-pro:
    offer: ${NCE.salesProOffer}:AV0001
    term: P1Y
    billing: monthly
    quantity: auto
  old-sales:
    match:
      offerName: ${NCE.salesEnterpriseName}
    status: retired
licenses:
  - subscription: sales-pro
    from: old-sales
`,
  );
  return dir;
}

describe('a pending new-commerce order that pcsync did not place', () => {
  it('is the same offer whatever availability its line names: blocked in the plan, nothing bought by apply', async () => {
    sim = await startSim({ scenario: 'new-commerce', options: { foreignOrders: [{ customerId: NCE_CUSTOMERS.inWindow, offerId: NCE.salesProOffer, quantity: 5 }] } });
    const dir = desired();
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(plan.code, plan.stdout + plan.stderr).toBe(3);
    expect(plan.stdout).toContain('order-pending');
    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim) });
    expect(apply.code).toBe(4);
    expect(sim.state.customer(NCE_CUSTOMERS.inWindow)!.orders).toHaveLength(1);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });
});
