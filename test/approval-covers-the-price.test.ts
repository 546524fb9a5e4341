import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv, repoRoot } from './helpers/demo.js';
import { stateDir } from './helpers/safety.js';
import { ordersPerCustomer, writeRequests } from '../src/sim/invariants.js';
import { OFFER } from '../src/sim/scenarios/catalog.js';
import { actionsHashOf } from '../src/plan/actions-hash.js';
import { unpackPlan } from '../src/apply/plan-pack.js';
import type { Plan } from '../src/plan/types.js';

/**
 * Issue 22, kind 3: the approval covers the money. The demo priced from the simulator's price sheet commits
 * USD 8,058.00 (Sales Professional 5 × 65.00 × 12, CEP Tier 1 3 × 115.50 × 12). The price sheet changes after the
 * plan was approved; `apply plan.json --approved-hash <approved>` (the reviewed path) must refuse a rise before any
 * Partner Center request, saying by how much; a fall is applied; a price that became unknown is refused.
 */
let sim: StartedSim;
afterEach(async () => sim?.close());

async function approvedPlan() {
  sim = await startSim({ scenario: 'demo' });
  const dir = copyDesiredState((f) => (f['pcsync.yaml'] += '\nprices:\n  priceSheet: true\n'));
  const state = stateDir();
  const env = demoEnv(sim, { PCSYNC_STATE_DIR: state, PARTNER_CENTER_PRICES_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token' });
  const file = join(state, 'plan.json');
  const res = await runCli(['plan', '--dir', dir, '--out', file], { env, cwd: repoRoot });
  expect(res.code, res.stderr).toBe(2);
  const approved = (JSON.parse(readFileSync(file, 'utf8')) as Plan).actionsHash;
  return { dir, env, file, approved, state };
}

async function apply(ctx: { dir: string; env: Record<string, string>; file: string; approved: string }) {
  const mark = sim.audit.entries.length;
  const res = await runCli(['apply', ctx.file, '--dir', ctx.dir, '--approved-hash', ctx.approved], { env: ctx.env, cwd: repoRoot });
  return { ...res, entries: sim.audit.entries.slice(mark) };
}

const requests = (entries: typeof sim.audit.entries) => entries.filter((e) => e.type === 'request');

describe('a price change after approval', { timeout: 120_000 }, () => {
  it('a 10× rise is refused before any Partner Center request, saying by how much (USD 8,058 approved → USD 80,580)', async () => {
    const ctx = await approvedPlan();
    sim.state.setUnitPrice(OFFER.salesPro, 650);
    sim.state.setUnitPrice(OFFER.cepTier1, 1155);
    const res = await apply(ctx);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toContain('prices changed since the plan was approved, so it would spend more than reviewers approved (committed +USD 72,522.00 in all); nothing was sent');
    expect(res.stderr).toContain('"Dynamics 365 for Sales Professional" at Contoso Ltd: USD 65.00/seat/month → USD 650.00/seat/month (+USD 585.00); committed USD 3,900.00 → USD 39,000.00 (+USD 35,100.00)');
    expect(res.stderr).toContain('committed USD 4,158.00 → USD 41,580.00 (+USD 37,422.00)');
    expect(res.stderr).not.toMatch(/\n\s+at /);
    // The only request is the read of the price sheet itself: nothing went to Partner Center, nothing was written.
    expect(requests(res.entries).map((e) => e.type === 'request' && e.path).every((p) => String(p).startsWith('/v1.0/sales/pricesheets'))).toBe(true);
    expect(writeRequests(res.entries)).toEqual([]);
  });

  it('the actions hash changes with the price, so a plan made at the new price is not the approved one', async () => {
    const ctx = await approvedPlan();
    const saved = unpackPlan(JSON.parse(readFileSync(ctx.file, 'utf8'))) as unknown as Plan;
    expect(actionsHashOf(saved.customers, saved.cost)).toBe(ctx.approved);
    // the same actions without their prices hash differently: the prices are part of what is approved
    expect(actionsHashOf(saved.customers)).not.toBe(ctx.approved);
    sim.state.setUnitPrice(OFFER.salesPro, 650);
    const again = join(ctx.state, 'plan-now.json');
    const plan = await runCli(['plan', '--dir', ctx.dir, '--out', again], { env: ctx.env, cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(2);
    const now = JSON.parse(readFileSync(again, 'utf8')) as Plan;
    expect(now.actionsHash).not.toBe(ctx.approved);
    const res = await apply({ ...ctx, file: again });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/is not the approved sha256:[0-9a-f]{64}.*each purchase's unit price and currency/);
    expect(requests(res.entries)).toEqual([]);
  });

  it('a price that fell is applied (less than approved is spent), and said so', async () => {
    const ctx = await approvedPlan();
    sim.state.setUnitPrice(OFFER.salesPro, 60);
    const res = await apply(ctx);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stderr).toContain('Price: "Dynamics 365 for Sales Professional" at Contoso Ltd: USD 65.00/seat/month when approved, USD 60.00/seat/month now (cheaper');
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
  });

  it('a price known when approved and unknown now is refused, naming why', async () => {
    const ctx = await approvedPlan();
    sim.state.setUnitPrice(OFFER.cepTier1, undefined);
    const res = await apply(ctx);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toMatch(/"Dynamics 365 Customer Engagement Plan Tier 1 \(1-99 users\)" at Fabrikam Government: USD 115\.50\/seat\/month when approved, now the price is unknown \(.*(no P1Y monthly price for|legacy offers are not in the new-commerce price sheet)/);
    expect(writeRequests(res.entries)).toEqual([]);
  });

  it('a rise below a cent a month is refused: prices are compared exactly as the source writes them, not rounded', async () => {
    const ctx = await approvedPlan();
    sim.state.setUnitPrice(OFFER.salesPro, 65.004);
    const res = await apply(ctx);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toContain('prices changed since the plan was approved');
    expect(res.stderr).toContain('UnitPrice 65 → 65.004 per seat per monthly period, a rise below a cent a month');
    expect(writeRequests(res.entries)).toEqual([]);
  });

  it('an unchanged price applies (equal is not a rise)', async () => {
    const ctx = await approvedPlan();
    const res = await apply(ctx);
    expect(res.code, res.stdout + res.stderr).toBe(0);
  });
});

describe('a price-list file, and the price Partner Center charges now', { timeout: 120_000 }, () => {
  /** Plan priced from a file holding the sheet's prices; apply runs with a credential that can read the sheet. */
  async function approvedFromFile() {
    sim = await startSim({ scenario: 'demo' });
    const csv = `ProductId,TermDuration,BillingPlan,Currency,UnitPrice\n${OFFER.salesPro},P1Y,Monthly,USD,65.00\n${OFFER.cepTier1},P1Y,Monthly,USD,115.50\n`;
    const dir = copyDesiredState((f) => {
      f['pcsync.yaml'] += '\nprices:\n  file: prices.csv\n';
      f['prices.csv'] = csv;
    });
    const state = stateDir();
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: state, PARTNER_CENTER_PRICES_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token' });
    const file = join(state, 'plan.json');
    const res = await runCli(['plan', '--dir', dir, '--out', file], { env, cwd: repoRoot });
    expect(res.code, res.stderr).toBe(2);
    return { dir, env, file, approved: (JSON.parse(readFileSync(file, 'utf8')) as Plan).actionsHash, state };
  }

  it('a rise on the price sheet after approval is refused, though the file (desired state) still has the approved price', async () => {
    const ctx = await approvedFromFile();
    sim.state.setUnitPrice(OFFER.salesPro, 65.01);
    const res = await apply(ctx);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toMatch(/"Dynamics 365 for Sales Professional" at Contoso Ltd: USD 65\.00\/seat\/month → USD 65\.01\/seat\/month \(Partner Center price sheet \(US, updatedlicensebased\), read now\)/);
    expect(writeRequests(res.entries)).toEqual([]);
  });

  it('a sub-cent rise on the price sheet is refused too', async () => {
    const ctx = await approvedFromFile();
    sim.state.setUnitPrice(OFFER.cepTier1, 115.5001);
    const res = await apply(ctx);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toContain('UnitPrice 115.5 → 115.5001');
    expect(writeRequests(res.entries)).toEqual([]);
  });

  it('the sheet at the approved price applies; without a credential for the sheet, apply says the rise could not be checked', async () => {
    const ctx = await approvedFromFile();
    const ok = await apply(ctx);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const blind = await approvedFromFile();
    const { PARTNER_CENTER_PRICES_TOKEN: _t, ...env } = blind.env;
    const res = await apply({ ...blind, env });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stderr, res.stderr).toMatch(/Price: the approved prices come from price list .*prices\.csv; a rise since could not be checked against what Partner Center charges now/);
  });
});
