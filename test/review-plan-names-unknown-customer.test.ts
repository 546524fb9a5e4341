import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, demoEnv, repoRoot } from './helpers/demo.js';
import { locksLeft, stateDir } from './helpers/safety.js';
import { unpackPlan } from '../src/apply/plan-pack.js';
import { sealPlanJson } from '../src/apply/plan-file.js';
import { actionsHashOf } from '../src/plan/actions-hash.js';

/**
 * Issue 11, kind 2: a saved plan with an entry for a customer that is not in desired state (resealed, every hash
 * recomputed) used to abort the run from inside that customer while the others kept writing without journal
 * and locks. It is refused before any request, naming the customer.
 */
let sim: StartedSim;
afterEach(async () => sim?.close());

describe('a plan entry for a customer not in desired state', () => {
  it('is refused before any request, naming the customer; no lock is left', async () => {
    sim = await startSim({ scenario: 'demo' });
    const planFile = join(mkdtempSync(join(tmpdir(), 'pcsync-unknown-')), 'plan.json');
    const made = await runCli(['plan', '--out', planFile], { env: demoEnv(sim), cwd: repoRoot });
    expect(made.code, made.stderr).toBe(2);

    const stranger = '0badc0de-0000-4000-8000-00000000beef';
    const plan: any = unpackPlan(JSON.parse(readFileSync(planFile, 'utf8')));
    delete plan.integrity;
    const contoso = plan.customers.find((c: any) => c.customerId === CONTOSO);
    const copy = JSON.parse(JSON.stringify(contoso).split(CONTOSO).join(stranger));
    plan.customers = [copy, ...plan.customers];
    plan.actionsHash = actionsHashOf(plan.customers);
    writeFileSync(planFile, sealPlanJson(JSON.stringify(plan)));

    const state = stateDir();
    const mark = sim.audit.entries.length;
    const res = await runCli(['apply', planFile], { env: demoEnv(sim, { PCSYNC_STATE_DIR: state }), cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toContain(`${planFile}: names customer(s) ${stranger} that are not in the desired state; nothing was sent`);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(sim.audit.entries.slice(mark)).toEqual([]);
    expect(locksLeft(state)).toEqual([]);
  });
});
