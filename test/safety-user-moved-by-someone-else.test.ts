import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, SKU, demoEnv, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, licences, onAudit } from './helpers/safety.js';
import { suspendsWithConsumedUnits, usersEverUnlicensed } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const BOB = 'bob@contoso.onmicrosoft.com';

describe('a user someone else already moved while apply runs', () => {
  it('is recognised as done (read back), not failed: the customer completes and the old subscription is suspended', async () => {
    sim = await startSim({ scenario: 'demo' });
    const contoso = sim.state.customer(CONTOSO)!;
    const bob = contoso.users.find((u) => u.upn === BOB)!;
    // Right when pcsync's licence update for bob arrives, an admin has just moved bob by hand.
    const stop = onAudit(sim, (e) => {
      if (e.type !== 'request' || e.method !== 'POST' || !e.path.includes(`/users/${bob.id}/licenseupdates`) || bob.licenses.includes(SKU.salesPro)) return;
      const before = [...bob.licenses];
      bob.licenses = [...bob.licenses.filter((l) => l !== SKU.oldSales), SKU.salesPro];
      sim.audit.record({ type: 'licenses-changed', customerId: contoso.id, userId: bob.id, upn: bob.upn, before, after: [...bob.licenses] });
    });
    const res = await runCli(['apply', '--auto-approve', '--json'], { env: demoEnv(sim), cwd: repoRoot });
    stop();
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const ends = res.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((e) => e.type === 'action-end');
    const bobEnd = ends.find((e) => e.actionId === `${CONTOSO}/reassign/${BOB}`);
    expect(bobEnd).toMatchObject({ outcome: 'already-done' });
    expect(bobEnd.message).toMatch(/already holds .* \(changed outside this apply\)/);
    // pcsync's own request for bob was refused (nothing to remove); everyone ends on the new licence.
    const bobPosts = sim.audit.requests().filter((r) => r.method === 'POST' && r.path.includes(`/users/${bob.id}/licenseupdates`));
    expect(bobPosts.map((r) => r.status)).toEqual([400]);
    for (const [upn, held] of licences(sim, CONTOSO)) if (held.includes(SKU.salesPro)) expect(held, upn).not.toContain(SKU.oldSales);
    expect(contoso.subscriptions.find((s) => s.offerId.toUpperCase() === '0D365000-0000-4000-8000-00000000C001')!.status).toBe('suspended');
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });
});
