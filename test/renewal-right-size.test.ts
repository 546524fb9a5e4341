import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { pricesEnv, renewalDesired } from './helpers/renewals.js';
import { RENEWAL_CUSTOMERS as C, RENEWAL_SUBSCRIPTIONS as S } from '../src/sim/scenarios/renewals.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const DAY = 86_400_000;
const rightSize = (renewal: string) =>
  renewalDesired({
    northwind: `customer:\n  id: ${C.rightSize}\nsubscriptions:\n  e3:\n    match:\n      subscriptionId: ${S.rightSize}\n    renewal:\n${renewal}`,
  });
const sub = () => sim.state.customer(C.rightSize)!.subscriptions[0]!;

describe('renewal: { quantity: assigned } right-sizes a subscription at its renewal, never mid-term', () => {
  it('40 seats, 31 held: schedules 31 at renewal with the date and the yearly saving; after the renewal 31 seats, billed for 31', async () => {
    sim = await startSim({ scenario: 'renewals', options: { renewals: true } });
    const dir = rightSize('      quantity: assigned\n');
    const env = { ...pricesEnv(sim) };
    const end = sub().commitmentEndDate;

    const text = await runCli(['plan', '--dir', dir], { env: demoEnv(sim, env) });
    expect(text.code, text.stdout + text.stderr).toBe(2);
    // The date and the money per year, on the action: 9 seats × USD 23 × 12 = USD 2,484 a year.
    expect(text.stdout).toContain(`at renewal on ${end.slice(0, 10)}: 40 → 31 seats; nothing changes before then`);
    expect(text.stdout).toContain('saves USD 2,484.00/year');
    const md = await runCli(['plan', '--dir', dir, '--format', 'markdown'], { env: demoEnv(sim, env) });
    expect(md.stdout).toContain('📅 **at renewal**');
    expect(md.stdout).toContain('saves USD 2,484.00/year');
    const json = JSON.parse((await runCli(['plan', '--dir', dir, '--format', 'json'], { env: demoEnv(sim, env) })).stdout);
    const [action] = json.customers[0].actions;
    expect(action).toMatchObject({ kind: 'schedule-renewal', renewsOn: end, observed: { quantity: 40, holders: 31 }, desired: { quantity: 31, offerId: 'CFQ7TTC0LFLX:0001' } });
    expect(json.cost.renewals).toMatchObject([{ actionId: action.id, currency: 'USD', yearlyNow: 11040, yearlyNext: 8556, yearlyChange: -2484 }]);

    const run = await planThenApplySaved(sim, dir, { env });
    expect(run.apply.code, run.apply.stdout + run.apply.stderr).toBe(0);
    expect(JSON.parse(readFileSync(run.planFile, 'utf8')).formatVersion).toBe(3);
    const summary = JSON.parse(run.apply.stdout.split('\n').find((l) => l.includes('"type":"summary"'))!);
    expect(summary.customers[0].scheduledAtRenewal).toEqual([`scheduled "Office 365 E3 (new commerce)" (${S.rightSize}) for its renewal on ${end.slice(0, 10)}: 40 → 31 seat(s) of Office 365 E3 (new commerce)`]);
    // Nothing mid-term: the seats stay 40 until the renewal; only the next term is scheduled.
    expect(sub().quantity).toBe(40);
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-changed').map((e) => (e as { field: string }).field)).toEqual(['scheduledNextTermInstructions']);
    const patches = sim.audit.entries.filter((e) => e.type === 'request' && e.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect((patches[0] as { body: { quantity: number } }).body.quantity).toBe(40);
    // In the desired state now: the next plan proposes nothing.
    expect((await runCli(['plan', '--dir', dir], { env: demoEnv(sim, env) })).code).toBe(0);

    await api(sim.url, 'POST', `/_sim/clock?to=${encodeURIComponent(new Date(Date.parse(end) + DAY).toISOString())}`, { token: null });
    expect(sub().quantity).toBe(31);
    const billing = (await api(sim.url, 'GET', '/_sim/billing')).body;
    expect(billing.lines.find((l: { subscriptionId: string }) => l.subscriptionId === S.rightSize)).toMatchObject({ seats: 31, assigned: 31, monthlyCost: 713 });
  });

  it('a renewal Partner Center would refuse (a legacy subscription, a product not sold) is a blocker on the renewal: line; nothing is sent', async () => {
    sim = await startSim({ scenario: 'renewals' });
    const env = demoEnv(sim, pricesEnv(sim));
    const legacy = renewalDesired({
      litware: `customer:\n  id: ${C.mixed}\nsubscriptions:\n  e3:\n    match:\n      subscriptionId: ${S.mixedLegacyE3}\n    renewal:\n      quantity: 7\n`,
    });
    const blocked = await runCli(['plan', '--dir', legacy], { env });
    expect(blocked.code, blocked.stdout).toBe(3);
    expect(blocked.stdout).toMatch(/renewal-not-schedulable: e3: subscription .* is a legacy subscription/);
    expect(blocked.stdout).toMatch(/at .*litware\.yaml:9:5/);

    const notForSale = rightSize('      offer: CFQ7TTC0NONE:0001\n');
    const r = await runCli(['plan', '--dir', notForSale], { env });
    expect(r.stdout).toMatch(/renewal-not-schedulable: e3: renewal offer CFQ7TTC0NONE:0001 is not sold to this customer/);
    expect(r.code).toBe(3);
    expect(sim.audit.entries.filter((e) => e.type === 'request' && e.method !== 'GET')).toEqual([]);
  });
});
