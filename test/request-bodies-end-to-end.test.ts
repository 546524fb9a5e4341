import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type StartedSim } from './helpers/sim.js';
import { copyDesiredState } from './helpers/demo.js';
import { demoWithTooFewSeats } from './helpers/quantity.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { leavingSalesEnterprise, salesProNewCommerce } from './helpers/nce.js';
import type { SubscriptionChangedEntry } from '../src/sim/audit.js';
import { undocumentedBodies } from '../src/sim/invariants.js';
import { requestBodyOf } from '../src/partner-center/request-schemas.js';
import { NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';

/**
 * Issue 20, done-when 3: every request body the end-to-end flows send is the documented resource of its request.
 * The simulator checks each body on arrival (an undocumented or misplaced field → 400 800002), so every end-to-end
 * test of the suite already fails on one; this test also collects the bodies of a representative set of flows,
 * each through the reviewed path (plan --out → apply plan.json --approved-hash), and checks them against the
 * schemas on their own — legacy purchase, new-commerce purchase with attestation, quantity increase, licence moves
 * and a remove-only licence update, legacy suspend, new-commerce cancel and end at term.
 */
let sim: StartedSim;
afterEach(async () => sim?.close());

/** Every write of the run, by the schema its body was checked against (`none` = a write without a body). */
function writesBySchema(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const w of sim.audit.writes()) {
    const key = w.body === undefined ? 'none' : (requestBodyOf(w.method, w.path) ?? 'unknown');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const changes = () => sim.audit.entries.filter((e): e is SubscriptionChangedEntry => e.type === 'subscription-changed').map((e) => `${e.field}=${String(e.after)}`);

describe('every body the end-to-end flows send is the documented resource', () => {
  it('demo migration with a quantity increase and a remove-only licence update', async () => {
    sim = await startSim({ scenario: demoWithTooFewSeats() });
    const dir = copyDesiredState((files) => {
      const f = 'customers/fabrikam-gov.yaml';
      files[f] = files[f]!.replace('    status: suspended\n', '    status: suspended\n    prune: true\n').replace(', jun@fabrikamgov.onmicrosoft.com]', ']');
    });
    const { apply } = await planThenApplySaved(sim, dir, { env: { PCSYNC_POLL_MS: '50' } });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    expect(undocumentedBodies(sim.audit.entries)).toEqual([]);
    expect(writesBySchema()).toEqual({ order: 1, subscription: 3, 'license-update': 8 });
    const removeOnly = sim.audit.writes().filter((w) => w.path.endsWith('/licenseupdates') && (w.body as { licensesToAssign?: unknown[] }).licensesToAssign?.length === 0);
    expect(removeOnly).toHaveLength(1);
    expect(changes().sort()).toEqual(['quantity=5', 'status=suspended', 'status=suspended']);
  });

  it('new commerce: a purchase with attestation, a cancel inside the window and an end at term past it', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = leavingSalesEnterprise({
      tailspin: { id: NCE_CUSTOMERS.inWindow, replacement: salesProNewCommerce() },
      wingtip: { id: NCE_CUSTOMERS.pastWindow, replacement: '    offer: Dynamics 365 for Sales Professional' },
    });
    const { apply } = await planThenApplySaved(sim, dir, { env: { PCSYNC_POLL_MS: '50' } });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    expect(undocumentedBodies(sim.audit.entries)).toEqual([]);
    // The checkout carries no body: Partner Center documents none.
    expect(writesBySchema()).toEqual({ cart: 1, none: 1, order: 1, subscription: 2, 'license-update': 6 });
    expect(changes().sort()).toEqual(['autoRenewEnabled=false', 'cancelAtTermEnd=true', 'status=deleted']);
  });
});
