import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateFleet, runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, demoEnv, repoRoot } from './helpers/demo.js';
import { writeFleetDesired } from './helpers/fleet-desired.js';
import { shardOf } from '../src/cli/shard.js';
import { sealPlanJson } from '../src/apply/plan-file.js';
import { unpackPlan } from '../src/apply/plan-pack.js';
import { actionsHashOf } from '../src/plan/actions-hash.js';
import type { CustomerPlan } from '../src/plan/types.js';

/** Issue 27, "Selections": what `--customer`, `--shard` and `--approved-hash` select, and what apply says about it. */
let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function demoPlan(): Promise<{ sim: StartedSim; file: string }> {
  sim = await startSim({ scenario: 'demo' });
  const file = join(mkdtempSync(join(tmpdir(), 'pcsync-select-')), 'plan.json');
  const plan = await runCli(['plan', '--out', file], { env: demoEnv(sim), cwd: repoRoot });
  expect(plan.code, plan.stderr).toBe(2);
  return { sim, file };
}

describe('selections that select nothing, or select oddly, are refused by name before any request', () => {
  it('--customer with a --shard that holds none of the named customers exits 1 on plan and apply', async () => {
    const { sim, file } = await demoPlan();
    const other = `${3 - shardOf(CONTOSO, 2)}/2`;
    const mark = sim.audit.entries.length;
    for (const args of [['plan'], ['apply', '--auto-approve'], ['apply', file]]) {
      const res = await runCli([...args, '--customer', CONTOSO, '--shard', other], { env: demoEnv(sim), cwd: repoRoot });
      expect(res.code, `${args.join(' ')}: ${res.stdout}${res.stderr}`).toBe(1);
      expect(res.stderr).toContain(`--customer ${CONTOSO} with --shard ${other}: selects no customer`);
      expect(res.stderr).toContain(`${CONTOSO} is in shard ${shardOf(CONTOSO, 2)}/2`);
    }
    expect(sim.audit.entries.slice(mark)).toEqual([]);
  });

  it('--shard alone may be empty (a CI matrix with more shards than customers): exit 0, no changes', async () => {
    sim = await startSim({ scenario: 'demo' });
    const shards = new Set([shardOf(CONTOSO, 50), shardOf(FABRIKAM, 50)]);
    const empty = [...Array(50).keys()].map((i) => i + 1).find((i) => !shards.has(i))!;
    const res = await runCli(['plan', '--shard', `${empty}/50`], { env: demoEnv(sim), cwd: repoRoot });
    expect([res.code, res.stderr]).toEqual([0, '']);
  });

  it('a plan naming one customer twice is refused naming that customer, not with a lock message', async () => {
    const { sim, file } = await demoPlan();
    const data = unpackPlan(JSON.parse(readFileSync(file, 'utf8'))) as { customers: CustomerPlan[]; actionsHash: string };
    const contoso = data.customers.find((c) => c.customerId === CONTOSO)!;
    data.customers.push(contoso);
    data.actionsHash = actionsHashOf(data.customers); // a careful editor recomputes both hashes
    writeFileSync(file, sealPlanJson(JSON.stringify(data)));
    const mark = sim.audit.entries.length;
    for (const args of [['apply', file], ['show', file]]) {
      const res = await runCli(args, { env: demoEnv(sim), cwd: repoRoot });
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stderr).toContain(`${file}: names customer ${CONTOSO} twice`);
      expect(res.stderr).not.toMatch(/lock/i);
    }
    expect(sim.audit.entries.slice(mark)).toEqual([]);
  });

  it('an empty or malformed --approved-hash gets its own message, not "not the approved hash"', async () => {
    const { sim, file } = await demoPlan();
    const mark = sim.audit.entries.length;
    const empty = await runCli(['apply', file, '--approved-hash', ''], { env: demoEnv(sim), cwd: repoRoot });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('--approved-hash is empty');
    expect(empty.stderr).not.toContain('is not the approved');
    const odd = await runCli(['apply', file, '--approved-hash', '00d7'], { env: demoEnv(sim), cwd: repoRoot });
    expect(odd.code).toBe(1);
    expect(odd.stderr).toContain('--approved-hash "00d7": expected sha256: and 64 hexadecimal digits');
    expect(sim.audit.entries.slice(mark)).toEqual([]);
  });
});

describe('apply --customer names the customers it did not touch as a count and a short list', () => {
  it('8 customers in the plan, 1 applied: "7 other customer(s)", five ids, "and 2 more"', async () => {
    const scenario = generateFleet({ customers: 8, usersMin: 1, usersMax: 2, seed: 3 });
    sim = await startSim({ scenario });
    const dir = writeFleetDesired(scenario);
    const file = join(dir, 'plan.json');
    const env = { ...demoEnv(sim), PCSYNC_POLL_MS: '20' };
    const plan = await runCli(['plan', '--dir', dir, '--out', file], { env, cwd: dir });
    expect(plan.code, plan.stderr).toBe(2);
    const [first, ...others] = scenario.customers.map((c) => c.id);
    const res = await runCli(['apply', file, '--dir', dir, '--customer', first!], { env, cwd: dir });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const line = res.stdout.split('\n').find((l) => l.includes('not touched'))!;
    expect(line).toMatch(/7 other customer\(s\) in the plan were not touched: (\S+, ){4}\S+ and 2 more \(--json lists them all\)\.$/);
    const named = others.filter((id) => line.includes(id));
    expect(named).toHaveLength(5);

    const json = await runCli(['apply', file, '--dir', dir, '--customer', others[0]!, '--json'], { env, cwd: dir });
    const selection = json.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'selection');
    expect(selection.notTouched).toHaveLength(7);
  });
});
