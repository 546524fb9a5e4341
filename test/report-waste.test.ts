import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { pricesEnv, renewalDesired } from './helpers/renewals.js';
import { RENEWAL_CUSTOMERS as C, RENEWAL_SUBSCRIPTIONS as S } from '../src/sim/scenarios/renewals.js';
import type { BillingAudit } from '../src/sim/billing.js';
import type { WasteReport } from '../src/report/waste.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const round = (n: number) => Math.round(n * 100) / 100;

describe('pcsync report --waste', () => {
  it('on a mixed tenant (legacy, new commerce in and past the window, an unpriced offer, a suspended one) equals the billing audit per subscription and in total', async () => {
    sim = await startSim({ scenario: 'renewals' });
    // A suspended new-commerce subscription is still billed; a cancelled one is not.
    sim.state.customer(C.reshape)!.subscriptions[0]!.status = 'suspended';
    const dir = renewalDesired({});
    const env = demoEnv(sim, pricesEnv(sim));
    const res = await runCli(['report', '--waste', '--dir', dir, '--format', 'json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as WasteReport;
    const audit = (await api(sim.url, 'GET', '/_sim/billing')).body as BillingAudit;

    const key = (id: string) => id.toLowerCase();
    expect(report.rows.map((r) => key(r.subscriptionId)).sort()).toEqual(audit.lines.map((l) => key(l.subscriptionId)).sort());
    for (const line of audit.lines) {
      const row = report.rows.find((r) => key(r.subscriptionId) === key(line.subscriptionId))!;
      const mine = { seats: row.seats, assigned: row.assigned, unassigned: row.unassigned, unitPrice: row.unitPrice ?? null, monthlyCost: row.monthlyCost ?? null, unassignedMonthlyCost: row.unassignedMonthlyCost ?? null };
      const theirs = { seats: line.seats, assigned: line.assigned, unassigned: line.unassigned, unitPrice: line.unitPrice, monthlyCost: line.monthlyCost, unassignedMonthlyCost: line.unassignedMonthlyCost };
      expect([line.subscriptionId, mine]).toEqual([line.subscriptionId, theirs]);
    }
    // Totals: unknown with an unpriced subscription, as the audit's; the priced part equals the audit's priced lines.
    expect(report.totals).toMatchObject({ seats: audit.totals.seats, assigned: audit.totals.assigned, unassigned: audit.totals.unassigned, monthlyCost: audit.totals.monthlyCost, unassignedMonthlyCost: audit.totals.unassignedMonthlyCost, unknownPrices: 1 });
    const priced = audit.lines.filter((l) => l.unitPrice !== null);
    expect(report.totals.pricedUnassignedMonthlyCost).toBe(round(priced.reduce((n, l) => n + l.unassignedMonthlyCost!, 0)));
    expect(report.totals.pricedMonthlyCost).toBe(round(priced.reduce((n, l) => n + l.monthlyCost!, 0)));
    // The earliest reduction: inside the window now, else the term end; legacy any time.
    const byId = (id: string) => report.rows.find((r) => key(r.subscriptionId) === key(id))!;
    expect(byId(S.mixedSalesPro).reducibleHow).toMatch(/^now, inside the cancellation window/);
    expect(byId(S.rightSize).reducibleFrom).toBe(sim.state.customer(C.rightSize)!.subscriptions[0]!.commitmentEndDate.slice(0, 10));
    expect(byId(S.mixedUnpriced)).toMatchObject({ priceUnknown: expect.stringContaining('no P1Y monthly price') });
    expect(byId(S.mixedUnpriced)).not.toHaveProperty('unitPrice');
  });

  it('without the unpriced offer the totals are known and equal; text, markdown and CSV show the same numbers', async () => {
    sim = await startSim({ scenario: 'renewals' });
    sim.state.customer(C.mixed)!.subscriptions.find((s) => s.id === S.mixedUnpriced)!.status = 'deleted';
    sim.state.customer(C.mixed)!.subscriptions.find((s) => s.id === S.mixedUnpriced)!.billingStoppedAt = '2026-01-01T00:00:00Z';
    const dir = renewalDesired({});
    const env = demoEnv(sim, pricesEnv(sim));
    const audit = (await api(sim.url, 'GET', '/_sim/billing')).body as BillingAudit;
    const json = JSON.parse((await runCli(['report', '--waste', '--dir', dir, '--format', 'json'], { env })).stdout) as WasteReport;
    expect(json.totals).toMatchObject({ monthlyCost: audit.totals.monthlyCost, unassignedMonthlyCost: audit.totals.unassignedMonthlyCost, currency: 'USD', unknownPrices: 0 });
    // 9 × 23 (Northwind) + 3 × 23 (Litware legacy) + 3 × 65 (Litware NCE) = 471
    expect(json.totals.unassignedMonthlyCost).toBe(471);
    const text = await runCli(['report', '--waste', '--dir', dir], { env });
    expect(text.stdout).toContain('USD 471.00/month for unassigned seats');
    const md = await runCli(['report', '--waste', '--dir', dir, '--format', 'markdown'], { env });
    expect(md.stdout).toContain('| Northwind Traders | NCE | 40 | 31 | 9 | USD 23.00 | USD 207.00 |');
    const csv = await runCli(['report', '--waste', '--dir', dir, '--format', 'csv'], { env });
    expect(csv.stdout.split('\r\n')[0]).toBe('customerId,companyName,subscriptionId,offerName,offerId,commerce,seats,assigned,unassigned,currency,unitPrice,monthlyCost,unassignedMonthlyCost,priceUnknown,reducibleFrom,reducibleHow');
    expect(csv.stdout).toContain(`${S.rightSize},Office 365 E3 (new commerce),CFQ7TTC0LFLX:0001:AV0001,new,40,31,9,USD,23,920,207,`);
  });

  it('without a price source the money is unknown, never 0', async () => {
    sim = await startSim({ scenario: 'renewals' });
    const dir = renewalDesired({});
    writeFileSync(`${dir}/pcsync.yaml`, 'apiVersion: pcsync/v1\nkind: PartnerConfig\ncountry: US\n');
    const json = JSON.parse((await runCli(['report', '--waste', '--dir', dir, '--format', 'json'], { env: demoEnv(sim) })).stdout) as WasteReport;
    expect(json.totals).toMatchObject({ monthlyCost: null, unassignedMonthlyCost: null, unknownPrices: json.rows.length });
    expect(json.rows.every((r) => r.unitPrice === undefined && r.priceUnknown !== undefined)).toBe(true);
  });
});
