// Publishes the plan's actions hash as a check run on the pull request's head commit, for approval.mjs to read back
// after the merge. Used word for word by action.yml (`command: plan`, in a pull_request run) and tested as a process
// against a loopback GitHub API (test/ci-approval-script.test.ts). Plain Node 20, no dependencies.
//
// POST /repos/{owner}/{repo}/check-runs (docs.github.com REST "Check runs": `head_sha` and `name` required; the
// workflow token needs `checks: write`). A check run created with the workflow token belongs to the GitHub Actions
// app (`app.slug` github-actions), and only the app that created a check run can update it: people cannot edit it in
// the web interface as they can a comment. It is no stronger than any workflow of this repository, which the README's
// "Security model" says.
//
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL (default https://api.github.com), HEAD_SHA (the pull
// request's head commit), ACTIONS_HASH (sha256:…), PCSYNC_CHECK_NAME (default `pcsync plan`), DETAILS_URL (the run),
// PLAN_FILE (plan.md, the sticky comment's text: its sha256 goes into the check run's `external_id`, and approval.mjs
// refuses a comment whose body no longer hashes to it — an edit in the web interface after the plan run).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { commentDigest } from './approval.mjs';

/** The check run's request body: the hash in the title (approval.mjs reads it back), the commit in the summary. */
export function checkRunBody({ name, headSha, hash, detailsUrl, commentSha256 }) {
  return {
    name,
    head_sha: headSha,
    external_id: `pcsync-comment-sha256:${commentSha256}`,
    status: 'completed',
    conclusion: 'neutral',
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    output: {
      title: `Actions hash ${hash}`,
      summary: `pcsync planned commit \`${headSha}\`; the plan comment shows these actions (its text has sha256 \`${commentSha256}\`). The apply after the merge requires the approved comment, this check run and its own re-plan of the merged commit to agree on \`${hash}\`.`,
    },
  };
}

async function main(env) {
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
  const { GITHUB_TOKEN: token, GITHUB_REPOSITORY: repo, HEAD_SHA: headSha, ACTIONS_HASH: hash } = env;
  if (!token || !repo) throw new Error('GITHUB_TOKEN and GITHUB_REPOSITORY must be set');
  if (!/^[0-9a-f]{40}$/.test(headSha ?? '')) throw new Error('HEAD_SHA must be the 40-hex head commit of the pull request');
  if (!/^sha256:[0-9a-f]{64}$/.test(hash ?? '')) throw new Error('ACTIONS_HASH must be the plan\'s sha256:… actions hash');
  if (!env.PLAN_FILE) throw new Error('PLAN_FILE must name plan.md (the comment\'s text, whose sha256 the check run records)');
  const commentSha256 = commentDigest(readFileSync(env.PLAN_FILE, 'utf8'));
  const body = checkRunBody({ name: env.PCSYNC_CHECK_NAME || 'pcsync plan', headSha, hash, detailsUrl: env.DETAILS_URL, commentSha256 });
  const res = await fetch(`${api}/repos/${repo}/check-runs`, {
    method: 'POST',
    headers: { Accept: 'application/vnd.github+json', Authorization: `Bearer ${token}`, 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'pcsync-plan-check', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST /repos/${repo}/check-runs answered ${res.status} (the job needs permissions: checks: write)`);
  return { headSha, hash };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.env).then(
    (d) => console.log(`Check run "${process.env.PCSYNC_CHECK_NAME || 'pcsync plan'}" on ${d.headSha.slice(0, 7)} records actions hash ${d.hash}.`),
    (err) => {
      console.log(`::error::Could not record the plan's actions hash as a check run: ${String(err.message).replace(/[\r\n%]/g, ' ')}. The apply after the merge will refuse this plan.`);
      process.exit(1);
    },
  );
}
