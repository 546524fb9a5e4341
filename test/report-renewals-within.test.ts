import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { renewalDesired } from './helpers/renewals.js';
import { RENEWAL_SUBSCRIPTIONS as S } from '../src/sim/scenarios/renewals.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('pcsync report --renewals --within', () => {
  it('keeps only deadlines in the next N days: the renewal calendar CI publishes', async () => {
    sim = await startSim({ scenario: 'renewals' });
    const dir = renewalDesired({});
    const all = JSON.parse((await runCli(['report', '--renewals', '--dir', dir, '--format', 'json'], { env: demoEnv(sim) })).stdout);
    const res = await runCli(['report', '--renewals', '--within', '60d', '--dir', dir, '--format', 'json'], { env: demoEnv(sim) });
    expect(res.code, res.stderr).toBe(0);
    const soon = JSON.parse(res.stdout);
    expect(soon.withinDays).toBe(60);
    expect(all.rows.length).toBe(5);
    // Litware's Sales Professional: its cancellation window ends in 5 days; every other deadline is 65 days or more away.
    expect(soon.rows.map((r: { subscriptionId: string }) => r.subscriptionId)).toEqual([S.mixedSalesPro]);
    const md = await runCli(['report', '--renewals', '--within', '60', '--dir', dir, '--format', 'markdown'], { env: demoEnv(sim) });
    expect(md.stdout).toContain('1 active subscription(s) with a deadline within 60 day(s)');
  });

  it('a value that is not a number of days, or --within without --renewals, is refused by name', async () => {
    sim = await startSim({ scenario: 'renewals' });
    const dir = renewalDesired({});
    const bad = await runCli(['report', '--renewals', '--within', 'soon', '--dir', dir], { env: demoEnv(sim) });
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('report --within: "soon" is not a number of days (e.g. 60d).')]);
    const alone = await runCli(['report', '--within', '60d', '--dir', dir], { env: demoEnv(sim) });
    expect([alone.code, alone.stderr]).toEqual([1, expect.stringContaining('report --within goes with --renewals')]);
  });
});
