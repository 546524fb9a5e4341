import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliResult } from './sim.js';
import { demoEnv } from './demo.js';

/**
 * The reviewed path partners run: `plan --out plan.json` (exit 2: changes pending), then `apply plan.json
 * --approved-hash <the plan's actions hash>` with nothing changed in between. Returns both runs and the hash.
 */
export async function planThenApply(sim: { url: string }, dir: string, env: Record<string, string> = {}): Promise<{ plan: CliResult; apply: CliResult; hash: string }> {
  const file = join(dir, 'plan.json');
  const plan = await runCli(['plan', '--dir', dir, '--out', file], { env: demoEnv(sim, env) });
  expect(plan.code, plan.stdout + plan.stderr).toBe(2);
  const hash = (JSON.parse(readFileSync(file, 'utf8')) as { actionsHash: string }).actionsHash;
  const apply = await runCli(['apply', file, '--dir', dir, '--approved-hash', hash], { env: demoEnv(sim, env) });
  return { plan, apply, hash };
}
