import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogOffers, OFFER } from '../src/sim/scenarios/catalog.js';
import { writeRequests } from '../src/sim/invariants.js';
import { startSim, runCli, type StartedSim } from './helpers/sim.js';
import { copyDesiredState, demoEnv } from './helpers/demo.js';
import { render } from '../src/render/index.js';
import type { Plan, PurchaseAction } from '../src/plan/types.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** The repo's desired-state with `prices:` (and any policy) appended to pcsync.yaml. */
function desiredWith(yaml: string, files: Record<string, string> = {}): string {
  const dir = copyDesiredState((f) => {
    f['pcsync.yaml'] += `\n${yaml}\n`;
  });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const purchases = (plan: Plan) => plan.customers.flatMap((c) => c.actions).filter((a): a is PurchaseAction => a.kind === 'purchase');
/** Monthly seat price of the simulator's catalogue, looked up independently of pcsync's matching. */
const simPrice = (offerId: string) => catalogOffers().find((o) => o.id === offerId)!.unitPrice!;

async function planJson(dir: string, extraEnv: Record<string, string> = {}) {
  const res = await runCli(['plan', '--dir', dir, '--format', 'json'], { env: demoEnv(sim, extraEnv) });
  return { res, plan: res.stdout ? (JSON.parse(res.stdout) as Plan) : undefined };
}

// Several CLI runs per test: generous on a loaded machine.
describe('cost preview (issue 13, Done-when 3)', { timeout: 180_000 }, () => {
  it("from the simulator's price sheet: totals = Σ unit price × seats × term months; its own host token; no write", async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = desiredWith('prices:\n  priceSheet: true');
    const { res, plan } = await planJson(dir, { PARTNER_CENTER_PRICES_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token' });
    expect(res.code, res.stderr).toBe(2);
    const bought = purchases(plan!);
    expect(bought).toHaveLength(2);
    const expected = bought.reduce((n, a) => n + simPrice(a.offerId) * a.quantity * 12, 0);
    expect(plan!.cost!.totals).toEqual([{ currency: 'USD', committed: expected, monthly: expected / 12, purchases: 2 }]);
    for (const a of bought) {
      const cost = plan!.cost!.purchases.find((p) => p.actionId === a.id)!;
      expect(cost).toMatchObject({ unitPrice: simPrice(a.offerId), seats: a.quantity, termMonths: 12, monthly: simPrice(a.offerId) * a.quantity });
    }
    const sheetCalls = sim.audit.entries.filter((e) => e.type === 'request' && e.path.startsWith('/v1.0/sales/pricesheets'));
    expect(sheetCalls).toHaveLength(1);
    expect(writeRequests(sim.audit.entries)).toHaveLength(0);

    // The markdown of that same plan (a pure function of it).
    const md = render(plan!, 'markdown');
    const summary = md.slice(0, md.indexOf('<details>'));
    expect(summary).toContain(`| **total USD** | | | | | **USD ${(expected / 12).toLocaleString('en-US', { minimumFractionDigits: 2 })}** | **USD ${expected.toLocaleString('en-US', { minimumFractionDigits: 2 })}** |`);
    expect(summary).toContain('| Dynamics 365 for Sales Professional `F28514F0-6516-4EF9-8222-1C605A05D245` | P1Y monthly | 5 | 1 | USD 65.00 | USD 325.00 | USD 3,900.00 |');
  });

  it('without a credential that can read the price sheet, plan goes on with every price unknown and says why (issue 23: prices where the credential allows)', async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = desiredWith('prices:\n  priceSheet: true');
    const { res, plan } = await planJson(dir, { PARTNER_CENTER_PRICES_ENDPOINT: sim.url });
    expect(res.code, res.stderr).toBe(2);
    expect(plan!.cost!.source).toContain('not read');
    expect(plan!.cost!.source).toContain('PARTNER_CENTER_PRICES_TOKEN');
    expect(plan!.cost!.source).toContain('https://api.partner.microsoft.com');
    expect(plan!.cost!.totals).toEqual([]);
    expect(plan!.cost!.unknownPurchases).toBe(2);
    expect(sim.audit.entries.filter((e) => e.type === 'request' && e.path.startsWith('/v1.0/sales/'))).toHaveLength(0);
    const md = render(plan!, 'markdown');
    expect(md.slice(0, md.indexOf('### Customers'))).toMatch(/price unknown[\s\S]*not read: no App\+User token/);
    // a spend cap cannot be checked without prices: purchases are blocked, never let through
    const capped = desiredWith('prices:\n  priceSheet: true\npolicy:\n  maxSpendPerRun: { amount: 100000, currency: USD }');
    const { plan: blocked } = await planJson(capped, { PARTNER_CENTER_PRICES_ENDPOINT: sim.url });
    expect(blocked!.customers.flatMap((c) => c.blockers.map((b) => b.code))).toContain('spend-unknown');
  });

  it('from a downloaded price-list file: an offer missing from it is "price unknown", never 0, and not in the totals', async () => {
    sim = await startSim({ scenario: 'demo' });
    const csv = [
      '\uFEFFProductTitle,ProductId,SkuId,SkuTitle,TermDuration,BillingPlan,Market,Currency,UnitPrice,ERP Price',
      `Dynamics 365 for Sales Professional,${OFFER.salesPro},0001,Sales Professional,P1Y,Annual,US,USD,792.00,990.00`,
      `Dynamics 365 for Sales Professional,${OFFER.salesPro},0001,Sales Professional,P1Y,Monthly,US,USD,66.00,82.50`,
      `"Office 365 E3, the one with ""quotes""",${OFFER.e3},0001,E3,P1Y,Monthly,US,USD,23.00,28.75`,
    ].join('\r\n');
    const dir = desiredWith('prices:\n  file: prices/2026-11-US.csv', {});
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'prices'));
    writeFileSync(join(dir, 'prices', '2026-11-US.csv'), csv);
    const { res, plan } = await planJson(dir);
    expect(res.code, res.stderr).toBe(2);
    const bought = purchases(plan!);
    const sales = bought.find((a) => a.offerId === OFFER.salesPro)!;
    const cep = bought.find((a) => a.offerId === OFFER.cepTier1)!;
    expect(plan!.cost!.totals).toEqual([{ currency: 'USD', monthly: 66 * sales.quantity, committed: 66 * sales.quantity * 12, purchases: 1 }]);
    expect(plan!.cost!.unknownPurchases).toBe(1);
    const unknown = plan!.cost!.purchases.find((p) => p.actionId === cep.id)!;
    expect(unknown.unknown).toContain('no P1Y monthly price');
    expect(unknown).not.toHaveProperty('committed');
    expect(unknown).not.toHaveProperty('unitPrice');

    const md = render(plan!, 'markdown');
    const cepRow = md.split('\n').find((l) => l.startsWith('| Dynamics 365 Customer Engagement Plan Tier 1'))!;
    expect(cepRow).toContain('price unknown');
    expect(cepRow).not.toMatch(/USD 0\.00/);
    expect(md).toContain('1 purchase with unknown price, not in the totals');
    expect(render(plan!, 'text')).toContain('price unknown');
  });

  it('a price list with a bad row is an error naming the file and line, before any request', async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = desiredWith('prices:\n  file: prices.csv', { 'prices.csv': `ProductId,Currency,UnitPrice\n${OFFER.salesPro},USD,65\n${OFFER.cepTier1},USD,lots\n` });
    const { res } = await planJson(dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/prices\.csv:3: UnitPrice "lots" is not a plain decimal price/);
    expect(sim.audit.entries.filter((e) => e.type === 'request')).toHaveLength(0);
  });

  it('policy.maxSpendPerRun blocks the customers past it, like the seat cap; an unknown price blocks too', async () => {
    sim = await startSim({ scenario: 'demo' });
    const env = { PARTNER_CENTER_PRICES_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token' };
    // Customers spend the budget in id order: Fabrikam (3c9d7e21…) before Contoso (8f2b1c3d…).
    const fabrikamCost = simPrice(OFFER.cepTier1) * 3 * 12;
    const under = desiredWith(`prices:\n  priceSheet: true\npolicy:\n  maxSpendPerRun: { amount: ${fabrikamCost + 1}, currency: USD }`);
    const { res, plan } = await planJson(under, env);
    expect(res.code).toBe(3);
    const blocked = plan!.customers.filter((c) => c.blockers.length > 0);
    expect(blocked.map((c) => c.displayName)).toEqual(['Contoso Ltd']);
    expect(blocked[0]!.blockers[0]!.code).toBe('spend-over-cap');
    expect(blocked[0]!.blockers[0]!.message).toContain('policy.maxSpendPerRun (USD');
    expect(plan!.cost!.totals[0]!.committed).toBe(fabrikamCost);

    const enough = desiredWith(`prices:\n  priceSheet: true\npolicy:\n  maxSpendPerRun: { amount: 100000, currency: USD }`);
    expect((await planJson(enough, env)).res.code).toBe(2);

    const omitted = await startSim({ scenario: 'demo', options: { priceSheetOmit: [OFFER.cepTier1] } });
    const { res: r2, plan: p2 } = await planJson(enough, { PARTNER_CENTER_ENDPOINT: omitted.url, PARTNER_CENTER_PRICES_ENDPOINT: omitted.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token' });
    await omitted.close();
    expect(r2.code).toBe(3);
    expect(p2!.customers.find((c) => c.displayName === 'Fabrikam Government')!.blockers.map((b) => b.code)).toEqual(['spend-unknown']);
  });
});
