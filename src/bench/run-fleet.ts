import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet, startSim, writeFleetDesiredState } from '../sim/index.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../sim/invariants.js';
import { minimumCalls } from './minimum.js';
import { watchPeakRss } from './rss.js';

export interface FleetRunOptions {
  readonly customers: number;
  /** Customers worked on at once (pcsync.yaml `concurrency`); 1 = one customer at a time. */
  readonly concurrency: number;
  /** How many times faster than real time the simulated clock runs (rate limit and latency scale with it). */
  readonly timeScale: number;
  /** Published Partner Center limit, requests per minute per partner. */
  readonly perMinute: number;
  /** Real-world latency of one Partner Center call, scaled down by `timeScale` in the simulator. */
  readonly latencyMs: number;
  readonly seed: number;
  readonly cli: string;
}

export interface FleetRunResult {
  readonly customers: number;
  readonly concurrency: number;
  readonly exitCode: number | null;
  readonly calls: number;
  readonly minimumCalls: number;
  readonly wallMs: number;
  /** Calls ÷ allowed rate, in the simulator's scaled time. */
  readonly boundMs: number;
  readonly peakRssBytes?: number;
  readonly throttled: number;
  readonly ordersMax: number;
  readonly usersEverUnlicensed: number;
}

const USERS_PAGE = 100;

/** Generates a fleet, serves it, runs the real CLI (`apply --auto-approve`) against it and measures. */
export async function runFleet(o: FleetRunOptions): Promise<FleetRunResult> {
  const scenario = generateFleet({ customers: o.customers, usersMin: 5, usersMax: 50, seed: o.seed });
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-bench-'));
  writeFleetDesiredState(scenario, dir, { concurrency: o.concurrency });
  const scaledPerMinute = o.perMinute * o.timeScale;
  const sim = await startSim({
    scenario,
    options: {
      pageSize: USERS_PAGE,
      throttle: { perMinute: o.perMinute, timeScale: o.timeScale, retryAfter: 'fractional' },
      slowReplies: { ms: Math.max(1, Math.round(o.latencyMs / o.timeScale)) },
    },
  });
  try {
    const env = {
      ...process.env,
      PARTNER_CENTER_ENDPOINT: sim.url,
      PARTNER_CENTER_TOKEN: 'bench',
      PCSYNC_RATE_PER_MINUTE: String(scaledPerMinute),
      PCSYNC_POLL_MS: '20',
    };
    const started = performance.now();
    const child = spawn(process.execPath, [o.cli, 'apply', '--auto-approve', '--json', '--dir', dir], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const rss = watchPeakRss(child.pid!);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wallMs = performance.now() - started;
    const peakRssBytes = rss.stop();
    if (exitCode !== 0) process.stderr.write(`bench: apply exited ${exitCode}\n${stderr.slice(-2000)}\n`);
    const entries = sim.audit.entries;
    const calls = sim.audit.requests().length;
    return {
      customers: o.customers,
      concurrency: o.concurrency,
      exitCode,
      calls,
      minimumCalls: minimumCalls(scenario, USERS_PAGE),
      wallMs,
      boundMs: (calls / scaledPerMinute) * 60_000,
      peakRssBytes,
      throttled: entries.filter((e) => e.type === 'throttled').length,
      ordersMax: Math.max(0, ...Object.values(ordersPerCustomer(entries))),
      usersEverUnlicensed: usersEverUnlicensed(entries).length,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
