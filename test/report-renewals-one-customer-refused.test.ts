import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * One customer's failure never blanks a fleet view (microsoft/Partner-Smart-Office#12: one customer answering
 * 403 20002 aborted the whole renewals list). `report --renewals` lists the others, names the failed one with
 * Partner Center's refusal and who must act, and exits 1 — as `report` and `plan` do.
 */
describe('report --renewals when one customer answers 403 20002', () => {
  it('lists the healthy customers, names the failed one, exits non-zero (json and text)', async () => {
    sim = await startSim({ scenario: 'new-commerce', options: { relationshipEnded: [NCE_CUSTOMERS.inWindow] } });
    const json = await runCli(['report', '--renewals', '--format', 'json'], { env: demoEnv(sim) });
    expect(json.code, json.stderr).toBe(1);
    const report = JSON.parse(json.stdout) as { rows: { customerId: string; companyName: string }[]; unreadable: string[]; customersScanned: number };
    const listed = new Set(report.rows.map((r) => r.companyName));
    expect(listed).toEqual(new Set(['Adatum', 'Wingtip Toys']));
    expect(report.rows.some((r) => r.customerId === NCE_CUSTOMERS.inWindow)).toBe(false);
    expect(report.unreadable).toEqual([
      expect.stringMatching(/^Tailspin Toys \([^)]+\): its subscriptions could not be read: GET .*: the partner has no commerce relationship with this customer \(code 20002\) — the partner admin must act: .*new relationship request/),
    ]);
    expect(json.stderr).toMatch(/could not read Tailspin Toys/);

    const text = await runCli(['report', '--renewals'], { env: demoEnv(sim) });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/1 customer\(s\) could not be read/);
    expect(text.stdout).toMatch(/Not read .*\n\s+Tailspin Toys/);
    expect(text.stdout).toMatch(/Wingtip Toys/);
  });
});
