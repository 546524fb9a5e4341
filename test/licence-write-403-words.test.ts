import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, copyDesiredState } from './helpers/demo.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { ENTRA_ROLE } from '../src/partner-center/gdap-roles.js';
import { DEFAULT_GDAP_GROUP } from '../src/sim/gdap.js';

let sim: StartedSim;
let proxy: http.Server | undefined;
afterEach(async () => {
  await sim?.close();
  if (proxy) await new Promise((ok) => proxy!.close(ok));
  proxy = undefined;
});

/** Partner Center's endpoint through a proxy that answers Contoso's licence updates with `reply`. */
async function refusing(reply: { status: number; body: string }): Promise<string> {
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.includes(CONTOSO) && req.url.endsWith('/licenseupdates')) {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(reply.body);
        return;
      }
      const headers = { ...req.headers } as Record<string, string>;
      delete headers.host;
      delete headers['content-length'];
      const body = ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : Buffer.concat(chunks);
      void fetch(`${sim.url}${req.url}`, { method: req.method, headers, body }).then(async (up) => {
        const h: Record<string, string> = {};
        up.headers.forEach((v, k) => {
          if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) h[k] = v;
        });
        res.writeHead(up.status, h);
        res.end(Buffer.from(await up.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((ok) => proxy!.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
}

describe('a 403 on a licence write keeps the service’s words and says which role is missing', () => {
  it('900308 after a purchase names the GDAP role (License Administrator), not Admin agents', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.directoryReaders] }] } } } } });
    const run = await planThenApplySaved(sim, copyDesiredState());
    const contoso = run.customers.find((c) => c.customerId === CONTOSO)!;
    expect(contoso.message).toMatch(/licence writes are refused for this customer: POST .*licenseupdates \(code 900308\) — the partner admin must act: give the partner user pcsync signs in as License Administrator/);
    expect(contoso.message).toContain('Partner Center said: "Insufficient privileges to complete the operation."');
    expect(contoso.message).not.toMatch(/Admin agents/);
  });

  it('a Graph-shaped 403 body keeps its code and message; no doubled "HTTP 403 (HTTP 403)"', async () => {
    sim = await startSim({ scenario: 'demo' });
    const url = await refusing({ status: 403, body: JSON.stringify({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }) });
    const run = await planThenApplySaved(sim, copyDesiredState(), { env: { PARTNER_CENTER_ENDPOINT: url } });
    const contoso = run.customers.find((c) => c.customerId === CONTOSO)!;
    expect(contoso.message).toMatch(/Authorization_RequestDenied: Insufficient privileges to complete the operation\./);
    expect(run.apply.stdout).not.toMatch(/HTTP 403 \(HTTP 403\)/);
  });

  it('a 403 without a body says HTTP 403 once', async () => {
    sim = await startSim({ scenario: 'demo' });
    const url = await refusing({ status: 403, body: '' });
    const run = await planThenApplySaved(sim, copyDesiredState(), { env: { PARTNER_CENTER_ENDPOINT: url } });
    const contoso = run.customers.find((c) => c.customerId === CONTOSO)!;
    expect(contoso.message).toMatch(/HTTP 403/);
    expect(contoso.message).not.toMatch(/HTTP 403 \(HTTP 403\)/);
  });
});
