import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('doctor checks the Graph access of the GDAP pre-check', () => {
  it('without a Graph token it says what to set (and that plans will say "not verified")', async () => {
    sim = await startSim({ scenario: 'demo' });
    const r = await runCli(['doctor'], { env: demoEnv(sim) });
    expect(r.stdout).toMatch(/Graph \(GDAP pre-check\).*no Graph token: set PARTNER_CENTER_GRAPH_TOKEN/);
    expect(r.stdout).toMatch(/not verified: GDAP access for licence writes/);
  });

  it('with a token that can read: relationships and groups readable', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: {} } });
    const r = await runCli(['doctor'], { env: demoEnv(sim, { PARTNER_CENTER_GRAPH_TOKEN: 'graph-token' }) });
    expect(r.stdout).toMatch(/Graph relationships.*GDAP relationships readable: 2 listed, 2 active/);
    expect(r.stdout).toMatch(/Graph groups.*readable: 1/);
  });

  it('a token without DelegatedAdminRelationship.Read.All fails, saying the partner admin must grant it', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { relationshipsReadable: false } } });
    const r = await runCli(['doctor'], { env: demoEnv(sim, { PARTNER_CENTER_GRAPH_TOKEN: 'graph-token' }) });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/Graph relationships.*HTTP 403 Authorization_RequestDenied/);
    expect(r.stdout).toMatch(/the partner admin must act: grant the app the delegated Microsoft Graph permission DelegatedAdminRelationship\.Read\.All/);
  });
});
