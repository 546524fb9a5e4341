// Keeps one issue up to date with the drift run's renewals and unused-seats tables (renewals.md, written by
// `pcsync report --renewals` and `report --waste`, no user names), so a team sees them where it works, not only in a
// log. Used word for word by action.yml (`command: drift`) and tested as a process against a loopback GitHub API
// (test/ci-drift-issue.test.ts). Plain Node 20, no dependencies.
//
// The issue is found by the marker its body starts with, among the open issues the workflow's bot opened (GET
// /repos/{owner}/{repo}/issues?state=open&creator=…): its body is replaced (PATCH …/issues/{number}); when there is
// none, one is opened (POST …/issues). The workflow token needs `issues: write`. A failure is a warning: the tables
// are in the job summary and the artefact either way.
//
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL (default https://api.github.com), REPORT_FILE
// (default renewals.md), BOT_LOGIN (default github-actions[bot]), RUN_URL (the run, named in the issue).
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const MARKER = '<!-- pcsync:renewals-and-waste -->';
export const TITLE = 'pcsync: renewals and unused seats';
/** GitHub refuses issue bodies over 65,536 characters. */
const MAX_BODY = 65_000;

/** The issue body: the marker, when and where it was made, the tables (cut short with a pointer to the run if too long). */
export function issueBody(report, runUrl, now = new Date()) {
  const head = `${MARKER}\nUpdated by the scheduled pcsync drift run on ${now.toISOString().slice(0, 10)}${runUrl ? ` ([run](${runUrl}))` : ''}. Read-only: nothing was changed in Partner Center.\n\n`;
  const room = MAX_BODY - head.length - 200;
  const text = report.length <= room ? report : `${report.slice(0, room)}\n\n… cut short: the complete tables are in the run's job summary and its renewals.md artefact.\n`;
  return `${head}${text}`;
}

async function main(env) {
  if (!existsSync(env.REPORT_FILE || 'renewals.md')) return { skipped: true };
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
  const { GITHUB_TOKEN: token, GITHUB_REPOSITORY: repo } = env;
  if (!token || !repo) throw new Error('GITHUB_TOKEN and GITHUB_REPOSITORY must be set');
  const bot = env.BOT_LOGIN || 'github-actions[bot]';
  const report = readFileSync(env.REPORT_FILE || 'renewals.md', 'utf8');
  const headers = { Accept: 'application/vnd.github+json', Authorization: `Bearer ${token}`, 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'pcsync-drift-issue', 'Content-Type': 'application/json' };
  const list = await fetch(`${api}/repos/${repo}/issues?state=open&creator=${encodeURIComponent(bot)}&per_page=100`, { headers });
  if (!list.ok) throw new Error(`GET /repos/${repo}/issues answered ${list.status} (issues may be disabled, or the job needs permissions: issues: write)`);
  const issues = await list.json();
  const mine = (Array.isArray(issues) ? issues : []).find((i) => !i.pull_request && i.user?.login === bot && typeof i.body === 'string' && i.body.startsWith(MARKER));
  const body = issueBody(report, env.RUN_URL);
  const res = mine
    ? await fetch(`${api}/repos/${repo}/issues/${mine.number}`, { method: 'PATCH', headers, body: JSON.stringify({ body }) })
    : await fetch(`${api}/repos/${repo}/issues`, { method: 'POST', headers, body: JSON.stringify({ title: TITLE, body }) });
  if (!res.ok) throw new Error(`${mine ? 'PATCH' : 'POST'} issue answered ${res.status} (the job needs permissions: issues: write)`);
  const issue = await res.json();
  return { number: issue.number ?? mine?.number, updated: Boolean(mine) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.env).then(
    (d) => console.log(d.skipped ? 'No renewals report was written (the drift step stopped before it); the issue is left as it was.' : `${d.updated ? 'Updated' : 'Opened'} issue #${d.number} with the renewals and unused seats.`),
    (err) => {
      console.log(`::warning::Could not update the renewals and unused seats issue: ${String(err.message).replace(/[\r\n%]/g, ' ')}. The tables are in the job summary.`);
    },
  );
}
