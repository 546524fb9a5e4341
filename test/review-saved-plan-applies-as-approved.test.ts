import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { api, listScenarioNames, startSim, type StartedSim } from './helpers/sim.js';
import { copyDesiredState } from './helpers/demo.js';
import { byOutcome, emptyDesiredState, importAll, newOrdersPlanned, planThenApplySaved, type ReviewedRun } from './helpers/reviewed-path.js';
import { mixedFleet, writeMixedFleetDesired, writeNewCommerceCustomers } from './helpers/mixed-fleet.js';
import { ordersPerCustomer } from '../src/sim/invariants.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RENEWAL_CUSTOMERS, RENEWAL_SUBSCRIPTIONS } from '../src/sim/scenarios/renewals.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** One row per scenario, printed at the end: what the issue asks to see. */
const rows: string[] = [];
afterAll(() => {
  if (rows.length > 0) console.log(['scenario        customers  applied  refused as stale', ...rows].join('\n'));
});

function record(name: string, run: ReviewedRun): void {
  rows.push(`${name.padEnd(16)}${String(run.customers.length).padStart(9)}${String(byOutcome(run, 'applied').length).padStart(9)}${String(byOutcome(run, 'skipped-stale').length).padStart(18)}`);
}

/** The desired state a partner would have for each built-in scenario: the repository's for the demo, `import --all` for the rest. */
async function desiredFor(name: string, s: StartedSim): Promise<string> {
  if (name === 'demo') return copyDesiredState();
  const dir = emptyDesiredState();
  if (name === 'renewals') {
    // Nothing is retired here: the desired state is the next terms (a right-sizing and a SKU change at renewal).
    writeFileSync(join(dir, 'customers', 'northwind.yaml'), `apiVersion: pcsync/v1\nkind: Customer\ncustomer:\n  id: ${RENEWAL_CUSTOMERS.rightSize}\nsubscriptions:\n  e3:\n    match:\n      subscriptionId: ${RENEWAL_SUBSCRIPTIONS.rightSize}\n    renewal:\n      quantity: assigned\n`);
    writeFileSync(join(dir, 'customers', 'fourthcoffee.yaml'), `apiVersion: pcsync/v1\nkind: Customer\ncustomer:\n  id: ${RENEWAL_CUSTOMERS.reshape}\nsubscriptions:\n  sales:\n    match:\n      subscriptionId: ${RENEWAL_SUBSCRIPTIONS.reshape}\n    renewal:\n      offer: CFQ7TTC0LH0Q:0001\n`);
    return dir;
  }
  await importAll(s, dir);
  if (name === 'new-commerce') writeNewCommerceCustomers(dir);
  return dir;
}

describe('a saved plan applies as approved when nothing changed between plan and apply', () => {
  it('every built-in scenario is listed here', () => {
    expect(listScenarioNames()).toEqual(['demo', 'fleet', 'new-commerce', 'price-variants', 'renewals', 'shared-sku', 'tricky']);
  });

  it.each(['demo', 'fleet', 'new-commerce', 'price-variants', 'renewals', 'shared-sku', 'tricky'])('%s: no customer is refused as stale', async (name) => {
    sim = await startSim({ scenario: name });
    const dir = await desiredFor(name, sim);
    const run = await planThenApplySaved(sim, dir);
    record(name, run);
    expect(run.customers.length, run.plan.stdout + run.apply.stderr).toBeGreaterThan(0);
    expect(byOutcome(run, 'skipped-stale'), run.apply.stdout).toEqual([]);
    expect(byOutcome(run, 'applied').length, run.apply.stdout).toBeGreaterThan(0);
    // one order per purchase the plan holds, never two
    expect(ordersPerCustomer(sim.audit.entries)).toEqual(newOrdersPlanned(run.planFile));
  });

  it('a fleet mixing plain migrations with every special case: the plain customers and the new-commerce purchase apply, none is refused as stale', async () => {
    const fleet = mixedFleet();
    sim = await startSim({ scenario: fleet.scenario, options: fleet.options });
    const dir = emptyDesiredState();
    await writeMixedFleetDesired(sim, dir);
    const run = await planThenApplySaved(sim, dir);
    record('mixed', run);
    expect(byOutcome(run, 'skipped-stale'), run.apply.stdout).toEqual([]);
    const applied = new Set(byOutcome(run, 'applied').map((c) => c.customerId));
    for (const id of fleet.plain) expect(applied.has(id), `plain customer ${id}: ${run.apply.stdout}`).toBe(true);
    const nce = Object.keys(fleet.special).find((id) => fleet.special[id]!.startsWith('buys a new-commerce'))!;
    expect(applied.has(nce), run.apply.stdout).toBe(true);
    // every customer with a purchase in the plan got exactly its orders, the blocked ones none
    expect(ordersPerCustomer(sim.audit.entries)).toEqual(newOrdersPlanned(run.planFile));
  });
});

describe('a saved plan after one customer changed between plan and apply', () => {
  it('refuses only that customer, naming what changed; the others apply', async () => {
    const fleet = mixedFleet();
    sim = await startSim({ scenario: fleet.scenario, options: fleet.options });
    const dir = emptyDesiredState();
    await writeMixedFleetDesired(sim, dir);
    const changed = fleet.plain[0]!;
    const s = sim;
    const run = await planThenApplySaved(sim, dir, {
      // An admin moves one holder off the retired licence by hand after the plan was reviewed.
      between: async () => {
        const users = (await api(s.url, 'GET', `/v1/customers/${changed}/users`)).body.items as { id: string; userPrincipalName: string }[];
        for (const u of users) {
          const held = (await api(s.url, 'GET', `/v1/customers/${changed}/users/${u.id}/licenses`)).body.items as { productSku: { id: string } }[];
          if (held.length === 0) continue;
          const r = await api(s.url, 'POST', `/v1/customers/${changed}/users/${u.id}/licenseupdates`, { body: { licensesToAssign: [], licensesToRemove: [held[0]!.productSku.id] } });
          expect(r.status).toBe(201);
          return;
        }
      },
    });
    const stale = byOutcome(run, 'skipped-stale');
    expect(stale.map((c) => c.customerId)).toEqual([changed]);
    // It names what changed, plan → now: the seats in use dropped by one, that user's move is no longer needed.
    expect(stale[0]!.message).toMatch(/^pcsync plans something else for this customer now: suspend\/[a-z-]+: observed\.consumedUnits is \d+ in the plan, \d+ now; reassign\/user\d+@fleet\d+\.onmicrosoft\.com is no longer needed; /);
    expect(stale[0]!.message).not.toMatch(/edited/);
    const applied = new Set(byOutcome(run, 'applied').map((c) => c.customerId));
    for (const id of fleet.plain.slice(1)) expect(applied.has(id), run.apply.stdout).toBe(true);
    expect(ordersPerCustomer(sim.audit.entries)[changed]).toBeUndefined();
  });
});
