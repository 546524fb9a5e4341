import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet, startSim, writeFleetDesiredState } from '../sim/index.js';
import { throttleClassOf } from '../sim/behaviours/throttle-classes.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../sim/invariants.js';
import { designCardMinimumCalls, longestSerialPathMs, minimumCalls } from './minimum.js';
import { watchProcess } from './proc.js';

export interface FleetRunOptions {
  readonly customers: number;
  /** `concurrency` in pcsync.yaml (the cap on customers at once); undefined = left out, pcsync's default. */
  readonly concurrency: number | undefined;
  /** `all`: the simulator limits every endpoint under the one partner-wide budget (a service stricter than documented). */
  readonly simClasses?: 'documented' | 'all';
  /** `per-class` (the limiter per API class) or `single` (every call under the documented rate: the old limiter). */
  readonly limiter: 'per-class' | 'single';
  /** How many times faster than real time the simulated clock runs (rate limit and latency scale with it). */
  readonly timeScale: number;
  /** Published Partner Center limit of the documented class, requests per minute per partner. */
  readonly perMinute: number;
  /** Hidden limit the simulator puts on the other APIs (real requests per minute); undefined = none. */
  readonly otherPerMinute?: number;
  /** Real-world latency of one Partner Center call, scaled down by `timeScale` in the simulator. */
  readonly latencyMs: number;
  /** Real-world provisioning time of a purchase, scaled down by `timeScale`. */
  readonly provisioningMs: number;
  readonly seed: number;
  readonly cli: string;
}

export interface FleetRunResult {
  readonly customers: number;
  readonly limiter: 'per-class' | 'single';
  /** `concurrency` in pcsync.yaml, or `default` when left out. */
  readonly concurrency: number | 'default';
  readonly simClasses: 'documented' | 'all';
  /** How many times faster than real time the simulator's clock ran (latency, provisioning, rates). */
  readonly timeScale: number;
  readonly exitCode: number | null;
  readonly calls: number;
  readonly documentedCalls: number;
  /** Documented-class calls ÷ customers migrated. */
  readonly documentedPerCustomer: number;
  /** Wall ÷ the bound of this service: the documented bound, or with `simClasses: 'all'` max(all calls ÷ the rate, the longest path). */
  readonly wallOverBound: number;
  /** What the CLI's apply summary said bound the run (its `pace` line). */
  readonly pace?: string;
  /** The fewest calls a safe migration makes (the design card's model + the orders read and the GET before the suspend PATCH). */
  readonly minimumCalls: number;
  /** The fewest calls by the design card's performance model alone. */
  readonly designCardMinimumCalls: number;
  readonly wallMs: number;
  /** max(documented-class calls ÷ its rate, longest customer's serial path), in the simulator's scaled time. */
  readonly documentedBoundMs: number;
  readonly longestPathMs: number;
  /** All calls ÷ the documented rate: the bound of the old single-class limiter. */
  readonly allCallsBoundMs: number;
  readonly peakRssBytes?: number;
  readonly cpuMs?: number;
  /** CPU the simulator (this process) used meanwhile. */
  readonly simCpuMs: number;
  readonly throttled: number;
  readonly ordersMax: number;
  readonly usersEverUnlicensed: number;
}

const USERS_PAGE = 100;
const USER_CONCURRENCY = 4;

/** Generates a fleet, serves it, runs the real CLI (`apply --auto-approve`) against it and measures. */
export async function runFleet(o: FleetRunOptions): Promise<FleetRunResult> {
  const scenario = generateFleet({ customers: o.customers, usersMin: 5, usersMax: 50, seed: o.seed });
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-bench-'));
  const customers = writeFleetDesiredState(scenario, dir, { concurrency: o.concurrency ?? 'default' });
  const scaledPerMinute = o.perMinute * o.timeScale;
  const scaled = (ms: number) => Math.max(1, Math.round(ms / o.timeScale));
  const sim = await startSim({
    scenario,
    options: {
      pageSize: USERS_PAGE,
      provisioningDelayMs: scaled(o.provisioningMs),
      throttle: { perMinute: o.perMinute, otherPerMinute: o.otherPerMinute, timeScale: o.timeScale, retryAfter: 'fractional', classes: o.simClasses ?? 'documented' },
      slowReplies: { ms: scaled(o.latencyMs) },
    },
  });
  try {
    const env = {
      ...process.env,
      PARTNER_CENTER_ENDPOINT: sim.url,
      PARTNER_CENTER_TOKEN: 'bench',
      PCSYNC_RATE_PER_MINUTE: String(scaledPerMinute),
      PCSYNC_LIMITER: o.limiter,
      // a fresh state directory per run: the journals of earlier runs are read at start and would skew memory
      PCSYNC_STATE_DIR: join(dir, '.pcsync'),
      // first provisioning check after 10 s (real), then doubling: one or two checks for a 30 s provisioning
      PCSYNC_POLL_MS: String(scaled(10_000)),
      // reads a purchase or a suspend may rely on: pcsync's default minute, on the simulator's clock
      PCSYNC_FRESH_READ_MS: String(scaled(60_000)),
    };
    const started = performance.now();
    const simCpu = process.cpuUsage();
    const child = spawn(process.execPath, [o.cli, 'apply', '--auto-approve', '--json', '--dir', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // the last JSON line is the summary; only its pace is kept (the event lines before it are dropped as they come)
    let pace: string | undefined;
    let rest = '';
    child.stdout.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('{"type":"summary"')) pace = (JSON.parse(l) as { pace?: { text?: string } }).pace?.text;
    });
    const watch = watchProcess(child.pid!);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wallMs = performance.now() - started;
    const simUsed = process.cpuUsage(simCpu);
    const simCpuMs = (simUsed.user + simUsed.system) / 1000;
    const { peakRssBytes, cpuMs } = watch.stop();
    if (exitCode !== 0) process.stderr.write(`bench: apply exited ${exitCode}\n${stderr.slice(-2000)}\n`);
    const entries = sim.audit.entries;
    const requests = sim.audit.requests();
    const documentedCalls = requests.filter((r) => throttleClassOf(r.method, r.path) === 'documented').length;
    const longestPathMs = longestSerialPathMs(scenario, {
      latencyMs: scaled(o.latencyMs),
      provisioningMs: scaled(o.provisioningMs),
      userConcurrency: USER_CONCURRENCY,
      usersPageSize: USERS_PAGE,
    });
    const bound = o.simClasses === 'all' ? Math.max((requests.length / scaledPerMinute) * 60_000, longestPathMs) : Math.max((documentedCalls / scaledPerMinute) * 60_000, longestPathMs);
    return {
      customers: o.customers,
      limiter: o.limiter,
      concurrency: o.concurrency ?? 'default',
      simClasses: o.simClasses ?? 'documented',
      documentedPerCustomer: documentedCalls / Math.max(1, customers),
      wallOverBound: wallMs / bound,
      ...(pace !== undefined && { pace }),
      timeScale: o.timeScale,
      exitCode,
      calls: requests.length,
      documentedCalls,
      minimumCalls: minimumCalls(scenario, USERS_PAGE),
      designCardMinimumCalls: designCardMinimumCalls(scenario, USERS_PAGE),
      wallMs,
      documentedBoundMs: Math.max((documentedCalls / scaledPerMinute) * 60_000, longestPathMs),
      longestPathMs,
      allCallsBoundMs: (requests.length / scaledPerMinute) * 60_000,
      ...(peakRssBytes !== undefined && { peakRssBytes }),
      ...(cpuMs !== undefined && { cpuMs }),
      simCpuMs,
      throttled: entries.filter((e) => e.type === 'throttled').length,
      ordersMax: Math.max(0, ...Object.values(ordersPerCustomer(entries))),
      usersEverUnlicensed: usersEverUnlicensed(entries).length,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
