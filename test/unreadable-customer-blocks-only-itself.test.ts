import { afterEach, describe, expect, it } from 'vitest';
import { startSim, runCli, type StartedSim } from './helpers/sim.js';
import { ordersPerCustomer, writeRequests } from '../src/sim/invariants.js';
import { CONTOSO, FABRIKAM, demoEnv, repoRoot } from './helpers/demo.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('a customer Partner Center cannot read (5xx even after retries)', () => {
  it('is blocked on its own with the reason; the other customer is planned and migrated', async () => {
    sim = await startSim({ scenario: 'demo', options: { serverErrors: { match: [`GET /v1/customers/${FABRIKAM}/users`], status: 503 } } });
    const env = demoEnv(sim, { PCSYNC_MAX_RETRIES: '1', PCSYNC_RETRY_BASE_MS: '1' });

    const plan = await runCli(['plan'], { env, cwd: repoRoot });
    expect(plan.code, plan.stdout + plan.stderr).toBe(3);
    expect(plan.stdout).toMatch(/could not read Fabrikam Government|could not read .*3c9d7e21/);
    expect(plan.stdout).toContain('live-read-failed');
    expect(plan.stdout).toContain('alice@contoso.onmicrosoft.com');

    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1 });
    expect(writeRequests(sim.audit.entries).some((w) => w.type === 'request' && w.path.includes(FABRIKAM))).toBe(false);
  });
});
