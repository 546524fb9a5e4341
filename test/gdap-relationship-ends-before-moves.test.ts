import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { ENTRA_ROLE } from '../src/partner-center/gdap-roles.js';
import { DEFAULT_GDAP_GROUP } from '../src/sim/gdap.js';
import { sealPlanJson } from '../src/apply/plan-file.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const GRAPH = { PARTNER_CENTER_GRAPH_TOKEN: 'graph-token' };
const licenceAdmins = [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.licenseAdministrator] }];
const ordersOf = (customerId: string) => sim.audit.entries.filter((e) => e.type === 'order-created' && e.customerId === customerId);

describe('a GDAP relationship that ends before the licence moves stops the purchase', () => {
  it('plan: a relationship ending before the provisioning wait and the moves are over blocks the customer, naming the end and who must act', async () => {
    const end = new Date(Date.now() + 60_000).toISOString();
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { endDateTime: end, assignments: licenceAdmins } } } } });
    const dir = copyDesiredState();
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim, GRAPH) });
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stdout).toMatch(new RegExp(`gdap-relationship-ends-before-moves: .*Contoso.*ends ${end.replace(/\./g, '\\.')}, before the 5 licence move\\(s\\)`));
    expect(plan.stdout).toMatch(/the partner admin must act: extend the GDAP relationship/);
    expect(plan.stdout).not.toMatch(/Admin agents/);
    const run = await planThenApplySaved(sim, dir, { env: GRAPH });
    expect(ordersOf(CONTOSO)).toEqual([]);
    expect(ordersOf(FABRIKAM)).toHaveLength(1);
  });

  it('apply: judged against the real time just before buying (the re-plan runs at the plan’s time): 0 orders, who must act', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: {} } });
    const dir = copyDesiredState();
    const run = await planThenApplySaved(sim, dir, {
      env: GRAPH,
      between: (planFile) => {
        // The plan was approved a day ago; the relationship now ends in ten minutes (before the 900 s wait and the moves).
        const file = JSON.parse(readFileSync(planFile, 'utf8')) as { createdAt: string };
        file.createdAt = new Date(Date.parse(file.createdAt) - 86_400_000).toISOString();
        writeFileSync(planFile, sealPlanJson(JSON.stringify(file)));
        sim.state.options.gdap = { customers: { [CONTOSO]: { endDateTime: new Date(Date.now() + 10 * 60_000).toISOString(), assignments: licenceAdmins } } };
      },
    });
    expect(ordersOf(CONTOSO)).toEqual([]);
    const contoso = run.customers.find((c) => c.customerId === CONTOSO);
    expect(contoso, run.apply.stdout + run.apply.stderr).toBeDefined();
    expect(contoso!.outcome).toBe('failed-terminal');
    expect(contoso!.message).toMatch(/not bought: checked at .*, just before buying: the GDAP relationship with this customer ends .*the partner admin must act: extend the GDAP relationship/);
    expect(contoso!.message).not.toMatch(/Admin agents/);
    expect(ordersOf(FABRIKAM)).toHaveLength(1);
  });
});

