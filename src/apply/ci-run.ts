import { isLoopbackHost } from '../partner-center/endpoint.js';
import type { CiRun, LockHolder } from './locks.js';

/**
 * The GitHub Actions run this process is a job of, from the runner's default variables (`GITHUB_ACTIONS`,
 * `GITHUB_REPOSITORY`, `GITHUB_RUN_ID`, `GITHUB_RUN_ATTEMPT`: docs.github.com "Variables reference"); undefined
 * outside Actions. Recorded in each customer lock, because every CI run is a new host and pid.
 */
export function ciRunOf(env: Readonly<Record<string, string | undefined>>): CiRun | undefined {
  if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1');
  return { repository: env.GITHUB_REPOSITORY, runId: env.GITHUB_RUN_ID, runAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1 };
}

/** Run statuses GitHub reports for a run attempt that is over (the others: queued, in_progress, waiting, requested, pending). */
const OVER = new Set(['completed']);

/**
 * Why the CI run that holds a lock is over, or undefined when it may still run or cannot be told. Sure answers only:
 * - an earlier attempt of this very run: attempts of one run never overlap (a re-run starts after the attempt ended);
 * - GitHub says the attempt is `completed` (any conclusion: success, failure, cancelled, timed_out):
 *   `GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}` ("Get a workflow run attempt",
 *   docs.github.com REST "Workflow runs"; needs `actions: read`), with `GITHUB_TOKEN`, for a run of the same
 *   repository only (the token reads nothing else), on `GITHUB_API_URL` (https, or loopback in tests).
 * Any error (network, 404 for a deleted run, 403) is "cannot tell": the lock stays and the message says how to unlock.
 */
export async function ciRunOver(run: CiRun, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const here = ciRunOf(env);
  if (!here || run.repository !== here.repository) return undefined;
  const name = `GitHub Actions run ${run.runId} attempt ${run.runAttempt}`;
  if (run.runId === here.runId) return run.runAttempt < here.runAttempt ? `${name} ended before this attempt (${here.runAttempt}) of the same run started` : undefined;
  const token = env.GITHUB_TOKEN?.trim();
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  if (!token || !safeApi(api)) return undefined;
  try {
    const res = await fetch(`${api}/repos/${run.repository}/actions/runs/${encodeURIComponent(run.runId)}/attempts/${run.runAttempt}?exclude_pull_requests=true`, {
      headers: { Accept: 'application/vnd.github+json', Authorization: `Bearer ${token}`, 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'pcsync' },
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { status?: unknown; conclusion?: unknown };
    if (typeof body.status !== 'string' || !OVER.has(body.status)) return undefined;
    return `${name} is ${body.status}${typeof body.conclusion === 'string' ? ` (${body.conclusion})` : ''} on GitHub`;
  } catch {
    return undefined;
  }
}

function safeApi(api: string): boolean {
  try {
    const url = new URL(api);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}

/** For each distinct CI run among `holders`, whether it is over (see `ciRunOver`), asked once per run attempt. */
export async function ciRunsOver(holders: readonly (LockHolder | undefined)[], env: Readonly<Record<string, string | undefined>>): Promise<Map<string, string>> {
  const over = new Map<string, string>();
  const runs = new Map<string, CiRun>();
  for (const h of holders) if (h?.ci) runs.set(ciKey(h.ci), h.ci);
  await Promise.all([...runs].map(async ([key, run]) => {
    const why = await ciRunOver(run, env);
    if (why !== undefined) over.set(key, why);
  }));
  return over;
}

export function ciKey(run: CiRun): string {
  return `${run.repository}#${run.runId}#${run.runAttempt}`;
}
