import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { msalEnv, SIM_SECRETS } from './helpers/auth.js';
import { copyDesiredState } from './helpers/demo.js';
import { writeRequests } from '../src/sim/invariants.js';
import { verifierFor } from '../src/sim/token-server.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, 'g')) ?? []).length;
const MFA = /Partner Center requires multi-factor authentication/;

/**
 * A failure of the whole credential (MFA missing: 401 900421, partner-center-2026.md §1) is not one customer's
 * problem: the run ends once, with exit 1 and one message naming who must act — not a blocker per customer.
 */
describe('a refused credential ends the run once', () => {
  it('plan: MFA missing prints the cause once and exits 1; nothing is planned per customer', async () => {
    sim = await startSim({ scenario: 'demo', auth: { mfa: false, enforceMfa: true } });
    const plan = await runCli(['plan', '--dir', copyDesiredState()], { env: msalEnv(sim, { refreshToken: SIM_SECRETS.refreshToken }) });
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    expect(count(plan.stdout + plan.stderr, MFA)).toBe(1);
    expect(plan.stderr).toMatch(/refused pcsync's credentials, so every customer would fail alike.*code 900421.*the partner admin must act: sign in again as the partner admin WITH multi-factor authentication/);
    expect(plan.stdout).not.toMatch(/live-read-failed/);
    expect(plan.stderr).not.toMatch(/\n\s+at /);
  });

  it('apply plan.json: MFA enforced after the plan was approved stops the run at the first refusal, exit 1, nothing written', async () => {
    sim = await startSim({ scenario: 'demo', auth: { mfa: false } });
    const env = msalEnv(sim, { refreshToken: SIM_SECRETS.refreshToken });
    const dir = copyDesiredState();
    const planFile = `${dir}/plan.json`;
    const plan = await runCli(['plan', '--dir', dir, '--out', planFile], { env });
    expect(plan.code, plan.stderr).toBe(2);
    const hash = String(JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(planFile, 'utf8'))).actionsHash);
    (verifierFor(sim.state) as { enforceMfa: boolean }).enforceMfa = true;
    const apply = await runCli(['apply', planFile, '--dir', dir, '--approved-hash', hash], { env });
    expect(apply.code, apply.stdout + apply.stderr).toBe(1);
    expect(apply.stdout).toMatch(/Stopped by an error: Partner Center refused pcsync's credentials.*Fix the credential, then run apply again \(exit 1\)/);
    expect(count(apply.stdout, /could not re-read live state/)).toBeLessThanOrEqual(1);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });

  it('apply: MFA enforced during the licence moves ends the run once (exit 1, the cause said once), not one refusal per user; the summary names the real exit code', async () => {
    sim = await startSim({ scenario: 'demo', auth: { mfa: false } });
    const env = msalEnv(sim, { refreshToken: SIM_SECRETS.refreshToken }, { PCSYNC_POLL_MS: '20', PCSYNC_RETRY_BASE_MS: '10' });
    const dir = copyDesiredState();
    const planFile = `${dir}/plan.json`;
    const plan = await runCli(['plan', '--dir', dir, '--out', planFile], { env });
    expect(plan.code, plan.stderr).toBe(2);
    const hash = String(JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(planFile, 'utf8'))).actionsHash);
    // MFA becomes required right after the first licence move went through.
    const watch = setInterval(() => {
      if (sim.audit.entries.some((e) => e.type === 'licenses-changed')) {
        (verifierFor(sim.state) as { enforceMfa: boolean }).enforceMfa = true;
        clearInterval(watch);
      }
    }, 0);
    const apply = await runCli(['apply', planFile, '--dir', dir, '--approved-hash', hash], { env }).finally(() => clearInterval(watch));
    expect(apply.code, apply.stdout + apply.stderr).toBe(1);
    expect(count(apply.stdout, /no MFA claim \(code 900421\)/)).toBe(1);
    expect(apply.stdout).toMatch(/Stopped by an error: Partner Center refused pcsync's credentials.*\(exit 1\)/);
    expect(apply.stdout).not.toMatch(/exit 4/);
    expect(apply.stdout).not.toMatch(/failed-terminal/);
  });
});
