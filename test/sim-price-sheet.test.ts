import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { copyDesiredState } from './helpers/demo.js';
import { msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { signToken } from '../src/sim/token-jwt.js';
import { verifierFor } from '../src/sim/token-server.js';
import { catalogOffers, OFFER } from '../src/sim/scenarios/catalog.js';
import type { Plan } from '../src/plan/types.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const SHEET = "/v1.0/sales/pricesheets(Market='US',PricesheetView='updatedlicensebased')/$value?timeline=current";

async function get(path: string, token: string | null = 'sim'): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${sim.url}${path}`, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

describe('simulator price sheet (SPEC: Price sheet)', { timeout: 120_000 }, () => {
  it('serves the licence-based view of its catalogue as CSV: two P1Y rows per priced, purchasable offer', async () => {
    sim = await startSim({ scenario: 'demo' });
    const res = await get(SHEET);
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/csv');
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,Tags,ERP Price');
    const priced = catalogOffers().filter((o) => o.unitPrice !== undefined && o.isAvailableForPurchase);
    expect(lines).toHaveLength(1 + priced.length * 2);
    expect(res.text).toContain(`,${OFFER.salesPro},0001,`);
    expect(res.text).toContain(',P1Y,Monthly,US,USD,65,');
    expect(res.text).toContain(',P1Y,Annual,US,USD,780,');
    expect(res.text).not.toContain(OFFER.retiredSales);
  });

  it('answers other markets and views with 400, unknown sheets with 404, and leaves out priceSheetOmit offers', async () => {
    sim = await startSim({ scenario: 'demo', options: { priceSheetOmit: [OFFER.salesPro] } });
    expect((await get(SHEET.replace("'US'", "'GB'"))).status).toBe(400);
    expect((await get(SHEET.replace('updatedlicensebased', 'azure_consumption'))).status).toBe(400);
    expect((await get('/v1.0/sales/offermatrix/$value')).status).toBe(404);
    expect((await get(SHEET)).text).not.toContain(OFFER.salesPro);
    expect((await api(sim.url, 'GET', '/v1/offers?country=US')).status).toBe(200);
  });

  it("takes only tokens for its own audience (https://api.partner.microsoft.com), App+User only", async () => {
    sim = await startSim({ scenario: 'demo', auth: { clientSecret: 'cs', refreshToken: 'rt' } });
    const key = verifierFor(sim.state)!.key;
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: 'sim', tid: sim.auth.tenantId, appid: sim.auth.clientId, iat: now, nbf: now, exp: now + 600, oid: 'o', uti: 'u' };
    const pcUser = signToken({ ...base, aud: 'https://api.partnercenter.microsoft.com', idtyp: 'user', scp: 'user_impersonation' }, key);
    const sheetUser = signToken({ ...base, aud: 'https://api.partner.microsoft.com', idtyp: 'user', scp: 'user_impersonation' }, key);
    const sheetApp = signToken({ ...base, aud: 'https://api.partner.microsoft.com', idtyp: 'app' }, key);
    expect((await get(SHEET, pcUser)).status).toBe(401);
    expect((await get(SHEET, sheetApp)).status).toBe(403);
    expect((await get(SHEET, sheetUser)).status).toBe(200);
    expect((await get(SHEET, null)).status).toBe(401);
    // …and Partner Center's own endpoints refuse the price sheet's token.
    expect((await api(sim.url, 'GET', '/v1/customers', { token: sheetUser })).status).toBe(401);
  });

  it('pcsync signs in for the price sheet through msal with the refresh token, for that audience', async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = copyDesiredState((f) => {
      f['pcsync.yaml'] += '\nprices:\n  priceSheet: true\n';
    });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], { env: msalEnv(sim, SIM_SECRETS, { PARTNER_CENTER_PRICES_ENDPOINT: sim.url }) });
    expect(res.code, res.stderr).toBe(2);
    const plan = JSON.parse(res.stdout) as Plan;
    expect(plan.cost!.unknownPurchases).toBe(0);
    const audiences = sim.auth.issued.map((t) => t.audience);
    expect(audiences).toContain('https://api.partner.microsoft.com');
    expect(audiences).toContain('https://api.partnercenter.microsoft.com');
  });
});
