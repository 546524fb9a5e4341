import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runFleet, type FleetRunResult } from './run-fleet.js';
import { runPlanOut, type PlanOutResult } from './plan-out.js';
import { RENDER_FORMATS, type RenderFormat } from '../render/index.js';
import { envNumber, invalid, type Env } from '../core/env.js';
import { UserError } from '../core/errors.js';

/**
 * `npm run bench`: migrates generated fleets (default 100, 1,000 and 5,000 customers, 5–50 licence holders each)
 * through the real CLI against the simulator, which throttles the documented API class at Partner Center's
 * published 500 requests/minute and answers with a real-world latency and provisioning time, all on a clock
 * running TIME_SCALE times faster. Per fleet it prints calls vs the minimum, wall time vs the documented bound
 * and vs the old all-calls bound, 429s, peak RSS and CPU per request; for the fleets in PCSYNC_BENCH_SINGLE_SIZES
 * it runs the same fleet with the old single-class limiter — at its own, higher time scale
 * (PCSYNC_BENCH_SINGLE_TIME_SCALE), since it is bound by all calls at the documented rate and would otherwise take
 * most of the bench's time — and prints the speed-up in real-time-equivalent wall (wall × its time scale).
 * Then `plan --out` at 1,000 and 5,000 customers in every format, printing the CLI's peak RSS and the ratio
 * between the two sizes (PCSYNC_BENCH_PLAN_OUT_SIZES; `npm run bench -- plan-out` runs only this part).
 * Writes bench-results.json.
 *
 * Beside those tuned runs (`concurrency` PCSYNC_BENCH_CONCURRENCY) it runs the same fleets with pcsync's DEFAULT
 * settings (no `concurrency` in pcsync.yaml: the controller chooses, concurrency.ts) and, for the fleets in
 * PCSYNC_BENCH_SHARED_SIZES, with defaults against a simulator that limits every endpoint under the one
 * partner-wide budget (`throttle.classes: 'all'`; its bound is all calls ÷ the rate, so it runs at its own time
 * scale, PCSYNC_BENCH_SHARED_TIME_SCALE). Each prints wall ÷ its bound, 429 %, peak RSS and documented calls per
 * customer.
 *
 * With defaults it also runs the reviewed path for the fleets in PCSYNC_BENCH_REVIEWED_SIZES (100,1000): `plan --out`,
 * then `apply plan.json --approved-hash`, measuring the apply alone (it re-reads each customer before acting).
 * Every run also prints wall ÷ the pipeline floor: the last purchase cannot come before every customer's documented
 * calls up to its purchase have gone at the rate, and it still provisions after that — a floor the documented
 * bound (all documented calls ÷ the rate) does not see, and which dominates a small fleet.
 *
 * The `real-pace` part runs the fleets in PCSYNC_BENCH_REAL_PACE_SIZES (100) with defaults at time scale ×1: what the
 * simulator does not scale — the CLI's start before its first request, its CPU per request — weighs 12× more at ×12
 * than against Partner Center's own pace, and in a 100-customer run (a 6-second job at ×12) that is the difference
 * between the ratios. Every run prints its first request's delay after the spawn.
 *
 * Environment: PCSYNC_BENCH_PARTS (which runs: tuned,single,defaults,reviewed,shared,real-pace,plan-out; default all), PCSYNC_BENCH_SIZES
 * (100,1000,5000), PCSYNC_BENCH_SINGLE_SIZES (100,1000), PCSYNC_BENCH_SHARED_SIZES (1000), PCSYNC_BENCH_TIME_SCALE
 * (12), PCSYNC_BENCH_SINGLE_TIME_SCALE (60), PCSYNC_BENCH_SHARED_TIME_SCALE (60), PCSYNC_BENCH_CONCURRENCY
 * (customers at once in the tuned runs, 128), PCSYNC_BENCH_OTHER_PER_MINUTE (hidden limit on the other APIs, real
 * requests/minute; default none). E.g. `PCSYNC_BENCH_PARTS=defaults PCSYNC_BENCH_SIZES=1000 npm run bench` runs
 * one fleet.
 * PCSYNC_BENCH_PLAN_OUT_SIZES (1000,5000; empty = none), PCSYNC_BENCH_PLAN_OUT_FORMATS (text,json,markdown),
 * PCSYNC_BENCH_REAL_PACE_SIZES (100; empty = none).
 */
/** The runs the bench can make (PCSYNC_BENCH_PARTS). */
const PARTS = ['tuned', 'single', 'defaults', 'reviewed', 'shared', 'real-pace', 'plan-out'] as const;
const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const { parts, sizes, singleSizes, sharedSizes, reviewedSizes, realPaceSizes, timeScale, singleTimeScale, sharedTimeScale, concurrency, otherPerMinute, planOutSizes, planOutFormats } = settings(process.env);
/** `npm run bench -- plan-out`: only the `plan --out` memory measurement. */
const onlyPlanOut = process.argv[2] === 'plan-out';
const common = { timeScale, concurrency, perMinute: 500, otherPerMinute, latencyMs: 300, provisioningMs: 30_000, seed: 7, cli: join(root, 'dist/cli/main.js') };

const mb = (b?: number) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MB`);
const sec = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function print(label: string, r: FleetRunResult, scale: number): void {
  console.log(`\n${label}: ${r.customers} customers, limiter ${r.limiter}, concurrency ${r.concurrency}, simulator limits ${r.simClasses === 'all' ? 'every endpoint under one budget' : 'the documented class'}, time scale ×${scale}, exit ${r.exitCode}`);
  console.log(
    `  API calls          ${r.calls} vs minimum ${r.minimumCalls} (${times(r.calls, r.minimumCalls)}); vs the design card's model ${r.designCardMinimumCalls} ` +
      `(${times(r.calls, r.designCardMinimumCalls)}); documented class ${r.documentedCalls} = ${r.documentedPerCustomer.toFixed(2)} per customer`,
  );
  console.log(
    `  wall time          ${sec(r.wallMs)} = ${times(r.wallMs, r.documentedBoundMs)} the documented bound ${sec(r.documentedBoundMs)} ` +
      `(max of ${r.documentedCalls} documented calls ÷ ${500 * scale}/min and the longest customer's serial path ${sec(r.longestPathMs)})`,
  );
  console.log(`                     = ${times(r.wallMs, r.allCallsBoundMs)} the old all-calls bound ${sec(r.allCallsBoundMs)}${r.simClasses === 'all' ? ' (the bound of this service)' : ''}`);
  if (r.simClasses !== 'all') console.log(
    `                     = ${times(r.wallMs, r.pipelineFloorMs)} the pipeline floor ${sec(r.pipelineFloorMs)} (the last purchase no sooner than every customer's documented calls up to its purchase ÷ the rate, then provisioning and that customer's last calls)`,
  );
  if (r.planDocumentedPerCustomer !== undefined) console.log(`  reviewed path      measured: apply plan.json --approved-hash alone; its plan --out before it made ${r.planDocumentedPerCustomer.toFixed(2)} documented calls per customer`);
  if (r.pace) console.log(`  pace               ${r.pace}`);
  if (r.firstRequestMs !== undefined) console.log(`  start              first request ${r.firstRequestMs.toFixed(0)} ms after the CLI was spawned${scale > 1 ? ` (not scaled: ${sec(r.firstRequestMs * scale)} at Partner Center's pace, ${((100 * r.firstRequestMs) / r.documentedBoundMs).toFixed(1)} % of this bound)` : ''}`);
  console.log(`  429s               ${r.throttled} (${((100 * r.throttled) / r.calls).toFixed(2)} % of calls)`);
  console.log(`  peak RSS (CLI)     ${mb(r.peakRssBytes)}  (${r.peakRssBytes ? (r.peakRssBytes / r.customers / 1024).toFixed(0) : 'n/a'} KB per customer)`);
  console.log(`  CPU (CLI)          ${r.cpuMs === undefined ? 'n/a' : `${sec(r.cpuMs)} = ${(r.cpuMs / r.calls).toFixed(2)} ms per request`}`);
  console.log(`  CPU (simulator)    ${sec(r.simCpuMs)} = ${(r.simCpuMs / r.calls).toFixed(2)} ms per request`);
  console.log(`  safety             max orders per customer ${r.ordersMax}, users ever unlicensed ${r.usersEverUnlicensed}`);
}

async function main(): Promise<number> {
  const scaleText = (k: number) => `×${k} (documented class 500/min → ${500 * k}/min, 300 ms latency → ${Math.round(300 / k)} ms, 30 s provisioning → ${sec(30_000 / k)})`;
  if (!onlyPlanOut) console.log(`pcsync bench: parts ${[...parts].join(', ')}; time scale ${scaleText(timeScale)}; tuned runs at concurrency ${concurrency}`);
  if (!onlyPlanOut && singleSizes.size > 0) console.log(`single-class comparison runs at time scale ${scaleText(singleTimeScale)}`);
  const results: Record<string, FleetRunResult> = {};
  const speedups: Record<string, SpeedUp> = {};
  const planOut: PlanOutResult[] = [];
  const out = join(root, 'bench-results.json');
  // written after every run, so a long benchmark cut short still leaves its figures
  const save = () => writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), parts: [...parts], timeScale, singleTimeScale, sharedTimeScale, concurrency, otherPerMinute, results, speedups, planOut }, null, 2)}\n`);
  const table: string[] = [];
  const row = (label: string, r: FleetRunResult) =>
    table.push(
      `| ${r.customers.toLocaleString('en-US')} | ${label} | ${r.wallOverBound.toFixed(2)}× | ${r.simClasses === 'all' ? '—' : `${(r.wallMs / r.pipelineFloorMs).toFixed(2)}×`} | ${((100 * r.throttled) / r.calls).toFixed(2)} % | ${mb(r.peakRssBytes)} | ${r.documentedPerCustomer.toFixed(2)} | ${r.exitCode} |`,
    );
  for (const n of onlyPlanOut ? [] : sizes) {
    if (parts.has('defaults')) {
      const d = (results[`defaults-${n}`] = await runFleet({ ...common, concurrency: undefined, customers: n, limiter: 'per-class' }));
      print('Defaults (no concurrency in pcsync.yaml)', d, timeScale);
      row('defaults', d);
      save();
    }
    if (parts.has('reviewed') && reviewedSizes.has(n)) {
      const v = (results[`reviewed-${n}`] = await runFleet({ ...common, concurrency: undefined, customers: n, limiter: 'per-class', path: 'reviewed' }));
      print('Defaults, the reviewed path (plan --out, then apply plan.json --approved-hash: the apply measured)', v, timeScale);
      row('defaults, apply plan.json', v);
      save();
    }
    if (parts.has('shared') && sharedSizes.has(n)) {
      const s = (results[`shared-${n}`] = await runFleet({ ...common, concurrency: undefined, timeScale: sharedTimeScale, simClasses: 'all', customers: n, limiter: 'per-class' }));
      print('Defaults, simulator limits every endpoint under one budget', s, sharedTimeScale);
      row(`defaults, one budget for every endpoint (×${sharedTimeScale})`, s);
      save();
    }
    if (!parts.has('tuned')) continue;
    const perClass = (results[`per-class-${n}`] = await runFleet({ ...common, customers: n, limiter: 'per-class' }));
    print('Limiter per API class', perClass, timeScale);
    row(`concurrency ${concurrency}`, perClass);
    save();
    if (!singleSizes.has(n) || !parts.has('single')) {
      console.log(`  speed-up           ≥ ${times(perClass.allCallsBoundMs, perClass.wallMs)} over the single-class limiter (its all-calls bound; not run at this size)`);
      continue;
    }
    const single = (results[`single-${n}`] = await runFleet({ ...common, timeScale: singleTimeScale, customers: n, limiter: 'single' }));
    print('Single-class limiter (before)', single, singleTimeScale);
    const up = (speedups[n] = speedUp(single.wallMs, singleTimeScale, perClass.wallMs, timeScale));
    save();
    console.log(
      `\nSpeed-up at ${n} customers: ${up.factor.toFixed(2)}× in real-time-equivalent wall: single class ${sec(single.wallMs)} at ×${singleTimeScale} = ${sec(up.singleRealMs)} ` +
        `→ per class ${sec(perClass.wallMs)} at ×${timeScale} = ${sec(up.perClassRealMs)}`,
    );
  }
  // The same fleet at Partner Center's own pace (×1): what is not scaled — the CLI's start, its CPU per request —
  // weighs what it does against the real service, not 12× that. A 100-customer run at ×12 is a 6-second job.
  for (const n of onlyPlanOut || !parts.has('real-pace') ? [] : realPaceSizes) {
    const p = (results[`real-pace-${n}`] = await runFleet({ ...common, timeScale: 1, concurrency: undefined, customers: n, limiter: 'per-class' }));
    print("Defaults at Partner Center's own pace (time scale ×1)", p, 1);
    row('defaults, real pace (×1)', p);
    save();
  }
  const [thousand, fiveThousand] = [results['per-class-1000'], results['per-class-5000']];
  if (thousand?.peakRssBytes && fiveThousand?.peakRssBytes) {
    console.log(`Memory: 5× the customers (1,000 → 5,000) → ${(fiveThousand.peakRssBytes / thousand.peakRssBytes).toFixed(2)}× the peak RSS`);
  }
  save();
  if (table.length > 0) console.log(['', '| customers | settings | wall ÷ bound | wall ÷ pipeline floor | 429s | peak RSS | documented calls per customer | exit |', '| --- | --- | --- | --- | --- | --- | --- | --- |', ...table].join('\n'));
  for (const n of parts.has('plan-out') || onlyPlanOut ? planOutSizes : []) {
    planOut.push(...(await runPlanOut(n, { cli: common.cli, seed: common.seed, formats: planOutFormats })));
    save();
  }
  printPlanOut(planOut);
  console.log(`Results written to ${out}`);
  return Object.values(results).every((r) => r.exitCode === 0) && planOut.every((r) => r.exitCode === 2) ? 0 : 1;
}

/** `plan --out` per format and size: peak RSS, what was written, and the largest size's peak over the smallest's. */
function printPlanOut(runs: readonly PlanOutResult[]): void {
  if (runs.length === 0) return;
  console.log(`\nplan --out plan.json --format <format> > rendering (unthrottled simulator; peak RSS is the CLI's own maxRSS; target ≤ 200 MB and ≤ 1.3× from 1,000 to 5,000)`);
  for (const r of runs) {
    console.log(
      `  ${String(r.customers).padStart(5)} customers  ${r.format.padEnd(8)} peak RSS ${mb(r.peakRssBytes).padStart(7)}  plan file ${mb(r.planFileBytes)}, stdout ${mb(r.stdoutBytes)}, ${sec(r.wallMs)}, exit ${r.exitCode}`,
    );
  }
  const sizesRun = [...new Set(runs.map((r) => r.customers))].sort((a, b) => a - b);
  if (sizesRun.length < 2) return;
  const [small, large] = [sizesRun[0]!, sizesRun[sizesRun.length - 1]!];
  for (const format of new Set(runs.map((r) => r.format))) {
    const a = runs.find((r) => r.customers === small && r.format === format)?.peakRssBytes;
    const b = runs.find((r) => r.customers === large && r.format === format)?.peakRssBytes;
    if (a && b) console.log(`  ${format.padEnd(8)} ${large}/${small} customers → ${(b / a).toFixed(2)}× the peak RSS`);
  }
}

/** The single-class limiter's wall over the per-class one, both in real-time-equivalent ms (wall × its time scale). */
interface SpeedUp {
  readonly factor: number;
  readonly singleRealMs: number;
  readonly singleTimeScale: number;
  readonly perClassRealMs: number;
  readonly perClassTimeScale: number;
}

function speedUp(singleWallMs: number, singleTimeScale: number, perClassWallMs: number, perClassTimeScale: number): SpeedUp {
  const singleRealMs = singleWallMs * singleTimeScale;
  const perClassRealMs = perClassWallMs * perClassTimeScale;
  return { factor: singleRealMs / perClassRealMs, singleRealMs, singleTimeScale, perClassRealMs, perClassTimeScale };
}

/** The bench's variables, checked like pcsync's own (`envNumber`): a bad value stops it with a message, no stack. */
function settings(env: Env) {
  try {
    const scale = (name: string, fallback: number) => envNumber(env, name, 'times faster than real time', { min: 1, max: 1000, fallback });
    const parts = new Set(env.PCSYNC_BENCH_PARTS?.trim() ? env.PCSYNC_BENCH_PARTS.split(',').map((p) => p.trim()).filter(Boolean) : PARTS);
    const unknown = [...parts].filter((p) => !(PARTS as readonly string[]).includes(p));
    if (unknown.length > 0) throw invalid('PCSYNC_BENCH_PARTS', env.PCSYNC_BENCH_PARTS ?? '', `a comma-separated list of ${PARTS.join(', ')}`, 'which runs');
    return {
      parts,
      sharedSizes: new Set(sizeList(env, 'PCSYNC_BENCH_SHARED_SIZES', '1000')),
      reviewedSizes: new Set(sizeList(env, 'PCSYNC_BENCH_REVIEWED_SIZES', '100,1000')),
      realPaceSizes: sizeList(env, 'PCSYNC_BENCH_REAL_PACE_SIZES', '100'),
      sharedTimeScale: scale('PCSYNC_BENCH_SHARED_TIME_SCALE', 60),
      sizes: sizeList(env, 'PCSYNC_BENCH_SIZES', '100,1000,5000'),
      singleSizes: new Set(sizeList(env, 'PCSYNC_BENCH_SINGLE_SIZES', '100,1000')),
      timeScale: scale('PCSYNC_BENCH_TIME_SCALE', 12),
      singleTimeScale: scale('PCSYNC_BENCH_SINGLE_TIME_SCALE', 60),
      concurrency: envNumber(env, 'PCSYNC_BENCH_CONCURRENCY', 'customers at once', { min: 1, max: 256, whole: true, fallback: 128 }),
      planOutSizes: sizeList(env, 'PCSYNC_BENCH_PLAN_OUT_SIZES', '1000,5000'),
      planOutFormats: formatList(env, 'PCSYNC_BENCH_PLAN_OUT_FORMATS'),
      otherPerMinute: envNumber(env, 'PCSYNC_BENCH_OTHER_PER_MINUTE', 'hidden limit on the other APIs', { min: 1, max: 1_000_000, zero: 'none', fallback: 0 }) || undefined,
    };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    process.stderr.write(`bench: ${err.message}\n`);
    process.exit(1);
  }
}

/** A comma-separated list of render formats (default all of them). */
function formatList(env: Env, name: string): RenderFormat[] {
  const raw = env[name]?.trim();
  if (!raw) return [...RENDER_FORMATS];
  const formats = raw.split(',').map((f) => f.trim());
  if (formats.some((f) => !(RENDER_FORMATS as readonly string[]).includes(f))) throw invalid(name, raw, `comma-separated formats (${RENDER_FORMATS.join(', ')})`, 'formats of plan --out to measure');
  return formats as RenderFormat[];
}

/** A comma-separated list of fleet sizes (whole numbers of customers). */
function sizeList(env: Env, name: string, fallback: string): number[] {
  const raw = env[name]?.trim() ?? fallback; // empty = none (e.g. no single-class comparison)
  const sizes = raw.split(',').filter(Boolean);
  if (sizes.some((n) => !/^\d+$/.test(n.trim()) || Number(n) < 1)) throw invalid(name, raw, 'comma-separated whole numbers of customers', 'fleet sizes to run');
  return sizes.map(Number);
}

process.exitCode = await main();
