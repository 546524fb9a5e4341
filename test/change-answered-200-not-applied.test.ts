import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type StartedSim } from './helpers/sim.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { leavingSalesEnterprise } from './helpers/nce.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const oldSub = () => sim.state.customer(NCE_CUSTOMERS.pastWindow)!.subscriptions.find((s) => s.offerId === NCE.salesEnterpriseOffer)!;

/**
 * Partner Center answered 200 to "auto-renew off" and left it on (microsoft/Partner-Center-PowerShell#115). The
 * failure names the field that did not change and who must act, and is terminal: not "transient, run again"
 * run after run.
 */
describe('a change answered 200 but not applied', () => {
  it('names the field that did not change, says an Admin agent must act, and is not a transient failure', async () => {
    sim = await startSim({ scenario: 'new-commerce', options: { ignoredPatchFields: ['autoRenewEnabled'] } });
    const dir = leavingSalesEnterprise({ wingtip: { id: NCE_CUSTOMERS.pastWindow, replacement: '    offer: Dynamics 365 for Sales Professional' } });
    const env = { PCSYNC_CHANGE_TIMEOUT_MS: '50' };
    const { customers, apply } = await planThenApplySaved(sim, dir, { env });
    expect(apply.code).toBe(4);
    const wingtip = customers.find((c) => c.customerId === NCE_CUSTOMERS.pastWindow)!;
    expect(wingtip.outcome).toBe('failed-terminal');
    expect(wingtip.message).toMatch(/end-at-term not done: Partner Center answered 200 but did not apply the change: autoRenewEnabled did not change \(it still shows autoRenewEnabled true\)/);
    expect(wingtip.message).toMatch(/a partner Admin agent must act: make this change in Partner Center/);
    expect(wingtip.message).not.toMatch(/scheduledActions did not change/);
    expect(oldSub().autoRenewEnabled).toBe(true);
  });
});
