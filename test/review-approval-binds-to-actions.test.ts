import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, demoEnv, repoRoot } from './helpers/demo.js';
import { ordersPerCustomer, writeRequests } from '../src/sim/invariants.js';
import { OFFER } from '../src/sim/scenarios/catalog.js';
import { sealPlanJson } from '../src/apply/plan-file.js';
import { unpackPlan } from '../src/apply/plan-pack.js';
import { hashOf } from '../src/core/hash.js';

/**
 * Issue 11, kind 1: `--approved-hash` binds to the actions that run. An edited plan file whose integrity
 * field (and even its own actionsHash field) is recomputed the way pcsync computes them is still refused,
 * because apply recomputes the actions hash from the actions themselves, and re-plans each customer.
 */
let sim: StartedSim;
let planFile: string;
let approved: string;
/**
 * One simulator and one saved plan per describe block (not per test): the refusals below send nothing — each
 * asserts it — so they can share them; the test that applies comes last in its block.
 */
async function freshPlan(): Promise<void> {
  await sim?.close();
  sim = await startSim({ scenario: 'demo' });
  planFile = join(mkdtempSync(join(tmpdir(), 'pcsync-approval-')), 'plan.json');
  const plan = await runCli(['plan', '--out', planFile], { env: demoEnv(sim), cwd: repoRoot });
  expect(plan.code, plan.stderr).toBe(2);
  approved = JSON.parse(readFileSync(planFile, 'utf8')).actionsHash;
}
afterAll(async () => sim?.close());

type Edit = (plan: any) => void;

/** Writes an edited copy of the saved plan, resealed like pcsync seals it; optionally with a recomputed actionsHash field. */
function edited(edit: Edit, opts: { rehashActions: boolean }): string {
  // Saved plans store actions packed (plan-pack.ts); an attacker edits the actions as pcsync reads them.
  const plan: any = unpackPlan(JSON.parse(readFileSync(planFile, 'utf8')));
  delete plan.integrity;
  edit(plan);
  if (opts.rehashActions) plan.actionsHash = hashOf(plan.customers.map((c: any) => ({ customerId: c.customerId, actions: c.actions })));
  const out = planFile.replace('plan.json', `edited-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(out, sealPlanJson(JSON.stringify(plan)));
  return out;
}

const contosoPurchase = (plan: any) => plan.customers.find((c: any) => c.customerId === CONTOSO).actions.find((a: any) => a.kind === 'purchase');

const extraPurchase: Edit = (plan) => {
  const contoso = plan.customers.find((c: any) => c.customerId === CONTOSO);
  const base = contosoPurchase(plan);
  const extra = { ...base, id: `${CONTOSO}/purchase/extra`, handle: 'extra', offerId: OFFER.e3, offerName: 'Office 365 E3', quantity: 9000, requestId: '11111111-2222-4333-8444-555555555555', desired: { quantity: 9000 } };
  contoso.actions.splice(contoso.actions.indexOf(base) + 1, 0, extra);
};
const raisedQuantity: Edit = (plan) => {
  const p = contosoPurchase(plan);
  p.quantity = 9000;
  p.desired = { quantity: 9000 };
};

async function apply(args: string[]) {
  const mark = sim.audit.entries.length;
  const res = await runCli(['apply', ...args], { env: demoEnv(sim), cwd: repoRoot });
  return { ...res, entries: sim.audit.entries.slice(mark) };
}

describe('apply edited.json --approved-hash <approved> is refused before any request', () => {
  beforeAll(freshPlan);
  for (const [name, edit] of [
    ['an extra purchase (another offer, quantity 9000)', extraPurchase],
    ['a raised quantity', raisedQuantity],
  ] as const) {
    for (const rehashActions of [false, true]) {
      it(`${name}, integrity recomputed${rehashActions ? ' and actionsHash field recomputed too' : ''}`, async () => {
        const file = edited(edit, { rehashActions });
        const res = await apply([file, '--approved-hash', approved]);
        expect(res.code, res.stdout + res.stderr).toBe(1);
        expect(res.stderr).toMatch(rehashActions ? /is not the approved/ : /actionsHash field does not match its actions/);
        expect(res.stderr).not.toMatch(/\n\s+at /);
        expect(res.entries).toEqual([]);
      });
    }
  }

  it('the unedited plan with its approved hash is applied', async () => {
    const res = await apply([planFile, '--approved-hash', approved]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(writeRequests(res.entries).length).toBeGreaterThan(0);
  });
});

describe('without --approved-hash, apply runs only what the re-plan of each customer produces', () => {
  beforeAll(freshPlan);
  it('an edited plan with every hash recomputed sends nothing to the edited customer', async () => {
    const file = edited(raisedQuantity, { rehashActions: true });
    const res = await apply([file]);
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stdout).toMatch(new RegExp(`skipped-stale .*\\(${CONTOSO}\\): pcsync plans something else for this customer now: purchase/sales-pro: desired.quantity is 9000 in the plan, 5 now`));
    expect(res.stdout).not.toMatch(/was the plan edited/);
    expect(writeRequests(res.entries).filter((e) => e.path.includes(CONTOSO))).toEqual([]);
    expect(ordersPerCustomer(res.entries)[CONTOSO]).toBeUndefined();
  });
});
