import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFleet, startSim, writeFleetDesiredState } from '../sim/index.js';
import { RENDER_FORMATS, type RenderFormat } from '../render/index.js';

export interface PlanOutResult {
  readonly customers: number;
  readonly format: RenderFormat;
  readonly exitCode: number | null;
  /** The CLI's peak resident memory (its own `maxRSS`, reported as it exits). */
  readonly peakRssBytes?: number;
  /** Sizes of what it wrote: the sealed plan file and the rendering on stdout. */
  readonly planFileBytes: number;
  readonly stdoutBytes: number;
  readonly wallMs: number;
}

/**
 * `plan --out plan.json --format <format> > rendering` for a generated fleet migration of `customers` customers
 * (5–50 licence holders each), once per format, against an unthrottled simulator with no latency: what is
 * measured is the CLI's memory while it renders and seals, not Partner Center's pace. stdout goes to a file, as
 * in CI (`> plan.md`). Peak RSS is the child's own `maxRSS`, written by max-rss.js as it exits.
 */
export async function runPlanOut(customers: number, opts: { cli: string; seed: number; formats?: readonly RenderFormat[] }): Promise<PlanOutResult[]> {
  const scenario = generateFleet({ customers, usersMin: 5, usersMax: 50, seed: opts.seed });
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-bench-plan-'));
  writeFleetDesiredState(scenario, dir, { concurrency: 32 });
  const sim = await startSim({ scenario, options: { pageSize: 100 } });
  const preload = pathToFileURL(join(import.meta.dirname, 'max-rss.js')).href;
  const results: PlanOutResult[] = [];
  try {
    for (const format of opts.formats ?? RENDER_FORMATS) {
      const planFile = join(dir, `plan-${format}.json`);
      const rendering = join(dir, `plan.${format}`);
      const rssFile = join(dir, `rss-${format}`);
      const env = { ...process.env, PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'bench', PCSYNC_STATE_DIR: join(dir, '.pcsync'), PCSYNC_BENCH_RSS_FILE: rssFile };
      const out = openSync(rendering, 'w');
      const started = performance.now();
      let exitCode: number | null;
      let stderr = '';
      try {
        const child = spawn(process.execPath, ['--import', preload, opts.cli, 'plan', '--dir', dir, '--format', format, '--out', planFile], { env, stdio: ['ignore', out, 'pipe'] });
        child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
        exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
      } finally {
        closeSync(out);
      }
      const wallMs = performance.now() - started;
      // plan exits 2 when there are changes: a fleet migration always has some
      if (exitCode !== 2) process.stderr.write(`bench: plan --format ${format} exited ${exitCode}\n${stderr.slice(-2000)}\n`);
      const rss = Number(readText(rssFile));
      results.push({
        customers,
        format,
        exitCode,
        ...(rss > 0 && { peakRssBytes: rss }),
        planFileBytes: size(planFile),
        stdoutBytes: size(rendering),
        wallMs,
      });
      rmSync(planFile, { force: true });
      rmSync(rendering, { force: true });
    }
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
