import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, copyDesiredState, demoEnv } from './helpers/demo.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** `import --customer` takes what `plan --customer` takes: an id, a domain or a desired-state file name. */
describe('import --customer resolves like plan --customer', () => {
  it('a desired-state file name, with or without .yaml, or the domain, imports that customer; an unknown name lists the customers', async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = copyDesiredState();
    for (const key of ['contoso', 'contoso.yaml', 'contoso.onmicrosoft.com', CONTOSO]) {
      const res = await runCli(['import', '--customer', key, '--dir', dir], { env: demoEnv(sim) });
      expect(res.code, `${key}: ${res.stderr}`).toBe(0);
      expect(res.stdout).toContain(`id: ${CONTOSO}`);
    }
    const unknown = await runCli(['import', '--customer', 'northwind', '--dir', dir], { env: demoEnv(sim) });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/--customer northwind: no customer has this id, domain or file name\. Customers in .*: .*contoso\.yaml \(contoso\.onmicrosoft\.com\)/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
