import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';

let sim: StartedSim;
let proxy: http.Server | undefined;
afterEach(async () => {
  await sim?.close();
  if (proxy) await new Promise((ok) => proxy!.close(ok));
  proxy = undefined;
});

const GRAPH = { PARTNER_CENTER_GRAPH_TOKEN: 'graph-token' };
const ordersOf = (customerId: string) => sim.audit.entries.filter((e) => e.type === 'order-created' && e.customerId === customerId);

/** A Graph endpoint in front of the simulator's: `answer()` returns a reply to give instead, or undefined to pass on. */
async function graphProxy(answer: () => { status: number; body: unknown } | undefined): Promise<string> {
  proxy = http.createServer((req, res) => {
    const own = answer();
    if (own) {
      res.writeHead(own.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(own.body));
      return;
    }
    void fetch(`${sim.url}${req.url}`, { headers: { authorization: req.headers.authorization ?? '' } }).then(async (up) => {
      res.writeHead(up.status, { 'content-type': 'application/json' });
      res.end(await up.text());
    });
  });
  await new Promise<void>((ok) => proxy!.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
}

const unavailable = { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Service is temporarily unavailable' } } };

describe('the Graph pre-check retries and says who must act', () => {
  it('a 503 is retried per PCSYNC_MAX_RETRIES: one failure passes; with no retries it is "not verified" and a warning that it may pass', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: {} } });
    let fail = 1;
    const url = await graphProxy(() => (fail-- > 0 ? unavailable : undefined));
    const retried = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim, { ...GRAPH, PARTNER_CENTER_GRAPH_ENDPOINT: url, PCSYNC_RETRY_BASE_MS: '10' }) });
    expect(retried.code, retried.stderr).toBe(2);
    expect(retried.stdout).not.toMatch(/not verified/);

    fail = 1000;
    const none = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim, { ...GRAPH, PARTNER_CENTER_GRAPH_ENDPOINT: url, PCSYNC_MAX_RETRIES: '0' }) });
    expect(none.stdout).toMatch(/not verified: GDAP access for licence writes \(GET \/v1\.0\/tenantRelationships\/delegatedAdminRelationships: HTTP 503 ServiceUnavailable: "Service is temporarily unavailable"\)/);
    expect(none.stdout).toMatch(/gdap-read-failed: .*Microsoft Graph did not answer/);
  });

  it('Graph failing only at apply is a transient failure (run apply again), not a stale plan sent back to review; nothing is bought', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: {} } });
    let down = false;
    const url = await graphProxy(() => (down ? unavailable : undefined));
    const run = await planThenApplySaved(sim, copyDesiredState(), {
      env: { ...GRAPH, PARTNER_CENTER_GRAPH_ENDPOINT: url, PCSYNC_MAX_RETRIES: '1' },
      between: () => {
        down = true;
      },
    });
    expect(run.plan.stdout).not.toMatch(/not verified/);
    for (const id of [CONTOSO, FABRIKAM]) {
      const c = run.customers.find((x) => x.customerId === id)!;
      expect(c.outcome, c.message).toBe('failed-transient');
      expect(c.message).toMatch(/the GDAP pre-check cannot be made now: .*HTTP 503 .*after 2 attempts.*run apply again later \(the approved plan still stands\)/);
      expect(ordersOf(id)).toEqual([]);
    }
  });

  it('Graph 401 says who must act (consent to DelegatedAdminRelationship.Read.All)', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: {} } });
    const url = await graphProxy(() => ({ status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } } }));
    const plan = await runCli(['plan', '--dir', copyDesiredState()], { env: demoEnv(sim, { ...GRAPH, PARTNER_CENTER_GRAPH_ENDPOINT: url }) });
    expect(plan.stdout).toMatch(/not verified: GDAP access for licence writes \(.*HTTP 401 InvalidAuthenticationToken: "Access token has expired or is not yet valid\." — Graph refused the token: the partner admin must act: grant the app the delegated Graph permission DelegatedAdminRelationship\.Read\.All/);
  });
});
