import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO, FABRIKAM, demoEnv } from './helpers/demo.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

const ESC = '\u001b[';

describe('terminal conventions', () => {
  let sim: StartedSim;
  beforeAll(async () => (sim = await startSim({ scenario: 'demo' })));
  afterAll(async () => sim?.close());

  it('colour: off when piped, on with FORCE_COLOR, off again with NO_COLOR alone or --no-color', async () => {
    const piped = await runCli(['plan'], { env: { ...demoEnv(sim), FORCE_COLOR: undefined, NO_COLOR: undefined } });
    const forced = await runCli(['plan'], { env: { ...demoEnv(sim), FORCE_COLOR: '1' } });
    const forcedButNo = await runCli(['plan', '--no-color'], { env: { ...demoEnv(sim), FORCE_COLOR: '1' } });
    const noColor = await runCli(['plan'], { env: { ...demoEnv(sim), NO_COLOR: '1', FORCE_COLOR: undefined } });
    expect(piped.code).toBe(2);
    expect(piped.stdout).not.toContain(ESC);
    expect(forced.stdout).toContain(ESC);
    expect(forcedButNo.stdout).not.toContain(ESC);
    expect(noColor.stdout).not.toContain(ESC);
    // Same facts either way: only the escapes differ.
    expect(forced.stdout.replace(/\u001b\[\d+m/g, '')).toBe(piped.stdout);
  });

  it('colour on stderr too: a validate error is painted when forced and plain otherwise', async () => {
    const forced = await runCli(['validate', 'test/fixtures/desired/three-mistakes'], { env: { FORCE_COLOR: '1' } });
    const plain = await runCli(['validate', 'test/fixtures/desired/three-mistakes', '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toContain(`${ESC}31merror`);
    expect(plain.stderr).not.toContain(ESC);
  });

  it.each([
    ['its domain', 'contoso.onmicrosoft.com', CONTOSO],
    ['its file name', 'fabrikam-gov.yaml', FABRIKAM],
    ['its file name without extension', 'FABRIKAM-GOV', FABRIKAM],
    ['its id', CONTOSO.toUpperCase(), CONTOSO],
  ])('--customer by %s plans only that customer', async (_, key, id) => {
    const res = await runCli(['plan', '--format', 'json', '--customer', key], { env: demoEnv(sim) });
    expect(res.code, res.stderr).toBe(2);
    expect((JSON.parse(res.stdout) as { customers: { customerId: string }[] }).customers.map((c) => c.customerId)).toEqual([id]);
  });

  it('--customer that names nobody: exit 1, the value and the known customers named, nothing sent', async () => {
    const before = sim.audit.requests().length;
    const res = await runCli(['plan', '--customer', 'northwind.onmicrosoft.com'], { env: demoEnv(sim) });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/--customer northwind\.onmicrosoft\.com: no customer has this id, domain or file name/);
    expect(res.stderr).toMatch(/contoso\.yaml \(contoso\.onmicrosoft\.com\)/);
    expect(sim.audit.requests().length).toBe(before);
  });

  it('doctor marks what is not set with –, never with ✓', async () => {
    const res = await runCli(['doctor'], { env: { ...demoEnv(sim), PARTNER_CENTER_AUTHORITY: undefined, PARTNER_CENTER_TENANT_ID: undefined, PARTNER_CENTER_CLIENT_ID: undefined } });
    expect(res.stdout).toMatch(/– authority +PARTNER_CENTER_AUTHORITY not set/);
    expect(res.stdout).toMatch(/– tenant \/ app/);
    expect(res.stdout).not.toMatch(/✓ (authority|tenant \/ app)/);
  });
});
