import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, repoRoot } from './helpers/demo.js';
import { onAudit } from './helpers/safety.js';
import { blockerCodes, gapEnv, suspendsAt } from './helpers/read-gaps.js';
import { suspendsWithConsumedUnits, writeRequests } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('a subscribedskus reply that omits the retiring SKU', () => {
  it('is unknown, not 0 consumed: plan blocks that customer naming the SKU and what was read, apply suspends nothing there', async () => {
    // Contoso's 5 users still hold the retired Sales licence; the reply just does not list it.
    sim = await startSim({ scenario: 'demo', options: { readGaps: { omitSkus: [SKU.oldSales] } } });
    const env = gapEnv(sim);
    const plan = await runCli(['plan', '--format', 'json'], { env, cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(3);
    expect(blockerCodes(plan.stdout)[CONTOSO]).toContain('sku-not-reported');
    expect(blockerCodes(plan.stdout)[FABRIKAM]).toEqual([]);
    const text = await runCli(['plan'], { env, cwd: repoRoot });
    expect(text.stdout).toMatch(new RegExp(`does not list SKU ${SKU.oldSales}.*consumed units are unknown.*the reply listed 1 SKU\\(s\\): ENTERPRISEPACK`));

    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    expect(writeRequests(sim.audit.entries).filter((w) => w.customerId === CONTOSO)).toEqual([]);
    expect(suspendsAt(sim, CONTOSO)).toEqual([]);
    expect(suspendsAt(sim, FABRIKAM)).toHaveLength(1);
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
  });

  it('at the suspend guard: a reply without the SKU right before the suspend stops it, naming the SKU', async () => {
    sim = await startSim({ scenario: 'demo' });
    // The SKU drops out of the reply once the last of Contoso's 5 users has moved (between plan and suspend).
    let moves = 0;
    onAudit(sim, (e) => {
      if (e.type === 'licenses-changed' && e.customerId === CONTOSO && ++moves === 5) sim.state.options.readGaps = { omitSkus: [SKU.oldSales] };
    });
    const apply = await runCli(['apply', '--auto-approve'], { env: gapEnv(sim), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    expect(moves).toBe(5);
    expect(suspendsAt(sim, CONTOSO)).toEqual([]);
    expect(apply.stdout).toMatch(new RegExp(`not suspended: GET subscribedskus does not list its licence SKU ${SKU.oldSales}`));
  });
});
