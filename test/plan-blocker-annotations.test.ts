import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSim, runCli, type StartedSim } from './helpers/sim.js';
import { copyDesiredState, demoEnv } from './helpers/demo.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** Fabrikam's file without jun (a holder of the retiring licence) and with an offer that does not exist. */
const blockedDir = () =>
  copyDesiredState((files) => {
    files['customers/fabrikam-gov.yaml'] = files['customers/fabrikam-gov.yaml']!.replace(/^.*jun@fabrikamgov\.onmicrosoft\.com.*$/m, (l) =>
      l.includes('[') ? l.replace(/,\s*jun@fabrikamgov\.onmicrosoft\.com/, '') : '',
    );
    files['customers/contoso.yaml'] = files['customers/contoso.yaml']!.replace('offer: Dynamics 365 for Sales Professional', 'offer: Dynamics 365 for Nothing At All');
  });

const annotations = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('::'));

describe('plan in GitHub Actions: blockers with a source position become annotations on the diff', () => {
  it('GITHUB_ACTIONS=true: one ::error file=…,line=…,col=… per blocker that has a position, on stderr (stdout stays the plan)', async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = blockedDir();
    const res = await runCli(['plan', '--dir', dir, '--format', 'markdown'], { env: { ...demoEnv(sim), GITHUB_ACTIONS: 'true' }, cwd: dir });
    expect(res.code, res.stderr).toBe(3);
    const errors = annotations(res.stderr).filter((a) => a.startsWith('::error '));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const a of errors) expect(a).toMatch(/^::error file=customers\/[a-z-]+\.yaml,line=\d+,col=\d+::\S/);
    const unknownOffer = errors.find((a) => a.includes('contoso.yaml'))!;
    // At the subscription that names the offer, in contoso.yaml as the file has it.
    const lines = readFileSync(join(dir, 'customers/contoso.yaml'), 'utf8').split('\n');
    const at = Number(/line=(\d+)/.exec(unknownOffer)![1]);
    expect(lines.slice(at - 1, at + 1).join('\n')).toMatch(/sales-pro:|offer: Dynamics 365 for Nothing At All/);
    expect(unknownOffer).toContain('Dynamics 365 for Nothing At All');
    expect(errors.some((a) => a.includes('fabrikam-gov.yaml') && a.includes('jun@fabrikamgov.onmicrosoft.com'))).toBe(true);
    expect(res.stdout).not.toContain('::error');
    expect(res.stdout).toMatch(/^<!-- pcsync:actions-hash /);
  });

  it('--hide-users: the annotations count users instead of naming them; outside GitHub Actions there are none', async () => {
    sim = await startSim({ scenario: 'demo' });
    const dir = blockedDir();
    const hidden = await runCli(['plan', '--dir', dir, '--hide-users'], { env: { ...demoEnv(sim), GITHUB_ACTIONS: 'true' }, cwd: dir });
    expect(hidden.code).toBe(3);
    const fabrikam = annotations(hidden.stderr).filter((a) => a.includes('fabrikam-gov.yaml'));
    expect(fabrikam.length).toBeGreaterThan(0);
    expect(hidden.stderr).not.toMatch(/@fabrikamgov\.onmicrosoft\.com/);
    expect(fabrikam.some((a) => a.includes('[user]'))).toBe(true);

    const local = await runCli(['plan', '--dir', dir], { env: demoEnv(sim), cwd: dir });
    expect(local.code).toBe(3);
    expect(annotations(local.stderr)).toEqual([]);
  });
});
