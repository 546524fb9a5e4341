import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, copyDesiredState, demoEnv, repoRoot } from './helpers/demo.js';
import { DEMO_SKU_GROUPS, licences } from './helpers/safety.js';
import { usageOf } from '../src/sim/accounting.js';
import { usersEverUnlicensed } from '../src/sim/invariants.js';
import type { AuditEntry } from '../src/sim/index.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const upn = (n: string) => `${n}@contoso.onmicrosoft.com`;
const MOVERS = ['alice', 'bob', 'carol', 'dave', 'erin'].map(upn);
const CURRENT = ['frank', 'grace'].map(upn);

/** Contoso's licence changes, per user. */
const contosoMoves = () => sim.audit.entries.filter((e): e is Extract<AuditEntry, { type: 'licenses-changed' }> => e.type === 'licenses-changed' && e.customerId === CONTOSO);

/** The repo's desired state with Contoso's `from: legacy-sales` replaced by an explicit users list. */
function listing(users: readonly string[]): string {
  return copyDesiredState((f) => {
    f['customers/contoso.yaml'] = f['customers/contoso.yaml']!.replace('from: legacy-sales', `users: [${users.join(', ')}]`);
  });
}

describe('the retiring licence SKU is also granted by an active subscription that stays (shared-sku scenario)', () => {
  it('"from:" is blocked with the counts per subscription: nobody is moved, nothing is bought or suspended at that customer', async () => {
    sim = await startSim({ scenario: 'shared-sku' });
    const env = demoEnv(sim);
    const plan = await runCli(['plan'], { env, cwd: repoRoot });
    expect(plan.code, plan.stdout + plan.stderr).toBe(3);
    expect(plan.stdout).toContain('sku-shared');
    expect(plan.stdout).toMatch(/7 user\(s\) at Contoso Ltd .* hold the licence/);
    expect(plan.stdout).toMatch(/retiring legacy-sales, 5 seat\(s\)/);
    expect(plan.stdout).toMatch(/"Dynamics 365 for Sales Enterprise Edition", active, 2 seat\(s\), stays/);

    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    expect(contosoMoves()).toEqual([]);
    const held = licences(sim, CONTOSO);
    for (const u of [...MOVERS, ...CURRENT]) expect(held.get(u)).toContain(SKU.oldSales);
    expect(sim.audit.writes().filter((e) => e.path.includes(CONTOSO))).toEqual([]);
  });

  it('with a users list, exactly the listed holders move, the current subscription\'s users keep their licence, and the old one is suspended', async () => {
    sim = await startSim({ scenario: 'shared-sku' });
    const dir = listing(MOVERS);
    const res = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim), cwd: dir });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(contosoMoves().map((e) => e.upn.toLowerCase()).sort()).toEqual([...MOVERS].sort());
    const held = licences(sim, CONTOSO);
    for (const u of MOVERS) expect(held.get(u)).toEqual(expect.arrayContaining([SKU.salesPro]));
    for (const u of MOVERS) expect(held.get(u)).not.toContain(SKU.oldSales);
    for (const u of CURRENT) expect(held.get(u)).toContain(SKU.oldSales);
    // The retired subscription is suspended; the two seats that stay cover the two users still holding the SKU.
    const retired = sim.state.customer(CONTOSO)!.subscriptions.find((s) => s.id === 'A1B2C3D4-0000-4000-8000-000000000101')!;
    expect(retired.status).toBe('suspended');
    const sku = usageOf(sim.state, sim.state.customer(CONTOSO)!, SKU.oldSales);
    expect(sku.consumedUnits).toBeLessThanOrEqual(sku.activeUnits);
    expect(usersEverUnlicensed(sim.audit.entries, DEMO_SKU_GROUPS)).toEqual([]);
  });

  it('a users list with more holders than the retiring subscription accounts for is blocked: never more moves than its seats', async () => {
    sim = await startSim({ scenario: 'shared-sku' });
    const dir = listing([...MOVERS, upn('frank')]);
    const res = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim), cwd: dir });
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stdout).toMatch(/6 listed holder\(s\) would move, more than the 5 seat\(s\) the retiring subscription accounts for/);
    expect(contosoMoves()).toEqual([]);
    expect(sim.audit.writes().filter((e) => e.path.includes(CONTOSO))).toEqual([]);
    // Fabrikam is not affected.
    expect(sim.state.customer(FABRIKAM)!.subscriptions.some((s) => s.status === 'suspended')).toBe(true);
  });

  it('import does not propose "from:" silently: the file and stderr say which subscription also grants the licence', async () => {
    sim = await startSim({ scenario: 'shared-sku' });
    const res = await runCli(['import', '--customer', CONTOSO], { env: demoEnv(sim), cwd: repoRoot });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('# WARNING: the licence of legacy-sales-crmol-basic is also granted by');
    expect(res.stdout).toContain('(A1B2C3D4-0000-4000-8000-000000000103, 2 seats, stays)');
    expect(res.stderr).toMatch(/warning: the licence of legacy-sales-crmol-basic is also granted by .*A1B2C3D4-0000-4000-8000-000000000103, 2 seats, stays.*7 holders.*at most 5/);
    expect(sim.audit.writes()).toEqual([]);
  });
});
