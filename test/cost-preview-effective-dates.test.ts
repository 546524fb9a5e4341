import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePriceCsv } from '../src/prices/csv.js';
import { purchaseCost, type PriceBook } from '../src/plan/cost.js';
import { render } from '../src/render/index.js';
import { OFFER } from '../src/sim/scenarios/catalog.js';
import { UserError } from '../src/core/errors.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { copyDesiredState, demoEnv } from './helpers/demo.js';
import type { Plan, PurchaseAction } from '../src/plan/types.js';

/**
 * Issue 27, "Prices": a price list holds rows with EffectiveStartDate / EffectiveEndDate (partner-center-2026.md
 * §5); only the rows that apply at the plan's time price it. Legacy offers are not in the new-commerce price
 * sheet: their price is unknown, and the plan says why.
 */
let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const HEADER = 'ProductTitle,ProductId,SkuId,TermDuration,BillingPlan,Market,Currency,UnitPrice,EffectiveStartDate,EffectiveEndDate';
const purchase = { kind: 'purchase', id: 'c/purchase/new', customerId: 'c', offerId: OFFER.salesPro, offerName: 'Dynamics 365 for Sales Professional', mode: 'new', quantity: 5 } as unknown as PurchaseAction;

describe('price rows apply from their EffectiveStartDate to their EffectiveEndDate (pure)', () => {
  const book = (lines: string[]): PriceBook => ({ source: 'prices.csv', market: 'US', rows: parsePriceCsv([HEADER, ...lines].join('\n'), 'prices.csv') });
  const rows = [
    `Sales Pro,${OFFER.salesPro},0001,P1Y,Monthly,US,USD,60.00,2026-10-01T00:00:00Z,2026-10-31T23:59:59Z`,
    `Sales Pro,${OFFER.salesPro},0001,P1Y,Monthly,US,USD,65.00,2026-11-01,2026-11-30`,
    `Sales Pro,${OFFER.salesPro},0001,P1Y,Monthly,US,USD,70.00,2026-12-01T00:00:00,`,
  ];

  it("last month's, this month's and next month's rows: the plan's time picks one, never 'two different prices'", () => {
    expect(purchaseCost(purchase, book(rows), '2026-10-15T12:00:00Z').unitPrice).toBe(60);
    expect(purchaseCost(purchase, book(rows), '2026-11-15T12:00:00Z').unitPrice).toBe(65);
    expect(purchaseCost(purchase, book(rows), '2026-11-30T23:30:00Z').unitPrice).toBe(65); // a date-only end covers its whole day
    expect(purchaseCost(purchase, book(rows), '2027-03-01T00:00:00Z').unitPrice).toBe(70); // an empty end is open
  });

  it('no row applies at the plan time: unknown, saying when the rows do apply', () => {
    const cost = purchaseCost(purchase, book(rows.slice(0, 1)), '2026-11-15T12:00:00Z');
    expect(cost.unitPrice).toBeUndefined();
    expect(cost.unknown).toBe(`no P1Y monthly price for "Dynamics 365 for Sales Professional" (${OFFER.salesPro}) in prices.csv applies on 2026-11-15: its rows apply 2026-10-01 to 2026-10-31 (prices.csv:2)`);
  });

  it('a date cell that is not ISO 8601 is an error naming the file and line', () => {
    let err: unknown;
    try {
      book([`Sales Pro,${OFFER.salesPro},0001,P1Y,Monthly,US,USD,65.00,11/1/2026,`]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('prices.csv:2: EffectiveStartDate "11/1/2026" is not a date (expected ISO 8601, such as 2026-11-01 or 2026-11-01T00:00:00Z).');
  });
});

/** The repo's desired state with `prices:` appended to pcsync.yaml, plus files. */
function desiredWith(yaml: string, files: Record<string, string> = {}): string {
  const dir = copyDesiredState((f) => {
    f['pcsync.yaml'] += `\n${yaml}\n`;
  });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function planJson(s: StartedSim, dir: string, env: Record<string, string> = {}) {
  const res = await runCli(['plan', '--dir', dir, '--format', 'json'], { env: demoEnv(s, env) });
  expect([2, 3], res.stderr).toContain(res.code);
  return JSON.parse(res.stdout) as Plan;
}

const costOf = (plan: Plan, offerId: string) => plan.cost!.purchases.find((p) => p.offerId === offerId)!;
const sheetEnv = (s: StartedSim) => ({ PARTNER_CENTER_PRICES_ENDPOINT: s.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token' });

describe('e2e: the plan prices at its own time', { timeout: 120_000 }, () => {
  it('the price sheet changed a price this month: the plan takes the price that applies now', async () => {
    sim = await startSim({ scenario: 'demo', options: { priceSheetChanges: [{ offerId: OFFER.salesPro, unitPrice: 70, from: new Date(Date.now() - 3 * DAY).toISOString() }] } });
    const plan = await planJson(sim, desiredWith('prices:\n  priceSheet: true'), sheetEnv(sim));
    expect(costOf(plan, OFFER.salesPro)).toMatchObject({ unitPrice: 70, currency: 'USD' });
  });

  it("a downloaded list holding only last month's price: unknown, with the reason in the plan and its renderings", async () => {
    sim = await startSim({ scenario: 'demo' });
    const lastMonth = `Sales Pro,${OFFER.salesPro},0001,P1Y,Monthly,US,USD,60.00,${isoDay(Date.now() - 60 * DAY)},${isoDay(Date.now() - 30 * DAY)}`;
    const current = `CEP,${OFFER.cepTier1},0001,P1Y,Monthly,US,USD,115.50,${isoDay(Date.now() - 30 * DAY)},`;
    const plan = await planJson(sim, desiredWith('prices:\n  file: prices/list.csv', { 'prices/list.csv': [HEADER, lastMonth, current].join('\n') }));
    const sales = costOf(plan, OFFER.salesPro);
    expect(sales.unitPrice).toBeUndefined();
    expect(sales.unknown).toMatch(/^no P1Y monthly price for "Dynamics 365 for Sales Professional" .* applies on \d{4}-\d\d-\d\d: its rows apply /);
    expect(costOf(plan, OFFER.cepTier1).unitPrice).toBe(115.5);
    expect(render(plan, 'markdown')).toContain('1 purchase with unknown price, not in the totals.** Why: no P1Y monthly price for');
    expect(render(plan, 'text')).toMatch(/price unknown \(P1Y monthly\): no P1Y monthly price for "Dynamics 365 for Sales Professional"/);
  });

  it('legacy offers are not in the new-commerce price sheet: unknown, saying so (the simulator serving the real sheet)', async () => {
    sim = await startSim({ scenario: 'demo', options: { priceSheetNewCommerceOnly: true } });
    const plan = await planJson(sim, desiredWith('prices:\n  priceSheet: true'), sheetEnv(sim));
    expect(plan.cost!.unknownPurchases).toBe(2);
    for (const offerId of [OFFER.salesPro, OFFER.cepTier1]) {
      expect(costOf(plan, offerId).unknown).toMatch(/is a legacy offer: legacy offers are not in the new-commerce price sheet \(Partner Center price sheet \(US, updatedlicensebased\)\); put its price in a price-list file/);
    }
  });
});
