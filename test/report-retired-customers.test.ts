import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { TRICKY } from '../src/sim/scenarios/tricky.js';
import { writeRequests } from '../src/sim/invariants.js';
import { daysBetween } from '../src/report/build.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const NOW = '2026-03-01T09:30:00Z';
const env = (s: StartedSim, extra: Record<string, string | undefined> = {}) => ({ PARTNER_CENTER_ENDPOINT: s.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_NOW: NOW, ...extra });

/** Worked out by hand from the tricky scenario for 1 March 2026 (2026 is not a leap year). */
const EXPECTED = [
  // customer, subscription, days left, seats, assigned users, price group
  [TRICKY.northwind, 'C7000000-0000-4000-8000-000000000501', -14, 4, 3, 'commercial'], // ended 15 Feb
  [TRICKY.tailspin, 'C7000000-0000-4000-8000-000000000601', 9, 6, 4, 'students'], // 10 Mar
  [TRICKY.woodgrove, 'C7000000-0000-4000-8000-000000000402', 60, 2, 2, 'government'], // 30 Apr: 30 + 30
  [TRICKY.woodgrove, 'C7000000-0000-4000-8000-000000000401', 213, 3, 2, 'government'], // 30 Sep
  [TRICKY.fourthCoffee, 'C7000000-0000-4000-8000-000000000201', 336, 5, 1, 'faculty'], // 31 Jan 2027: 365 - 29
];

describe('pcsync report on the tricky scenario (fixed clock)', () => {
  it('lists exactly the affected customers, most urgent first, with correct days left; reads every page and writes nothing', async () => {
    sim = await startSim({ scenario: 'tricky', options: { pageSize: 2 } });
    const res = await runCli(['report', '--format', 'json'], { env: env(sim) });
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.rows.map((r: any) => [r.customerId, r.subscriptionId, r.daysLeft, r.seats, r.assignedUsers, r.priceGroup])).toEqual(EXPECTED);
    expect(report).toMatchObject({ formatVersion: 1, asOf: '2026-03-01T09:30:00.000Z', customersScanned: 6, affectedCustomers: 4, warnings: [] });
    expect(report.alreadyMigrated).toEqual([{ customerId: TRICKY.adventureWorks, companyName: 'Adventure Works' }]);
    expect(report.rows.map((r: any) => r.customerId)).not.toContain(TRICKY.litware);
    expect(report.rows[0]).toMatchObject({ companyName: 'Northwind Traders', commitmentEndDate: '2026-02-15T00:00:00Z', suggestedReplacement: 'Dynamics 365 for Sales Professional', status: 'active' });
    expect(writeRequests(sim.audit.entries)).toEqual([]);
    expect(sim.audit.requests().filter((r) => r.path === '/v1/customers')).toHaveLength(3);
    // subscribed SKUs only where a retired subscription is still in use
    expect(new Set(sim.audit.requests().filter((r) => r.path.endsWith('/subscribedskus')).map((r) => r.customerId))).toEqual(
      new Set([TRICKY.northwind, TRICKY.tailspin, TRICKY.woodgrove, TRICKY.fourthCoffee]),
    );
  });

  it('renders the same rows as text, markdown and csv, in the same order', async () => {
    sim = await startSim({ scenario: 'tricky' });
    const order = EXPECTED.map((e) => e[1] as string);
    const text = await runCli(['report'], { env: env(sim) });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('4 of 6 customers affected (5 subscriptions, 20 seats, 12 users)');
    const textRows = text.stdout.split('\n').filter((l) => /^\s*-?\d+( \(ended\))?\s+\d{4}-\d\d-\d\d/.test(l));
    // a commitment end in the past says so: never a bare count that reads as days still to go
    expect(textRows.map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['-14 (ended)', '9', '60', '213', '336']);
    expect(text.stdout).toMatch(/Already migrated \(retired subscription suspended\): Adventure Works/);

    const md = await runCli(['report', '--format', 'markdown'], { env: env(sim) });
    const mdRows = md.stdout.split('\n').filter((l) => /^\| -?\d/.test(l));
    expect(mdRows.map((l) => l.split('|')[1]!.trim())).toEqual(['-14 (ended)', '9', '60', '213', '336']);

    const csv = await runCli(['report', '--format', 'csv'], { env: env(sim) });
    const lines = csv.stdout.trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['daysLeft', 'commitmentEndDate', 'customerId']);
    expect(lines.slice(1).map((l) => l.split(',')[header.indexOf('subscriptionId')])).toEqual(order);
  });

  it('--now (hidden) overrides PCSYNC_NOW; an unreadable date is refused before any request', async () => {
    sim = await startSim({ scenario: 'tricky' });
    const res = await runCli(['report', '--format', 'json', '--now', '2026-03-10T23:59:59Z'], { env: env(sim) });
    expect(JSON.parse(res.stdout).rows.map((r: any) => r.daysLeft)).toEqual([-23, 0, 51, 204, 327]);
    const before = sim.audit.requests().length;
    const bad = await runCli(['report'], { env: env(sim, { PCSYNC_NOW: 'next tuesday' }) });
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringMatching(/PCSYNC_NOW: "next tuesday" is not a date/)]);
    expect(sim.audit.requests()).toHaveLength(before);
  });

  it('with app-only credentials still lists the customers, says the assigned users need App+User, and exits 1 (unknown is not 0)', async () => {
    sim = await startSim({ scenario: 'tricky' });
    const res = await runCli(['report', '--format', 'json'], { env: { ...msalEnv(sim, { clientSecret: SIM_SECRETS.clientSecret }), PCSYNC_NOW: NOW } });
    expect(res.code, res.stderr).toBe(1);
    const report = JSON.parse(res.stdout);
    expect(report.rows.map((r: any) => [r.subscriptionId, r.daysLeft, r.assignedUsers])).toEqual(EXPECTED.map((e) => [e[1], e[2], undefined]));
    expect(report.unreadable).toHaveLength(4);
    expect(report.unreadable[0]).toMatch(/App\+User credentials \(PARTNER_CENTER_REFRESH_TOKEN\)/);
    expect(res.stderr).toMatch(/incomplete — 4 read\(s\) failed or were refused/);
    expect(sim.auth.uses.every((u) => u.kind === 'app')).toBe(true);
  });
});

describe('daysBetween counts UTC calendar days', () => {
  it.each([
    ['2026-03-01T00:00:00Z', '2026-03-01T23:59:59Z', 0],
    ['2026-03-01T23:59:59Z', '2026-03-02T00:00:00Z', 1],
    ['2026-03-01T09:30:00Z', '2026-02-28T00:00:00Z', -1],
    ['2028-02-28T00:00:00Z', '2028-03-01T00:00:00Z', 2],
    ['2026-03-28T12:00:00Z', '2026-03-30T00:00:00+02:00', 1],
  ])('%s → %s = %i', (now, end, days) => {
    expect(daysBetween(new Date(now), new Date(end))).toBe(days);
  });
});
