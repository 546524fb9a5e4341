import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from './sim.js';
import { demoEnv } from './demo.js';
import { readSavedPlan } from '../../src/apply/plan-file.js';

/** One customer's line of `apply --json`'s customer-end events. */
export interface CustomerEnd {
  readonly customerId: string;
  readonly displayName: string;
  readonly outcome: string;
  readonly message: string;
}

/** What the reviewed path did: the plan run, the apply run and each customer's outcome. */
export interface ReviewedRun {
  readonly plan: CliResult;
  readonly apply: CliResult;
  readonly planFile: string;
  readonly actionsHash: string;
  readonly customers: readonly CustomerEnd[];
}

/** A fresh desired-state directory with only `pcsync.yaml` (country US unless given), for `import --all` or hand-written files. */
export function emptyDesiredState(partnerYaml = 'apiVersion: pcsync/v1\nkind: PartnerConfig\ncountry: US\n'): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-reviewed-'));
  mkdirSync(join(dir, 'customers'));
  writeFileSync(join(dir, 'pcsync.yaml'), partnerYaml);
  return dir;
}

/**
 * `pcsync import --all` into `dir` (read-only); throws with its output when it fails — or, with `partial`, only
 * when it wrote nothing (a customer it cannot ground is left out, exit 1).
 */
export async function importAll(sim: { url: string }, dir: string, opts: { partial?: boolean } = {}): Promise<void> {
  const r = await runCli(['import', '--all', '--dir', dir], { env: demoEnv(sim) });
  const ok = r.code === 0 || (opts.partial && r.code === 1 && /[1-9]\d* file\(s\) written/.test(r.stderr));
  if (!ok) throw new Error(`import --all failed (${r.code}): ${r.stderr}`);
}

/** Purchases that place an order (`mode: new`) per customer id, from a saved plan file. */
export function newOrdersPlanned(planFile: string): Record<string, number> {
  const plan = readSavedPlan(planFile, planFile);
  const out: Record<string, number> = {};
  for (const c of plan.customers) {
    const n = c.actions.filter((a) => a.kind === 'purchase' && a.mode === 'new').length;
    if (n > 0) out[c.customerId] = n;
  }
  return out;
}

/**
 * The path partners run in CI: `plan --out plan.json` (the pull request), then `apply plan.json --approved-hash
 * <its actions hash> --json` (the merge), with `between` run in between (nothing by default). Same state
 * directory for both runs.
 */
export async function planThenApplySaved(
  sim: { url: string },
  dir: string,
  opts: { env?: Record<string, string>; between?: (planFile: string) => Promise<void> | void } = {},
): Promise<ReviewedRun> {
  const work = mkdtempSync(join(tmpdir(), 'pcsync-saved-'));
  const planFile = join(work, 'plan.json');
  const env = demoEnv(sim, { PCSYNC_STATE_DIR: join(work, 'state'), PCSYNC_POLL_MS: '20', PCSYNC_RETRY_BASE_MS: '10', ...opts.env });
  const plan = await runCli(['plan', '--dir', dir, '--out', planFile], { env });
  if (plan.code !== 2 && plan.code !== 3) throw new Error(`plan did not propose changes (exit ${plan.code}): ${plan.stdout}${plan.stderr}`);
  const actionsHash = String(JSON.parse(readFileSync(planFile, 'utf8')).actionsHash);
  await opts.between?.(planFile);
  const apply = await runCli(['apply', planFile, '--dir', dir, '--approved-hash', actionsHash, '--json'], { env, timeoutMs: 120_000 });
  const customers = apply.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string } & CustomerEnd)
    .filter((e) => e.type === 'customer-end');
  return { plan, apply, planFile, actionsHash, customers };
}

/** Customers of a run by outcome. */
export function byOutcome(run: ReviewedRun, outcome: string): CustomerEnd[] {
  return run.customers.filter((c) => c.outcome === outcome);
}
