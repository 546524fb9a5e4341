import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, copyDesiredState, demoEnv } from './helpers/demo.js';
import { ENTRA_ROLE } from '../src/partner-center/gdap-roles.js';
import { DEFAULT_GDAP_GROUP } from '../src/sim/gdap.js';

let sim: StartedSim;
let graph: http.Server | undefined;
afterEach(async () => {
  await sim?.close();
  if (graph) await new Promise((ok) => graph!.close(ok));
  graph = undefined;
});

const GRAPH = { PARTNER_CENTER_GRAPH_TOKEN: 'graph-token' };

/** A Graph endpoint that answers every request with `status` and `body` (e.g. a captive portal's page). */
async function fakeGraph(status: number, body: string, type = 'text/html'): Promise<string> {
  graph = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((ok) => graph!.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(graph.address() as { port: number }).port}`;
}

describe('Graph replies of the GDAP pre-check are read for what they are', () => {
  it('a 200 that is not JSON (captive portal) makes access "not verified" (a bad reply), never "no GDAP relationship"', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: {} } });
    const url = await fakeGraph(200, '<html><body>Sign in to the hotel Wi-Fi</body></html>');
    const plan = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim, { ...GRAPH, PARTNER_CENTER_GRAPH_ENDPOINT: url, PCSYNC_MAX_RETRIES: '1', PCSYNC_RETRY_BASE_MS: '10' }) });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).not.toMatch(/no GDAP relationship/);
    expect(plan.stdout).toMatch(/not verified: GDAP access for licence writes \(GET \/v1\.0\/tenantRelationships\/delegatedAdminRelationships: HTTP 200 with a reply that is not Graph's JSON/);
  });

  it('an active relationship listed without endDateTime is active (not "not active (active)")', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { endDateTime: null, assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.licenseAdministrator] }] } } } } });
    const plan = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim, GRAPH) });
    expect(plan.code, plan.stdout).toBe(2);
    expect(plan.stdout).not.toMatch(/not active/);
    expect(plan.stdout).not.toMatch(/licence-writes-refused/);
  });
});
