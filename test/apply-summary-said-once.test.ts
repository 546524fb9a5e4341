import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, copyDesiredState, demoEnv } from './helpers/demo.js';
import { SKU } from '../src/sim/scenarios/catalog.js';
import { ENTRA_ROLE } from '../src/partner-center/gdap-roles.js';
import { DEFAULT_GDAP_GROUP } from '../src/sim/gdap.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** plan --out, then apply plan.json (text output): the apply's stdout. */
async function reviewedApply(env: Record<string, string>): Promise<string> {
  const dir = copyDesiredState();
  const work = mkdtempSync(join(tmpdir(), 'pcsync-once-'));
  const planFile = join(work, 'plan.json');
  const e = demoEnv(sim, { PCSYNC_STATE_DIR: join(work, 'state'), PCSYNC_POLL_MS: '20', PCSYNC_RETRY_BASE_MS: '10', ...env });
  await runCli(['plan', '--dir', dir, '--out', planFile], { env: e });
  const hash = String(JSON.parse(readFileSync(planFile, 'utf8')).actionsHash);
  return (await runCli(['apply', planFile, '--dir', dir, '--approved-hash', hash], { env: e, timeoutMs: 120_000 })).stdout;
}

describe('the apply summary says each thing once', () => {
  it('a blocked customer is named once on its line (not "Contoso Ltd (id): Contoso Ltd (id):")', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.directoryReaders] }] } } } } });
    const out = await reviewedApply({ PARTNER_CENTER_GRAPH_TOKEN: 'graph-token' });
    expect(out).toMatch(/skipped-blocked\s+Contoso Ltd \(8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d\): Partner Center will refuse/);
    expect(out).not.toMatch(/Contoso Ltd \(8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d\): Contoso Ltd \(8f2b1c3d/);
  });

  it('the same refusal of several users’ licence moves is one line with the user count, not a paragraph per user', async () => {
    const scenario = loadScenario('demo');
    // Every Contoso user's old licence comes from a group: each move is refused alike (400 60000, per user).
    for (const u of scenario.customers.find((c) => c.id === CONTOSO)!.users) u.groupLicenses = [SKU.retiredSales];
    sim = await startSim({ scenario });
    const out = await reviewedApply({});
    const section = out.slice(out.indexOf("Needs attention"));
    expect(section).toMatch(/failed-terminal\s+\d licence move\(s\) \([^)]*alice@contoso\.onmicrosoft\.com, bob@contoso\.onmicrosoft\.com[^)]*\), each: <user>: licence assigned through a group/);
    expect(section.match(/licence assigned through a group/g)?.length).toBeLessThanOrEqual(2);
  });
});
