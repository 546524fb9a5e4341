import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { ordersPerCustomer, writeRequests } from '../src/sim/invariants.js';
import { CONTOSO, FABRIKAM, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import type { AuditEntry } from '../src/sim/audit.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const about = (entries: readonly AuditEntry[], customerId: string) =>
  entries.filter((e) => e.type === 'request' && e.customerId?.toLowerCase() === customerId.toLowerCase());

describe('apply plan.json after live state changed for one customer', () => {
  it('refuses that customer as stale with its reason, applies the other, exits 4; no write reaches the stale one', async () => {
    sim = await startSim({ scenario: 'demo' });
    const planFile = join(mkdtempSync(join(tmpdir(), 'pcsync-review-')), 'plan.json');
    const plan = await runCli(['plan', '--out', planFile], { env: demoEnv(sim), cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(2);

    // Someone removes jun's old licence by hand in the portal after the plan was reviewed.
    const users = await api(sim.url, 'GET', `/v1/customers/${FABRIKAM}/users`);
    const jun = users.body.items.find((u: { userPrincipalName: string }) => u.userPrincipalName.startsWith('jun@'));
    const change = await api(sim.url, 'POST', `/v1/customers/${FABRIKAM}/users/${jun.id}/licenseupdates`, {
      body: { licensesToAssign: [], licensesToRemove: [SKU.oldCep] },
    });
    expect(change.status).toBe(201);
    const mark = sim.audit.entries.length;

    const apply = await runCli(['apply', planFile], { env: demoEnv(sim), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    // The refusal names what differs, plan → now: jun no longer holds the old licence the move was planned from.
    expect(apply.stdout).toMatch(new RegExp(`skipped-stale\\s+Fabrikam Government \\(${FABRIKAM}\\): pcsync plans something else for this customer now: reassign/jun@fabrikamgov.onmicrosoft.com: observed.skuIds is \\[${SKU.oldCep}\\] in the plan, \\[\\] now`));
    expect(apply.stdout).not.toMatch(/was the plan edited/);
    expect(apply.stdout).toMatch(new RegExp(`applied\\s+Contoso Ltd\\s+${CONTOSO.slice(0, 8)}\\s+5\\s+5\\s+1\\s`));
    expect(apply.stdout).toContain(`Refused as stale, nothing sent to them: Fabrikam Government (${FABRIKAM}). pcsync plans something else for them today`);

    const during = sim.audit.entries.slice(mark);
    expect(about(during, FABRIKAM).length, 'the stale customer was re-read').toBeGreaterThan(0);
    expect(writeRequests(about(during, FABRIKAM))).toEqual([]);
    expect(writeRequests(about(during, CONTOSO)).length).toBeGreaterThan(0);
    expect(ordersPerCustomer(during)).toEqual({ [CONTOSO]: 1 });
    expect(during.some((e) => e.type !== 'request' && e.customerId === FABRIKAM)).toBe(false);
  });
});
