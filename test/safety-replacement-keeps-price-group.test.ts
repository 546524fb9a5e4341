import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv, repoRoot } from './helpers/demo.js';
import { GOV_VARIANT } from '../src/sim/scenarios/price-variants.js';
import { OFFER } from '../src/sim/scenarios/catalog.js';
import { writeRequests } from '../src/sim/invariants.js';
import type { AuditEntry } from '../src/sim/index.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

interface JsonProblem { code: string; message: string; hint?: string }
interface JsonCustomer { customerId: string; warnings: JsonProblem[]; blockers: JsonProblem[]; actions: { kind: string; offerId?: string; offerName?: string }[] }

async function jsonPlan(dir?: string): Promise<Map<string, JsonCustomer>> {
  const res = await runCli(['plan', '--format', 'json', ...(dir ? ['--dir', dir] : [])], { env: demoEnv(sim), cwd: dir ?? repoRoot });
  expect([0, 2], res.stderr).toContain(res.code);
  expect(writeRequests(sim.audit.entries)).toEqual([]);
  return new Map((JSON.parse(res.stdout).customers as JsonCustomer[]).map((c) => [c.customerId, c]));
}

/** Fabrikam's file naming the replacement by catalogue name instead of by (commercial) offer id. */
const byName = () =>
  copyDesiredState((f) => {
    f['customers/fabrikam-gov.yaml'] = f['customers/fabrikam-gov.yaml']!.replace('offer: BB30B486-53BE-4ECF-BB85-6F50979F0579', 'offer: Dynamics 365 Customer Engagement Plan');
  });

const orders = (customerId: string) => sim.audit.entries.filter((e): e is Extract<AuditEntry, { type: 'order-created' }> => e.type === 'order-created' && e.customerId === customerId);

describe('a replacement keeps the retired subscription\'s price group, or says it does not', () => {
  it('no Government Pricing variant in the live catalogue: the plan warns on that customer (price-group-changed), in text and JSON', async () => {
    sim = await startSim({ scenario: 'demo' });
    const plan = await jsonPlan();
    const warning = plan.get(FABRIKAM)!.warnings.find((w) => w.code === 'price-group-changed');
    expect(warning?.message).toMatch(/"Dynamics 365 Customer Engagement Plan Tier 1 \(1-99 users\)" at Fabrikam Government .* is a commercial replacement for a Government Pricing subscription/);
    expect(warning?.hint).toMatch(/no Government Pricing variant/);
    expect(plan.get(CONTOSO)!.warnings.map((w) => w.code)).not.toContain('price-group-changed');
    const text = await runCli(['plan'], { env: demoEnv(sim), cwd: repoRoot });
    expect(text.stdout).toMatch(/price-group-changed.*commercial replacement for a Government Pricing subscription/);
  });

  it('the live catalogue sells the variant: a replacement named by name is bought in the Government Pricing variant', async () => {
    sim = await startSim({ scenario: 'price-variants' });
    const dir = byName();
    const plan = await jsonPlan(dir);
    const fabrikam = plan.get(FABRIKAM)!;
    expect(fabrikam.warnings.map((w) => w.code)).not.toContain('price-group-changed');
    expect(fabrikam.actions.find((a) => a.kind === 'purchase')).toMatchObject({ offerId: GOV_VARIANT.cepOffer, offerName: GOV_VARIANT.cepName });

    const res = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim), cwd: dir });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(orders(FABRIKAM).flatMap((o) => o.lineItems.map((l) => l.offerId))).toEqual([GOV_VARIANT.cepOffer]);
    const users = sim.state.customer(FABRIKAM)!.users.filter((u) => u.licenses.length > 0);
    for (const u of users) expect(u.licenses).toEqual([GOV_VARIANT.cepSku]);
  });

  it('an offer id is taken as written, with a warning that names the variant the catalogue sells', async () => {
    sim = await startSim({ scenario: 'price-variants' });
    const plan = await jsonPlan();
    const fabrikam = plan.get(FABRIKAM)!;
    expect(fabrikam.actions.find((a) => a.kind === 'purchase')).toMatchObject({ offerId: OFFER.cepTier1 });
    const warning = fabrikam.warnings.find((w) => w.code === 'price-group-changed');
    expect(warning?.hint).toContain(`"${GOV_VARIANT.cepName}" (offer ${GOV_VARIANT.cepOffer})`);
  });

  it('import proposes the variant when there is one, and otherwise says so in the file and on stderr', async () => {
    sim = await startSim({ scenario: 'demo' });
    const plain = await runCli(['import', '--customer', FABRIKAM], { env: demoEnv(sim), cwd: repoRoot });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/# WARNING: commercial replacement for a Government Pricing subscription/);
    expect(plain.stderr).toMatch(/warning: .*"Dynamics 365 Customer Engagement Plan Tier 1 \(1-99 users\)" is a commercial replacement for a Government Pricing subscription/);
    await sim.close();

    sim = await startSim({ scenario: 'price-variants' });
    const kept = await runCli(['import', '--customer', FABRIKAM], { env: demoEnv(sim), cwd: repoRoot });
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain(`offer: ${GOV_VARIANT.cepName}`);
    expect(kept.stdout).not.toContain('WARNING');
    expect(kept.stderr).not.toContain('warning:');
  });
});
