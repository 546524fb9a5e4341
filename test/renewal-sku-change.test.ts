import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { pricesEnv, renewalDesired } from './helpers/renewals.js';
import { RENEWAL_CUSTOMERS as C, RENEWAL_SUBSCRIPTIONS as S } from '../src/sim/scenarios/renewals.js';
import { NCE } from '../src/sim/scenarios/new-commerce.js';
import { SKU } from '../src/sim/scenarios/catalog.js';
import { usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const DAY = 86_400_000;
const GROUPS = [[NCE.salesEnterpriseSku, SKU.salesPro]];
const sub = () => sim.state.customer(C.reshape)!.subscriptions[0]!;

describe('a SKU change at renewal', () => {
  it('is scheduled; after the renewal the next plan moves every holder onto the renewed SKU in one call each, nobody unlicensed', async () => {
    sim = await startSim({ scenario: 'renewals', options: { renewals: true } });
    const env = pricesEnv(sim);
    const dir = renewalDesired({
      fourthcoffee: `customer:\n  id: ${C.reshape}\nsubscriptions:\n  sales:\n    match:\n      subscriptionId: ${S.reshape}\n    renewal:\n      offer: ${NCE.salesProOffer}\n`,
    });
    const end = sub().commitmentEndDate;
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim, env) });
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toContain(`at renewal on ${end.slice(0, 10)}: 3 seat(s), into "Dynamics 365 Sales Professional (new commerce)" (${NCE.salesProOffer})`);
    // 3 × (USD 95 − USD 65) × 12
    expect(plan.stdout).toContain('saves USD 1,080.00/year');

    const first = await planThenApplySaved(sim, dir, { env });
    expect(first.apply.code, first.apply.stdout + first.apply.stderr).toBe(0);
    expect(sub().offerId).toBe(NCE.salesEnterpriseOffer); // nothing before the renewal
    expect(sub().nextTerm).toMatchObject({ offerId: NCE.salesProOffer, quantity: 3 });
    expect((await runCli(['plan', '--dir', dir], { env: demoEnv(sim, env) })).code).toBe(0);

    await api(sim.url, 'POST', `/_sim/clock?to=${encodeURIComponent(new Date(Date.parse(end) + DAY).toISOString())}`, { token: null });
    expect(sub().offerId).toBe(NCE.salesProOffer);
    const now = { PCSYNC_NOW: new Date(sim.state.now()).toISOString() };
    // Microsoft does not move the users: they still hold Sales Enterprise, which nothing pays for now.
    const after = await runCli(['plan', '--dir', dir, '--format', 'json'], { env: demoEnv(sim, { ...env, ...now }) });
    expect(after.code, after.stdout + after.stderr).toBe(2);
    const actions = JSON.parse(after.stdout).customers[0].actions;
    expect(actions.map((a: { kind: string; upn: string }) => `${a.kind} ${a.upn}`)).toEqual([
      'reassign seller01@fourthcoffee.onmicrosoft.com',
      'reassign seller02@fourthcoffee.onmicrosoft.com',
      'reassign seller03@fourthcoffee.onmicrosoft.com',
    ]);
    expect(actions[0]).toMatchObject({ assignSkuId: SKU.salesPro, removeSkuIds: [NCE.salesEnterpriseSku] });

    const second = await planThenApplySaved(sim, dir, { env: { ...env, ...now } });
    expect(second.apply.code, second.apply.stdout + second.apply.stderr).toBe(0);
    expect(sim.state.customer(C.reshape)!.users.map((u) => u.licenses)).toEqual([[SKU.salesPro], [SKU.salesPro], [SKU.salesPro]]);
    expect(usersEverUnlicensed(sim.audit.entries, GROUPS)).toEqual([]);
    expect((await runCli(['plan', '--dir', dir], { env: demoEnv(sim, { ...env, ...now }) })).code).toBe(0);
  });
});
