import { afterEach, describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, copyDesiredState, demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { ENTRA_ROLE } from '../src/partner-center/gdap-roles.js';
import { DEFAULT_GDAP_GROUP } from '../src/sim/gdap.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** Contoso buys two replacement subscriptions; its users move onto both. */
const twoPurchases = `apiVersion: pcsync/v1
kind: Customer
customer:
  id: ${CONTOSO}
subscriptions:
  sales-pro:
    offer: Dynamics 365 for Sales Professional
    quantity: auto
  cs-pro:
    offer: Dynamics 365 for Customer Service Professional
    quantity: auto
  legacy-sales:
    match:
      offerName: "Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)"
    status: suspended
licenses:
  - subscription: sales-pro
    users: [alice@contoso.onmicrosoft.com, bob@contoso.onmicrosoft.com]
  - subscription: cs-pro
    users: [carol@contoso.onmicrosoft.com, dave@contoso.onmicrosoft.com, erin@contoso.onmicrosoft.com]
`;

describe('a licence write refused for permissions stops the customer before its next purchase', () => {
  it('without a Graph token (access not verified): one order, one refused licence write, the second subscription is not bought', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.directoryReaders] }] } } } } });
    const dir = copyDesiredState((files) => {
      files['customers/contoso.yaml'] = twoPurchases;
    });
    const run = await planThenApplySaved(sim, dir);
    expect(run.plan.stdout).toMatch(/not verified: GDAP access for licence writes/);
    const orders = sim.audit.entries.filter((e) => e.type === 'order-created' && e.customerId === CONTOSO);
    expect(orders).toHaveLength(1);
    const moves = sim.audit.requests().filter((r) => r.method === 'POST' && r.path.includes(CONTOSO) && r.path.endsWith('/licenseupdates'));
    expect(moves.map((m) => m.status)).toEqual([403]);
    const contoso = run.customers.find((c) => c.customerId === CONTOSO)!;
    expect(contoso.outcome).toBe('failed-terminal');
    expect(contoso.message).toMatch(/licence writes are refused for this customer/);
  });

  it('the next plan remembers the refusal (journal) and warns, naming the date and the role, when access cannot be verified', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.directoryReaders] }] } } } } });
    const dir = copyDesiredState();
    const run = await planThenApplySaved(sim, dir);
    expect(run.customers.find((c) => c.customerId === CONTOSO)?.message).toMatch(/licence writes are refused/);
    const again = await runCli(['plan', '--dir', dir], { env: demoEnv(sim, { PCSYNC_STATE_DIR: join(dirname(run.planFile), 'state') }) });
    expect(again.stdout).toMatch(/licence-writes-refused-before: .*Contoso.*licence writes were refused on 20\d\d-\d\d-\d\dT[^ ]* \(403, an earlier apply\)/);
    expect(again.stdout).toMatch(/the partner admin must act: assign License Administrator/);
    // Another state directory remembers nothing.
    const elsewhere = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(elsewhere.stdout).not.toMatch(/licence-writes-refused-before/);
  });
});
