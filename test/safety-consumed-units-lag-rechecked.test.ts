import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, SKU, repoRoot } from './helpers/demo.js';
import { onAudit } from './helpers/safety.js';
import { gapEnv, suspendsAt } from './helpers/read-gaps.js';
import { expectMigratedSafely } from './helpers/resilience.js';
import { suspendsWithConsumedUnits } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('consumed units lag behind the licence moves', () => {
  it('the suspend guard re-reads them after a short wait instead of failing the customer', async () => {
    // Each move shows in consumedUnits only from the third subscribedskus read after it.
    sim = await startSim({ scenario: 'demo', options: { readGaps: { consumedLagReads: 2 } } });
    const apply = await runCli(['apply', '--auto-approve'], { env: gapEnv(sim), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expectMigratedSafely(sim.audit.entries);
  });

  it('a lag longer than the bounded re-checks stops the suspend, saying which numbers disagree and the likely cause', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { consumedLagReads: 50 } } });
    const apply = await runCli(['apply', '--auto-approve'], { env: gapEnv(sim), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    expect(suspendsAt(sim, CONTOSO)).toEqual([]);
    expect(apply.stdout).toMatch(
      new RegExp(`not suspended: Partner Center still counts 5 consumed unit\\(s\\) of its licence SKU ${SKU.oldSales} after 3 re-reads .*, but the licences of 7 of 7 user\\(s\\) show 0 holder\\(s\\): .*deleted user.*lags behind the licence moves`),
    );
  });

  it("someone else's assignment after the moves: the guard names the holder and does not suspend", async () => {
    sim = await startSim({ scenario: 'demo' });
    let moves = 0;
    onAudit(sim, (e) => {
      if (e.type !== 'licenses-changed' || e.customerId !== CONTOSO || ++moves !== 5) return;
      sim.state.customer(CONTOSO)!.users.find((u) => u.upn.startsWith('frank@'))!.licenses.push(SKU.oldSales);
    });
    const apply = await runCli(['apply', '--auto-approve'], { env: gapEnv(sim), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    expect(suspendsAt(sim, CONTOSO)).toEqual([]);
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    expect(apply.stdout).toMatch(/not suspended: Partner Center still counts 1 consumed unit\(s\) .*, and 1 user\(s\) hold it: frank@contoso\.onmicrosoft\.com — not moved by this plan/);
  });
});
