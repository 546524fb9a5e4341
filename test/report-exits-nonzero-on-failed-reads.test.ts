import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, repoRoot } from './helpers/demo.js';
import { gapEnv } from './helpers/read-gaps.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('pcsync report when a read fails or is refused', () => {
  it('an omitted SKU: the count shows as unknown (never 0, blank or "?"), the read is named, exit 1', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { omitSkus: [SKU.oldSales] } } });
    const res = await runCli(['report'], { env: gapEnv(sim), cwd: repoRoot });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/Contoso Ltd +8f2b1c3d-\S+ +5 +unknown +Dynamics 365 for Sales/);
    expect(res.stdout).toMatch(/Fabrikam Government +3c9d7e21-\S+ +3 +3 +/);
    expect(res.stderr).toMatch(new RegExp(`could not read Contoso Ltd \\(${CONTOSO}\\): GET subscribedskus does not list SKU ${SKU.oldSales}`));
    const json = JSON.parse((await runCli(['report', '--format', 'json'], { env: gapEnv(sim), cwd: repoRoot })).stdout);
    expect(json.rows.find((r: { customerId: string }) => r.customerId === CONTOSO)).not.toHaveProperty('assignedUsers');
    expect(json.unreadable).toHaveLength(1);
  });

  it('a customer whose subscriptions cannot be read is named, the others are still reported, exit 1', async () => {
    sim = await startSim({ scenario: 'demo', options: { serverErrors: { match: [`GET /v1/customers/${FABRIKAM}/subscriptions`] } } });
    const res = await runCli(['report', '--format', 'json'], { env: gapEnv(sim, { PCSYNC_MAX_RETRIES: '1' }), cwd: repoRoot });
    expect(res.code, res.stderr).toBe(1);
    const json = JSON.parse(res.stdout);
    expect(json.rows.map((r: { customerId: string; assignedUsers: number }) => [r.customerId, r.assignedUsers])).toEqual([[CONTOSO, 5]]);
    expect(json.unreadable).toEqual([expect.stringMatching(/^Fabrikam Government \(3c9d7e21-[^)]+\): its subscriptions could not be read: GET .*subscriptions: .*code 800003/)]);
  });
});
