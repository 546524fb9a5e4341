import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import type { BehaviourOptions } from '../src/sim/index.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/**
 * A 3xx or an empty reply to a read is not success: behind a redirect `report` printed "0 of 0 customers
 * affected" and `doctor` "All good". Both now fail, naming the status.
 */
describe('a redirect or an empty reply to a read is an error naming the status', () => {
  const cases: [string, BehaviourOptions, RegExp][] = [
    ['302 redirect', { redirects: {} }, /HTTP 302 \(a redirect to "https:\/\/login\.example\.invalid\/"\)/],
    ['308 redirect, long Location', { redirects: { status: 308, location: `https://elsewhere.example/${'a'.repeat(500)}` } }, /HTTP 308 \(a redirect to "https:\/\/elsewhere\.example\/a{50,60}…"\)/],
    ['empty 200', { emptyReplies: {} }, /HTTP 200 with an empty reply to a read/],
  ];
  it.each(cases)('%s: report and doctor fail, plan fails', async (_name, options, words) => {
    sim = await startSim({ scenario: 'demo', options });
    const env = demoEnv(sim, { PCSYNC_MAX_RETRIES: '0' });
    const report = await runCli(['report'], { env });
    expect(report.code).toBe(1);
    expect(report.stdout).not.toMatch(/customers affected/);
    expect(report.stderr).toMatch(words);
    const doctor = await runCli(['doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).not.toMatch(/All good/);
    expect(doctor.stdout + doctor.stderr).toMatch(words);
    const plan = await runCli(['plan'], { env });
    expect(plan.code).not.toBe(0);
    expect(plan.stdout + plan.stderr).toMatch(words);
    // pcsync never followed the redirect to another host: every request reached the simulator once.
    expect(sim.audit.entries.filter((e) => e.type === 'fault').length).toBeGreaterThan(0);
  });
});
