import { afterEach, describe, expect, it } from 'vitest';
import { startSim, runCli, type StartedSim } from './helpers/sim.js';
import { ordersPerCustomer, writeRequests } from '../src/sim/invariants.js';
import { CONTOSO, FABRIKAM, copyDesiredState, demoEnv } from './helpers/demo.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('a holder of the retired licence missing from the YAML', () => {
  it('blocks that customer (plan exit 3 naming user and customer); apply leaves it untouched and migrates the other', async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = copyDesiredState((files) => {
      files['customers/fabrikam-gov.yaml'] = files['customers/fabrikam-gov.yaml']!.replace(/^.*jun@fabrikamgov\.onmicrosoft\.com.*$/m, (line) =>
        line.includes('[') ? line.replace(/,\s*jun@fabrikamgov\.onmicrosoft\.com/, '') : '',
      );
    });
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(plan.code, plan.stdout + plan.stderr).toBe(3);
    expect(plan.stdout).toContain('jun@fabrikamgov.onmicrosoft.com');
    expect(plan.stdout).toMatch(/Fabrikam|3c9d7e21-5a4b-4c3d-8e2f-1a0b9c8d7e6f/);
    expect(writeRequests(sim.audit.entries)).toHaveLength(0);

    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim) });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    const writes = writeRequests(sim.audit.entries);
    expect(writes.some((w) => w.type === 'request' && w.path.includes(FABRIKAM))).toBe(false);
    expect(writes.some((w) => w.type === 'request' && w.path.includes(CONTOSO))).toBe(true);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [CONTOSO]: 1 });
  });
});
