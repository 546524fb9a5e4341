import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './helpers/sim.js';

const TENANT = 'test/fixtures/sim/northwind-tenant.yaml';
const NORTHWIND = '5e0b2c1a-7d3f-4b6e-9a8c-2f1e0d9c8b7a';

const DESIRED = `apiVersion: pcsync/v1
kind: Customer
customer:
  id: ${NORTHWIND}
  domain: northwind.onmicrosoft.com
subscriptions:
  sales-pro:
    offer: Dynamics 365 for Sales Professional
    quantity: auto
  legacy-sales:
    match:
      offerName: "Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)"
    status: suspended
licenses:
  - subscription: sales-pro
    from: legacy-sales
`;

let child: ChildProcess | undefined;
afterEach(() => void child?.kill('SIGTERM'));

/** Starts `pcsync sim --scenario <file> --port 0` and resolves with the URL it prints. */
function startSimCli(scenario: string): Promise<string> {
  child = spawn(process.execPath, [join(repoRoot, 'dist/cli/main.js'), 'sim', '--scenario', scenario, '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child!.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child!.on('close', (code) => reject(new Error(`sim exited ${code}: ${out}`)));
  });
}

describe('pcsync sim --scenario <tenant file>', () => {
  it('serves the tenant described in the file: plan and apply migrate it like a real one', async () => {
    const url = await startSimCli(TENANT);
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-tenant-'));
    mkdirSync(join(dir, 'customers'));
    writeFileSync(join(dir, 'customers', 'northwind.yaml'), DESIRED);
    const env = { PARTNER_CENTER_ENDPOINT: url, PARTNER_CENTER_TOKEN: 'sim' };

    const plan = await runCli(['plan', '--dir', dir, '--format', 'json'], { env });
    expect(plan.code, plan.stderr).toBe(2);
    const actions = (JSON.parse(plan.stdout) as { customers: { actions: { kind: string; user?: { upn: string } }[] }[] }).customers[0]!.actions;
    expect(actions.filter((a) => a.kind === 'reassign')).toHaveLength(3);

    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const state = (await (await fetch(`${url}/_sim/state`)).json()) as { customers: { subscriptions: { offerId: string; status: string }[] }[] };
    expect(state.customers[0]!.subscriptions.map((s) => s.status).sort()).toEqual(['active', 'suspended']);
    expect((await runCli(['plan', '--dir', dir], { env })).code).toBe(0);
  });

  it('a malformed tenant file: every problem as file:line:col, exit 1, no server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-tenant-bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: pcsync/v1',
        'kind: SimulatorTenant',
        'customers:',
        '  - id: 5e0b2c1a-7d3f-4b6e-9a8c-2f1e0d9c8b7a',
        '    companyName: Northwind',
        '    domain: northwind.onmicrosoft.com',
        '    subscriptions:',
        '      - id: 9a8b7c6d-0000-4000-8000-00000000d001',
        '        offer: Dynamics 365 for Sales Pro Max',
        '        quantity: 3',
        '    users:',
        '      - upn: nancy@northwind.onmicrosoft.com',
        '        licences: [D365_SALES_PRO]',
        '',
      ].join('\n'),
    );
    const res = await runCli(['sim', '--scenario', file, '--port', '0'], { timeoutMs: 20_000 });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/bad\.yaml:13:9: error: .*licences/);
    expect(res.stdout).not.toMatch(/listening/);

    writeFileSync(file, [...'apiVersion: pcsync/v1\nkind: SimulatorTenant\ncustomers:\n  - id: 5e0b2c1a-7d3f-4b6e-9a8c-2f1e0d9c8b7a\n    companyName: N\n    domain: n.example\n    subscriptions:\n      - { id: 9a8b7c6d-0000-4000-8000-00000000d001, offer: No Such Offer, quantity: 3 }\n'].join(''));
    const unknown = await runCli(['sim', '--scenario', file, '--port', '0'], { timeoutMs: 20_000 });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/bad\.yaml:8:60: error: offer "No Such Offer" is not in offers \[sim\.unknown-reference\]/);
  });
});
