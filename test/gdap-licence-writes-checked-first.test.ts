import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { ENTRA_ROLE } from '../src/partner-center/gdap-roles.js';
import { DEFAULT_GDAP_GROUP } from '../src/sim/gdap.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** The Graph token of the pre-check (any value works against the simulator; never printed). */
const GRAPH = { PARTNER_CENTER_GRAPH_TOKEN: 'graph-secret-token-1234' };
/** Contoso's GDAP roles let the partner user read users and licences, not assign them (CIPP#1177). */
const readOnlyContoso = { customers: { [CONTOSO]: { assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.directoryReaders] }] } } };

const ordersOf = (customerId: string) => sim.audit.entries.filter((e) => e.type === 'order-created' && e.customerId === customerId);
const writesOf = (customerId: string) => sim.audit.requests().filter((r) => r.method !== 'GET' && r.path.toLowerCase().includes(customerId.toLowerCase()));

describe('licence writes are proven possible before anything is bought (GDAP pre-check)', () => {
  it('a customer whose GDAP roles cannot assign licences gets 0 orders and a blocker naming the missing role and who must act; the others go on', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: readOnlyContoso } });
    const dir = copyDesiredState();
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim, GRAPH) });
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stdout).toMatch(/licence-writes-refused: .*Contoso.*no active GDAP access assignment for this customer holds License Administrator, User Administrator or Directory Writers \(assigned: .*Directory Readers\)/);
    expect(plan.stdout).toMatch(/the partner admin must act: assign License Administrator/);
    expect(plan.stdout + plan.stderr).not.toContain(GRAPH.PARTNER_CENTER_GRAPH_TOKEN);

    const run = await planThenApplySaved(sim, dir, { env: GRAPH });
    expect(ordersOf(CONTOSO)).toEqual([]);
    expect(writesOf(CONTOSO)).toEqual([]);
    expect(run.customers.find((c) => c.customerId === CONTOSO)?.outcome).toBe('skipped-blocked');
    // Fabrikam's access is verified: bought and moved as approved.
    expect(ordersOf(FABRIKAM)).toHaveLength(1);
    expect(run.customers.find((c) => c.customerId === FABRIKAM)?.outcome).toBe('applied');
  });

  it('an expired relationship blocks too, saying a new relationship is needed', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { status: 'expired', endDateTime: '2026-01-01T00:00:00Z', assignments: [] } } } } });
    const plan = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim, GRAPH) });
    expect(plan.code).toBe(3);
    expect(plan.stdout).toMatch(/licence-writes-refused: .*the GDAP relationship with this customer is not active \(expired, ends 2026-01-01T00:00:00Z\)/);
    expect(plan.stdout).toMatch(/request a new GDAP relationship/);
  });

  it('what cannot be verified read-only is said on the purchase line: the user’s group membership, or no Graph token at all', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { membershipReadable: false } } });
    const unreadable = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim, GRAPH) });
    expect(unreadable.code, unreadable.stderr).toBe(2);
    expect(unreadable.stdout).toMatch(/\+ purchase .*new subscription, \d+ seat\(s\); not verified: whether the signed-in partner user is in .* \(GET \/v1\.0\/me\/transitiveMemberOf\/microsoft\.graph\.group: HTTP 403/);

    const noToken = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim) });
    expect(noToken.code).toBe(2);
    expect(noToken.stdout).toMatch(/\+ purchase .*; not verified: GDAP access for licence writes \(no Graph token: set PARTNER_CENTER_GRAPH_TOKEN/);
  });

  it('refused at apply (not verifiable at plan time): the move names the missing role, the customer stops, the old subscription is not retired', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: readOnlyContoso } });
    const dir = copyDesiredState();
    const run = await planThenApplySaved(sim, dir);
    const contoso = run.customers.find((c) => c.customerId === CONTOSO)!;
    expect(contoso.outcome).toBe('failed-terminal');
    expect(contoso.message).toMatch(/licence writes are refused for this customer: .*code 900308.*the partner admin must act: .*License Administrator, User Administrator or Directory Writers/);
    expect(contoso.message).toContain('Partner Center said: "Insufficient privileges to complete the operation."');
    const moves = sim.audit.requests().filter((r) => r.method === 'POST' && r.path.includes(CONTOSO) && r.path.endsWith('/licenseupdates'));
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.length).toBeLessThanOrEqual(4);
    expect(sim.audit.entries.filter((e) => e.type === 'subscription-changed' && e.customerId === CONTOSO)).toEqual([]);
    // The next plan says why, instead of proposing the same moves again.
    const again = await runCli(['plan', '--dir', dir], { env: demoEnv(sim, GRAPH) });
    expect(again.stdout).toMatch(/licence-writes-refused: .*Contoso/);
  });
});

describe('Global Administrator alone can assign licences', () => {
  it('a relationship whose only role is Global Administrator is no blocker, and the moves go through', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.globalAdministrator] }] } } } } });
    const dir = copyDesiredState();
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim, GRAPH) });
    expect(plan.code, plan.stdout).toBe(2);
    expect(plan.stdout).not.toMatch(/licence-writes-refused/);
    const run = await planThenApplySaved(sim, dir, { env: GRAPH });
    expect(run.customers.find((c) => c.customerId === CONTOSO)?.outcome).toBe('applied');
  });
});
