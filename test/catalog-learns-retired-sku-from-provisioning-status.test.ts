import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, copyDesiredState, repoRoot } from './helpers/demo.js';
import { blockerCodes, gapEnv, suspendsAt } from './helpers/read-gaps.js';
import { expectMigratedSafely } from './helpers/resilience.js';
import { leavingSalesEnterprise } from './helpers/nce.js';
import { NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const provisioningReads = (s: StartedSim) => s.audit.requests().filter((r) => r.path.endsWith('/provisioningstatus'));

describe('the retired offer is refused by id (GET /v1/offers/{retiredId})', () => {
  it('pcsync learns its licence SKU from the subscription provisioning status and migrates every customer', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { retiredOfferById: 'refuse' } } });
    const env = gapEnv(sim);
    const plan = await runCli(['plan', '--format', 'json'], { env, cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(2);
    expect(blockerCodes(plan.stdout)).toEqual({ [FABRIKAM]: [], [CONTOSO]: [] });
    expect(provisioningReads(sim).length).toBeGreaterThan(0);

    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expectMigratedSafely(sim.audit.entries);
  });

  it('catalog.retired[].skuId in pcsync.yaml stays an override: no provisioning status is read for that offer', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { retiredOfferById: 'refuse' } } });
    const dir = copyDesiredState((f) => {
      f['pcsync.yaml'] +=
        '\ncatalog:\n  retired:\n    - offerName: "Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)"\n' +
        `      skuId: ${SKU.oldSales}\n      replacements: [Dynamics 365 for Sales Professional]\n`;
    });
    const plan = await runCli(['plan', '--dir', dir, '--customer', CONTOSO], { env: gapEnv(sim) });
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(provisioningReads(sim).filter((r) => r.customerId === CONTOSO)).toEqual([]);
  });

  it('when the provisioning status is refused as well, the SKU is unknown and the blocker names both reads', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { retiredOfferById: 'refuse', provisioningStatus: 'refuse' } } });
    const env = gapEnv(sim);
    const plan = await runCli(['plan'], { env, cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stdout).toMatch(/sku-unknown: legacy-sales: the licence SKU of .* is unknown: Partner Center did not tell it \(offer 0D365000-0000-4000-8000-00000000C001 in country US: .*code 2091.*; provisioning status: .*code 900150/);
    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(apply.code).toBe(4);
    expect(suspendsAt(sim, CONTOSO)).toEqual([]);
    expect(suspendsAt(sim, FABRIKAM)).toEqual([]);
  });
});

describe('a new-commerce subscription matched without skuId (issue 20, kind 2)', () => {
  /** Wingtip retires its NCE Sales Enterprise subscription, matched by name; no skuId anywhere in the YAML. */
  const desired = () => leavingSalesEnterprise({ wingtip: { id: NCE_CUSTOMERS.pastWindow, replacement: '    offer: Dynamics 365 for Sales Professional' } });

  it('learns its licence SKU from the provisioning status, never asking the legacy offers API about a productId:skuId:availabilityId id', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const plan = await runCli(['plan', '--dir', desired(), '--format', 'json'], { env: gapEnv(sim) });
    expect(plan.code, plan.stderr).toBe(2);
    expect(blockerCodes(plan.stdout)).toEqual({ [NCE_CUSTOMERS.pastWindow]: [] });
    // The legacy offers API answers new-commerce ids with 400 2100 ("use the Products/SKUs APIs").
    expect(sim.audit.requests().filter((r) => r.path.startsWith('/v1/offers/'))).toEqual([]);
    expect(provisioningReads(sim).map((r) => r.customerId)).toEqual([NCE_CUSTOMERS.pastWindow]);
  });
});
