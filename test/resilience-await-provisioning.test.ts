import { afterEach, describe, expect, it } from 'vitest';
import { awaitProvisioning } from '../src/apply/actions.js';
import { CustomerRunState, type ExecutorDeps } from '../src/apply/context.js';
import type { AwaitProvisioningAction } from '../src/plan/types.js';
import { ordersPerCustomer } from '../src/sim/invariants.js';
import { realClient } from './helpers/client.js';
import { CONTOSO, FABRIKAM, SKU, copyDesiredState, demoEnv, repoRoot } from './helpers/demo.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim;
afterEach(() => sim?.close());

const SALES_PRO_OFFER = 'F28514F0-6516-4EF9-8222-1C605A05D245';

function action(timeoutSeconds: number): AwaitProvisioningAction {
  return {
    kind: 'await-provisioning',
    id: `${CONTOSO}/await-provisioning/sales-pro`,
    customerId: CONTOSO,
    dependsOn: [`${CONTOSO}/purchase/sales-pro`],
    reason: 'new-subscription-provisioning',
    reasonText: 'test',
    irreversible: false,
    handle: 'sales-pro',
    purchaseActionId: `${CONTOSO}/purchase/sales-pro`,
    skuId: SKU.salesPro,
    minAvailableUnits: 5,
    timeoutSeconds,
  };
}

/** Executor deps on a fake clock: every sleep advances it and is recorded. */
function fakeClock(client: ExecutorDeps['client']) {
  let now = 0;
  const sleeps: number[] = [];
  const deps: ExecutorDeps = {
    client,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    userConcurrency: 1,
    pollMs: 1000,
    maxPollMs: 8000,
    stopping: () => false,
  };
  return { deps, sleeps };
}

async function orderSalesPro(client: ExecutorDeps['client']): Promise<CustomerRunState> {
  const order = await client.createOrder(CONTOSO, { lineItems: [{ lineItemNumber: 0, offerId: SALES_PRO_OFFER, quantity: 5 }] }, 'await-test');
  const run = new CustomerRunState();
  run.subscriptionByPurchase.set(`${CONTOSO}/purchase/sales-pro`, order.lineItems![0]!.subscriptionId!);
  return run;
}

describe('await-provisioning', () => {
  it('polls with doubling intervals up to the plan\'s time limit, then reports a clear transient timeout', async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayMs: 3_600_000 } });
    const { client } = realClient(sim.url);
    const run = await orderSalesPro(client);
    const { deps, sleeps } = fakeClock(client);
    const result = await awaitProvisioning(action(30), deps, run);
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 8000, 7000]);
    expect(result.outcome).toBe('failed-transient');
    expect(result.message).toMatch(
      /^gave up waiting after 30s \(the plan's limit; 7 check\(s\)\): subscription [0-9A-F-]{36} not found yet \(still provisioning\)\. The order stands; run apply again later to move the users — it will not buy a second time$/,
    );
  });

  it('counts a check that failed after the transport\'s retries as "not yet" and succeeds once the subscription is usable', async () => {
    sim = await startSim({ scenario: 'demo', options: { serverErrors: { match: ['GET /v1/customers/:customerId/subscriptions'], times: 2 } } });
    const { client } = realClient(sim.url, { retry: { maxRetries: 0 } });
    const run = await orderSalesPro(client);
    const { deps, sleeps } = fakeClock(client);
    const result = await awaitProvisioning(action(60), deps, run);
    expect(result.outcome).toBe('applied');
    expect(result.message).toMatch(/is active with enough seats \(after 3 check\(s\)/);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('e2e: a customer whose order is not provisioned in time fails transiently; the other customer completes; a later apply finishes', async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayByCustomer: { [CONTOSO]: 3_600_000 } } });
    const dir = copyDesiredState((files) => {
      files['pcsync.yaml'] += '\npolicy:\n  provisioningTimeoutSeconds: 1\n';
    });
    const env = demoEnv(sim, { PCSYNC_POLL_MS: '100' });
    const plan = await runCli(['plan', '--dir', dir], { env, cwd: repoRoot });
    expect(plan.stdout).toContain('(at most 1s)');

    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    const summary = apply.stdout.slice(apply.stdout.indexOf('Apply summary'));
    expect(summary).toMatch(/failed-transient +Contoso Ltd .*stopped: gave up waiting after 1s \(the plan's limit/);
    expect(summary).toMatch(/applied +Fabrikam Government/);
    expect(sim.audit.entries.some((e) => e.type === 'licenses-changed' && e.customerId === CONTOSO)).toBe(false);

    // Partner Center finishes provisioning; the next apply moves Contoso's users without buying again.
    for (const s of sim.state.customer(CONTOSO)!.subscriptions) s.visibleFrom = 0;
    const again = await runCli(['apply', '--auto-approve', '--dir', dir], { env, cwd: repoRoot });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
    expect(sim.audit.entries.filter((e) => e.type === 'licenses-changed' && e.customerId === CONTOSO)).toHaveLength(5);
  });
});
