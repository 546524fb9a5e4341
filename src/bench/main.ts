import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runFleet, type FleetRunResult } from './run-fleet.js';

/**
 * `npm run bench`: migrates generated fleets of 100 and 1,000 customers (5–50 licence holders each) through the
 * real CLI against the simulator, which throttles at Partner Center's published 500 requests/minute and answers
 * with a real-world latency, both on a clock running TIME_SCALE times faster. Prints API calls vs the computed
 * minimum, wall time vs the rate-limit lower bound (calls ÷ allowed rate), peak memory, the speed-up over the same
 * migration one customer at a time, and 429s received; writes the figures to bench-results.json.
 */
const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const env = process.env;
const sizes = (env.PCSYNC_BENCH_SIZES ?? '100,1000').split(',').map(Number);
const timeScale = Number(env.PCSYNC_BENCH_TIME_SCALE ?? 40);
const concurrency = Number(env.PCSYNC_BENCH_CONCURRENCY ?? 16);
const common = { timeScale, perMinute: 500, latencyMs: 300, seed: 7, cli: join(root, 'dist/cli/main.js') };

const mb = (b?: number) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MB`);
const sec = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const pct = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)}%`;

function print(label: string, r: FleetRunResult): void {
  console.log(`\n${label}: ${r.customers} customers, concurrency ${r.concurrency}, exit ${r.exitCode}`);
  console.log(`  API calls          ${r.calls} vs minimum ${r.minimumCalls}  (${pct(r.calls, r.minimumCalls)} over)`);
  console.log(`  wall time          ${sec(r.wallMs)} vs rate-limit bound ${sec(r.boundMs)}  (${pct(r.wallMs, r.boundMs)} over; bound = calls ÷ ${500 * timeScale}/min)`);
  console.log(`  peak RSS (CLI)     ${mb(r.peakRssBytes)}  (${r.peakRssBytes ? ((r.peakRssBytes / r.customers) / 1024).toFixed(0) : 'n/a'} KB per customer)`);
  console.log(`  429s received      ${r.throttled}`);
  console.log(`  safety             max orders per customer ${r.ordersMax}, users ever unlicensed ${r.usersEverUnlicensed}`);
}

async function main(): Promise<number> {
  console.log(`pcsync bench: time scale ×${timeScale} (500/min → ${500 * timeScale}/min, 300 ms latency → ${Math.round(300 / timeScale)} ms)`);
  const results: Record<string, FleetRunResult> = {};
  for (const n of sizes) {
    results[`concurrent-${n}`] = await runFleet({ ...common, customers: n, concurrency });
    print('Concurrent', results[`concurrent-${n}`]!);
  }
  const baselineSize = sizes[0]!;
  const sequential = await runFleet({ ...common, customers: baselineSize, concurrency: 1 });
  results[`sequential-${baselineSize}`] = sequential;
  print('One customer at a time (baseline)', sequential);
  const concurrent = results[`concurrent-${baselineSize}`]!;
  const speedup = sequential.wallMs / concurrent.wallMs;
  console.log(`\nSpeed-up at ${baselineSize} customers: ${speedup.toFixed(2)}× (one at a time ${sec(sequential.wallMs)} → concurrent ${sec(concurrent.wallMs)})`);
  const [small, large] = [results[`concurrent-${sizes[0]}`], results[`concurrent-${sizes.at(-1)}`]];
  if (small?.peakRssBytes && large?.peakRssBytes && small !== large) {
    console.log(`Memory: ${large.customers / small.customers}× the customers → ${(large.peakRssBytes / small.peakRssBytes).toFixed(2)}× the peak RSS`);
  }
  const out = join(root, 'bench-results.json');
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), timeScale, concurrency, results, speedup }, null, 2)}\n`);
  console.log(`Results written to ${out}`);
  return Object.values(results).every((r) => r.exitCode === 0) ? 0 : 1;
}

process.exitCode = await main();
