import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, copyDesiredState, replaced } from './helpers/demo.js';
import { blockerCodes, gapEnv } from './helpers/read-gaps.js';
import { writeRequests } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** The demo desired state with `country: GB` in pcsync.yaml (the simulator serves the US catalogue). */
const gbState = () => copyDesiredState((f) => void (f['pcsync.yaml'] = replaced(f['pcsync.yaml']!, /^country: US$/m, 'country: GB')));

describe('pcsync.yaml names a market whose catalogue cannot be read (country: GB)', () => {
  it('plan names the catalogue failure (country, reply) instead of blaming the SKU', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { otherCountry: 'refuse' } } });
    const dir = gbState();
    const json = await runCli(['plan', '--dir', dir, '--format', 'json'], { env: gapEnv(sim) });
    expect(json.code, json.stderr).toBe(3);
    expect(blockerCodes(json.stdout)).toEqual({ [FABRIKAM]: ['catalogue-unreadable'], [CONTOSO]: ['catalogue-unreadable'] });
    const text = await runCli(['plan', '--dir', dir], { env: gapEnv(sim) });
    expect(text.stdout).toMatch(/offer catalogue for country GB could not be read: GET \/v1\/offers: .*code 2030/);
    expect(text.stdout).not.toMatch(/set skuId|sku-unknown/);
    expect(writeRequests(sim.audit.entries)).toEqual([]);
  });

  it('an empty catalogue (what a market with no offers answers) is unknown too, not "no offers"', async () => {
    sim = await startSim({ scenario: 'demo' });
    const text = await runCli(['plan', '--dir', gbState()], { env: gapEnv(sim) });
    expect(text.code, text.stderr).toBe(3);
    expect(text.stdout).toMatch(/catalogue-unreadable: .*offer catalogue for country GB is empty/);
  });

  it('import refuses to write a file it cannot ground, naming the catalogue read; never "Nobody holds its licence"', async () => {
    for (const otherCountry of ['refuse', 'empty'] as const) {
      sim = await startSim({ scenario: 'demo', options: { readGaps: { otherCountry } } });
      const out = join(mkdtempSync(join(tmpdir(), 'pcsync-import-')), 'contoso.yaml');
      const res = await runCli(['import', '--customer', CONTOSO, '--dir', gbState(), '--out', out], { env: gapEnv(sim) });
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stderr).toMatch(/nothing written: the offer catalogue for country GB (could not be read|is empty)/);
      expect(res.stdout + res.stderr).not.toMatch(/Nobody holds/);
      expect(existsSync(out)).toBe(false);
      await sim.close();
    }
  });

  it('report learns the retired SKU from the provisioning status and counts the real holders', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { otherCountry: 'refuse' } } });
    const res = await runCli(['report', '--dir', gbState(), '--format', 'json'], { env: gapEnv(sim) });
    expect(res.code, res.stderr).toBe(0);
    const rows = JSON.parse(res.stdout).rows.map((r: { customerId: string; assignedUsers?: number }) => [r.customerId, r.assignedUsers]);
    expect(rows).toEqual([[FABRIKAM, 3], [CONTOSO, 5]]);
  });

  it('report exits non-zero and names the failed reads when the SKU cannot be learned at all; never "?"', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { otherCountry: 'refuse', provisioningStatus: 'refuse' } } });
    const res = await runCli(['report', '--dir', gbState()], { env: gapEnv(sim) });
    expect(res.code).toBe(1);
    expect(res.stdout).not.toContain('?');
    expect(res.stdout).toMatch(/Contoso Ltd .* 5 +unknown +Dynamics 365 for Sales/);
    expect(res.stderr).toMatch(/could not read Contoso Ltd .*licence SKU of subscription A1B2C3D4-0000-4000-8000-000000000101 .* is unknown \(offer .* in country GB: .*code 800070.*provisioning status: .*code 900150/);
    expect(res.stderr).toMatch(/incomplete — 2 read\(s\) failed or were refused/);
  });
});
