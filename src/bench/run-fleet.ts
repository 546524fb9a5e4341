import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  /**
   * `auto-approve` (default): one `apply --auto-approve`. `reviewed`: `plan --out plan.json` (the pull request), then
   * `apply plan.json --approved-hash` (the merge), which is what is measured: wall, calls, memory of the apply alone.
   */
  readonly path?: 'auto-approve' | 'reviewed';
}

export interface FleetRunResult {
  readonly customers: number;
  readonly limiter: 'per-class' | 'single';
  /** `concurrency` in pcsync.yaml, or `default` when left out. */
  readonly concurrency: number | 'default';
  readonly simClasses: 'documented' | 'all';
  readonly path: 'auto-approve' | 'reviewed';
  /** Reviewed path: documented-class calls of the `plan --out` before the measured apply, per customer. */
  readonly planDocumentedPerCustomer?: number;
  /**
   * The earliest any schedule could end under the documented rate: every customer's documented calls up to and
   * including its purchase must go before the last purchase (so it comes no sooner than all of them ÷ the rate),
   * and that purchase still provisions and then makes its own calls — max(this, the documented bound).
   */
  readonly pipelineFloorMs: number;
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
  /**
   * From spawning the CLI to its first request reaching the simulator, ms (loading, reading the desired state, the
   * lock). Not scaled: at time scale ×k it weighs k× what it weighs against Partner Center's own pace.
   */
  readonly firstRequestMs?: number;
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
    const path = o.path ?? 'auto-approve';
    let applyArgs = ['apply', '--auto-approve', '--json', '--dir', dir];
    let planCalls = 0;
    if (path === 'reviewed') {
      const planFile = join(dir, 'plan.json');
      const planned = await new Promise<number | null>((resolve) => spawn(process.execPath, [o.cli, 'plan', '--out', planFile, '--format', 'json', '--dir', dir], { env, stdio: 'ignore' }).on('close', resolve));
      if (planned !== 2) process.stderr.write(`bench: plan --out exited ${planned} (2 = changes planned was expected)\n`);
      const hash = String((JSON.parse(readFileSync(planFile, 'utf8')) as { actionsHash?: unknown }).actionsHash);
      applyArgs = ['apply', planFile, '--approved-hash', hash, '--json', '--dir', dir];
      planCalls = sim.audit.requests().filter((r) => throttleClassOf(r.method, r.path) === 'documented').length;
      sim.audit.clear();
    }
    const started = performance.now();
    const spawnedAt = Date.now();
    const simCpu = process.cpuUsage();
    const child = spawn(process.execPath, [o.cli, ...applyArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const firstAt = requests[0]?.at;
    const documentedCalls = requests.filter((r) => throttleClassOf(r.method, r.path) === 'documented').length;
    const longestPathMs = longestSerialPathMs(scenario, {
      latencyMs: scaled(o.latencyMs),
      provisioningMs: scaled(o.provisioningMs),
      userConcurrency: USER_CONCURRENCY,
      usersPageSize: USERS_PAGE,
    });
    const documentedBoundMs = Math.max((documentedCalls / scaledPerMinute) * 60_000, longestPathMs);
    const pipelineFloorMs = Math.max(documentedBoundMs, (prePurchaseCalls(requests) / scaledPerMinute) * 60_000 + scaled(o.provisioningMs) + afterProvisioningMs(scaled(o.latencyMs)));
    const bound = o.simClasses === 'all' ? Math.max((requests.length / scaledPerMinute) * 60_000, longestPathMs) : Math.max((documentedCalls / scaledPerMinute) * 60_000, longestPathMs);
    return {
      customers: o.customers,
      limiter: o.limiter,
      concurrency: o.concurrency ?? 'default',
      simClasses: o.simClasses ?? 'documented',
      path,
      ...(path === 'reviewed' && { planDocumentedPerCustomer: planCalls / Math.max(1, customers) }),
      pipelineFloorMs,
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
      ...(typeof firstAt === 'number' && { firstRequestMs: Math.max(0, firstAt - spawnedAt) }),
      documentedBoundMs,
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

/** Documented-class calls each customer made up to and including its purchase (POST orders), summed over the fleet. */
function prePurchaseCalls(requests: readonly { method: string; path: string; customerId?: string }[]): number {
  const counted = new Map<string, number>();
  const bought = new Set<string>();
  for (const r of requests) {
    const c = r.customerId?.toLowerCase();
    if (!c || bought.has(c) || throttleClassOf(r.method, r.path) !== 'documented') continue;
    counted.set(c, (counted.get(c) ?? 0) + 1);
    if (r.method === 'POST' && /\/orders$/i.test(r.path)) bought.add(c);
  }
  let total = 0;
  for (const [c, n] of counted) if (bought.has(c)) total += n;
  return total;
}

/** The shortest a customer takes after its purchase provisioned: one check, one wave of licence moves, the suspend guard, GET and PATCH. */
function afterProvisioningMs(latencyMs: number): number {
  return (1 + 1 + 3) * latencyMs;
}
