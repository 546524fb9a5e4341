import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, FABRIKAM, demoEnv, repoRoot } from './helpers/demo.js';
import { ordersPerCustomer, writeRequests } from '../src/sim/invariants.js';
import { shardOf } from '../src/cli/shard.js';

/**
 * Issue 11, kind 1: `apply plan.json --customer <id>` and `--shard i/n` apply only the selected customers of the
 * saved plan and say so in the summary; they never silently apply every customer in the file.
 */
let sim: StartedSim;
let planFile: string;
beforeEach(async () => {
  sim = await startSim({ scenario: 'demo' });
  planFile = join(mkdtempSync(join(tmpdir(), 'pcsync-select-')), 'plan.json');
  const plan = await runCli(['plan', '--out', planFile], { env: demoEnv(sim), cwd: repoRoot });
  expect(plan.code, plan.stderr).toBe(2);
});
afterEach(async () => sim?.close());

async function apply(args: string[]) {
  const mark = sim.audit.entries.length;
  const res = await runCli(['apply', planFile, ...args], { env: demoEnv(sim), cwd: repoRoot });
  return { ...res, entries: sim.audit.entries.slice(mark) };
}

const touched = (entries: Parameters<typeof writeRequests>[0]) => [...new Set(writeRequests(entries).map((e) => (e.path.includes(CONTOSO) ? CONTOSO : e.path.includes(FABRIKAM) ? FABRIKAM : e.path)))].sort();

describe('apply plan.json with a customer selection', () => {
  it('--customer <id> applies only that customer and the summary names the ones not touched', async () => {
    const res = await apply(['--customer', CONTOSO]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(touched(res.entries)).toEqual([CONTOSO]);
    expect(ordersPerCustomer(res.entries)).toEqual({ [CONTOSO]: 1 });
    expect(res.stdout).toContain(`Applied only the 1 customer(s) of ${planFile} selected by --customer ${CONTOSO}; 1 other customer(s) in the plan were not touched: ${FABRIKAM}`);
  });

  it('--shard i/2 applies only the customers of that shard, each shard its own', async () => {
    const shard = shardOf(FABRIKAM, 2);
    expect(shardOf(CONTOSO, 2)).not.toBe(shard); // the demo's two customers fall in different shards
    const first = await apply(['--shard', `${shard}/2`]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(touched(first.entries)).toEqual([FABRIKAM]);
    expect(first.stdout).toContain(`selected by --shard ${shard}/2; 1 other customer(s) in the plan were not touched: ${CONTOSO}`);

    const second = await apply(['--shard', `${3 - shard}/2`]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(touched(second.entries)).toEqual([CONTOSO]);
  });

  it('--customer naming a customer the plan does not contain is refused before any request', async () => {
    const narrow = join(mkdtempSync(join(tmpdir(), 'pcsync-select-')), 'contoso.json');
    const plan = await runCli(['plan', '--customer', CONTOSO, '--out', narrow], { env: demoEnv(sim), cwd: repoRoot });
    expect(plan.code, plan.stderr).toBe(2);
    const mark = sim.audit.entries.length;
    const res = await runCli(['apply', narrow, '--customer', FABRIKAM], { env: demoEnv(sim), cwd: repoRoot });
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toContain(`--customer ${FABRIKAM}: not in ${narrow}`);
    expect(sim.audit.entries.slice(mark)).toEqual([]);
  });
});
