import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, SKU, copyDesiredState, demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { OFFER, SERVICE_PLAN } from '../src/sim/scenarios/catalog.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * An admin switched service plans off for some users; the move to the new licence keeps them off where the new
 * SKU has the same plan (excludedPlans, partner-center-2026-12.md §5) and says, by user and plan name, where it
 * cannot (MicrosoftDocs/microsoft-365-docs#10229: they silently came back on with excludedPlans: null).
 */
function scenario(opts: { salesProSubscribed?: boolean } = {}) {
  const s = loadScenario('demo');
  const contoso = s.customers.find((c) => c.id === CONTOSO)!;
  contoso.users.find((u) => u.upn.startsWith('alice@'))!.disabledPlans = { [SKU.oldSales]: [SERVICE_PLAN.flow.id] };
  contoso.users.find((u) => u.upn.startsWith('bob@'))!.disabledPlans = { [SKU.oldSales]: [SERVICE_PLAN.projectEssentials.id] };
  if (opts.salesProSubscribed) contoso.subscriptions.push({ id: 'A1B2C3D4-0000-4000-8000-0000000001a9', offerId: OFFER.salesPro, quantity: 1 });
  return s;
}

const user = (prefix: string) => sim.state.customer(CONTOSO)!.users.find((u) => u.upn.startsWith(prefix))!;

describe('service plans switched off for a user stay off after the move', () => {
  it('apply sends the new SKU’s plan as excludedPlans: alice’s Flow stays disabled (simulator state); bob’s plan has no counterpart and the result says so', async () => {
    sim = await startSim({ scenario: scenario() });
    const dir = copyDesiredState();
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/alice@contoso\.onmicrosoft\.com: "Flow for Dynamics 365" \(FLOW_DYN_APPS\) switched off for this user stay off on "Dynamics 365 for Sales Professional" where it has the same service plan/);
    expect(plan.stdout).toMatch(/alice@contoso\.onmicrosoft\.com: assign "Dynamics 365 for Sales Professional", remove ".*", keep "Flow for Dynamics 365" off/);

    const run = await planThenApplySaved(sim, dir);
    expect(run.customers.find((c) => c.customerId === CONTOSO)?.outcome).toBe('applied');
    expect(user('alice@').licenses).toContain(SKU.salesPro);
    expect(user('alice@').disabledPlans).toEqual({ [SKU.salesPro]: [SERVICE_PLAN.flow.id] });
    // Nobody else's plans were switched off on the way.
    expect(user('carol@').disabledPlans).toEqual({});
    expect(user('bob@').disabledPlans).toEqual({});
    expect(run.apply.stdout).toMatch(/bob@contoso\.onmicrosoft\.com: new licence assigned, old licence removed; the new licence has no Project Online Essentials to keep off/);
  });

  it('when the new SKU’s plans are known at plan time, the plan warns by user and plan name where one cannot be kept off', async () => {
    sim = await startSim({ scenario: scenario({ salesProSubscribed: true }) });
    const plan = await runCli(['plan', '--dir', copyDesiredState(), '--format', 'json'], { env: demoEnv(sim) });
    const contoso = (JSON.parse(plan.stdout) as { customers: { customerId: string; warnings: { code: string; message: string; user?: string }[]; actions: { upn?: string; excludedPlans?: { id: string }[] }[] }[] }).customers.find((c) => c.customerId === CONTOSO)!;
    const lost = contoso.warnings.filter((w) => w.code === 'service-plans-not-carried');
    expect(lost.map((w) => [w.user, w.message])).toEqual([
      ['bob@contoso.onmicrosoft.com', expect.stringContaining('"Project Online Essentials" (PROJECT_ESSENTIALS) switched off for this user on the old licence cannot be kept off on "Dynamics 365 for Sales Professional"')],
    ]);
    expect(contoso.actions.find((a) => a.upn === 'alice@contoso.onmicrosoft.com')?.excludedPlans?.map((p) => p.id)).toEqual([SERVICE_PLAN.flow.id]);
    expect(contoso.actions.find((a) => a.upn === 'carol@contoso.onmicrosoft.com')).not.toHaveProperty('excludedPlans');
  });
});
