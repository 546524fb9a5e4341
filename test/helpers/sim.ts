import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export { startSim, generateFleet, loadScenario, type StartedSim } from '../../src/sim/index.js';

/** Repository root (two levels above this file). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`node dist/cli/main.js …`) as a child process. `env` is laid over the current environment
 * (an undefined value removes a variable), without the GitHub Actions variables of a CI job running the suite,
 * so no test writes to that job's summary or switches output formats by accident. dist/ is only looked for
 * when this is called. Each call gets its own apply state directory (journal, customer locks) unless `env` sets
 * PCSYNC_STATE_DIR, so parallel test files never share locks.
 */
export function runCli(
  args: readonly string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<CliResult> {
  const own = opts.env && 'PCSYNC_STATE_DIR' in opts.env ? {} : { PCSYNC_STATE_DIR: mkdtempSync(join(tmpdir(), 'pcsync-state-')) };
  const env: Record<string, string | undefined> = { ...process.env, GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, ...own, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli', 'main.js'), ...args], {
      cwd: opts.cwd ?? repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

export interface ApiResult {
  status: number;
  body: any;
  headers: Headers;
}

/** One request to the simulator with a bearer token (pass `token: null` to send none). */
export async function api(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; token?: string | null; rawBody?: string } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.token !== null) headers.Authorization = `Bearer ${opts.token ?? 'test-token'}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Names of the simulator's built-in scenarios (`pcsync sim --scenario`). */
export { listScenarios as listScenarioNames } from '../../src/sim/scenarios/index.js';
