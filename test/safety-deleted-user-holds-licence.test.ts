import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, SKU, repoRoot } from './helpers/demo.js';
import { onAudit } from './helpers/safety.js';
import { blockerCodes, gapEnv, suspendsAt } from './helpers/read-gaps.js';
import { suspendsWithConsumedUnits, writeRequests } from '../src/sim/invariants.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

describe('a deleted user still holds the retired licence', () => {
  it('plan re-checks, then blocks that customer with the numbers that disagree and the likely cause; apply writes nothing there', async () => {
    // erin was deleted from Contoso's directory but keeps her licence: 5 consumed, 4 holders to be found.
    sim = await startSim({ scenario: 'demo', options: { readGaps: { deletedUsers: ['erin@contoso.onmicrosoft.com'] } } });
    const env = gapEnv(sim);
    const json = await runCli(['plan', '--format', 'json'], { env, cwd: repoRoot });
    expect(json.code, json.stderr).toBe(3);
    expect(blockerCodes(json.stdout)).toEqual({ [FABRIKAM]: [], [CONTOSO]: ['holders-unknown'] });
    const text = await runCli(['plan'], { env, cwd: repoRoot });
    expect(text.stdout).toMatch(
      new RegExp(`Partner Center counts 5 consumed unit\\(s\\) of SKU ${SKU.oldSales}, but the licences of 6 of 6 user\\(s\\) show 4 holder\\(s\\) \\(1 missing, still after re-reading the counts\\)`),
    );
    expect(text.stdout).toMatch(/likely causes: a deleted user who still holds the licence/);
    // the counts were re-read (bounded) before giving up
    const skuReads = sim.audit.requests().filter((r) => r.customerId === CONTOSO && r.path.endsWith('/subscribedskus'));
    expect(skuReads.length).toBe(2 * 4);

    const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
    expect(apply.code).toBe(4);
    expect(writeRequests(sim.audit.entries).filter((w) => w.customerId === CONTOSO)).toEqual([]);
  });

  it('deleted after the plan: the suspend guard re-checks, then stops with the counts and the deleted user as likely cause', async () => {
    sim = await startSim({ scenario: 'demo' });
    // Right after the last move, frank gets the old licence and is deleted from the directory.
    let moves = 0;
    onAudit(sim, (e) => {
      if (e.type !== 'licenses-changed' || e.customerId !== CONTOSO || ++moves !== 5) return;
      const frank = sim.state.customer(CONTOSO)!.users.find((u) => u.upn.startsWith('frank@'))!;
      frank.licenses.push(SKU.oldSales);
      frank.deleted = true;
    });
    const apply = await runCli(['apply', '--auto-approve'], { env: gapEnv(sim), cwd: repoRoot });
    expect(apply.code, apply.stdout + apply.stderr).toBe(4);
    expect(suspendsAt(sim, CONTOSO)).toEqual([]);
    expect(suspendsWithConsumedUnits(sim.audit.entries)).toEqual([]);
    expect(apply.stdout).toMatch(/not suspended: Partner Center still counts 1 consumed unit\(s\) .* after 3 re-reads .*, but the licences of 6 of 6 user\(s\) show 0 holder\(s\): the 1 other unit\(s\) are likely held by a deleted user/);
  });

  it('import refuses to write a file that would name too few holders', async () => {
    sim = await startSim({ scenario: 'demo', options: { readGaps: { deletedUsers: ['erin@contoso.onmicrosoft.com'] } } });
    const out = join(mkdtempSync(join(tmpdir(), 'pcsync-import-')), 'contoso.yaml');
    const res = await runCli(['import', '--customer', CONTOSO, '--out', out], { env: gapEnv(sim), cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toMatch(/nothing written for Contoso Ltd [\s\S]*Partner Center counts 5 consumed unit\(s\) .* show 4 holder\(s\)/);
    expect(existsSync(out)).toBe(false);
  });
});
