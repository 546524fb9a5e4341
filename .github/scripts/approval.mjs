// Finds the actions hash reviewers approved for the commit an apply runs on, or refuses. Used word for word by
// action.yml (`command: approval`) and tested against recorded-style GitHub API payloads
// (test/ci-approval-script.test.ts). Plain Node 20, no dependencies: it runs before anything is installed.
//
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), GITHUB_SHA (the pushed merge commit),
// GITHUB_API_URL (default https://api.github.com), GITHUB_OUTPUT (where `hash=` and `pr=` go),
// PCSYNC_BOT_LOGIN (default github-actions[bot]), PCSYNC_COMMENT_HEADER (default pcsync-plan),
// PCSYNC_BASE_BRANCH (default main).
//
// Accepted only when ALL hold:
// - the commit is the merge commit of a merged pull request into the base branch;
// - a reviewer other than the author, with write access (permission admin, maintain or write; author association
//   not NONE), approved the pull request's head commit, and that is their latest review (a later
//   CHANGES_REQUESTED or DISMISSED withdraws it);
// - no reviewer with write access has CHANGES_REQUESTED as their latest review;
// - exactly one comment is the sticky plan comment (posted by the bot account, ending with the sticky header),
//   and its body STARTS with the actions-hash marker. Markers anywhere else (other comments, quoted text further
//   down) never count.
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** First line of the markdown plan (src/render/markdown.ts). Anchored: only at the very start of the comment. */
export const MARKER = /^<!-- pcsync:actions-hash (sha256:[0-9a-f]{64}) -->\r?\n/;
const WRITE = new Set(['admin', 'maintain', 'write']);
const OUTSIDERS = new Set(['NONE', 'FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'MANNEQUIN']);
const DECIDING = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

/** The merged pull request whose merge commit is `sha`, or undefined. */
export function mergedPull(pulls, sha, baseBranch) {
  return pulls.find((p) => p.merged_at && p.base?.ref === baseBranch && p.merge_commit_sha === sha);
}

/** Each reviewer's latest deciding review (APPROVED, CHANGES_REQUESTED or DISMISSED), by submission time. */
export function latestReviews(reviews) {
  const sorted = [...reviews]
    .filter((r) => r.user?.login && DECIDING.has(r.state))
    .sort((a, b) => Date.parse(a.submitted_at ?? 0) - Date.parse(b.submitted_at ?? 0) || a.id - b.id);
  const latest = new Map();
  for (const r of sorted) latest.set(r.user.login, r);
  return [...latest.values()];
}

/** Reviewers whose repository permission must be looked up: those whose latest review still counts either way. */
export function reviewersToCheck(pr, reviews) {
  return latestReviews(reviews)
    .filter((r) => r.state !== 'DISMISSED' && r.user.login !== pr.user?.login)
    .map((r) => r.user.login);
}

/**
 * The decision, from payloads only. `permissions` maps reviewer login → `permission` of
 * GET /repos/{repo}/collaborators/{login}/permission. Returns `{ ok: true, hash, pr, approvers }` or
 * `{ ok: false, reason }`.
 */
export function decide({ pr, reviews, comments, permissions, botLogin, header }) {
  const why = [];
  const canWrite = (r) => !OUTSIDERS.has(r.author_association) && WRITE.has(permissions[r.user.login]);
  const latest = latestReviews(reviews).filter((r) => r.user.login !== pr.user?.login);
  for (const r of reviews) {
    if (r.state === 'APPROVED' && latest.find((l) => l.user.login === r.user?.login) !== r) {
      why.push(`${r.user?.login}'s approval was withdrawn by a later review`);
    }
  }
  const blocking = latest.filter((r) => r.state === 'CHANGES_REQUESTED' && canWrite(r));
  if (blocking.length > 0) {
    return { ok: false, reason: `${blocking.map((r) => r.user.login).join(', ')} requested changes and has not approved since` };
  }
  const approvers = [];
  for (const r of latest.filter((l) => l.state === 'APPROVED')) {
    if (r.commit_id !== pr.head?.sha) why.push(`${r.user.login} approved ${String(r.commit_id).slice(0, 7)}, not the merged head ${String(pr.head?.sha).slice(0, 7)}`);
    else if (!canWrite(r)) why.push(`${r.user.login} has no write access (association ${r.author_association}, permission ${permissions[r.user.login] ?? 'none'})`);
    else approvers.push(r.user.login);
  }
  if (approvers.length === 0) {
    return { ok: false, reason: `no approval of the merged head commit by a reviewer with write access${why.length ? ` (${[...new Set(why)].join('; ')})` : ''}` };
  }
  const footer = `<!-- Sticky Pull Request Comment${header} -->`;
  const sticky = comments.filter((c) => c.user?.login === botLogin && c.user?.type === 'Bot' && String(c.body ?? '').trimEnd().endsWith(footer));
  if (sticky.length === 0) return { ok: false, reason: `no sticky plan comment (header ${header}) by ${botLogin}, so no plan was approved` };
  if (sticky.length > 1) return { ok: false, reason: `${sticky.length} comments claim to be the sticky plan comment; expected exactly one` };
  const m = MARKER.exec(sticky[0].body);
  if (!m) return { ok: false, reason: 'the sticky plan comment does not start with the pcsync actions-hash marker' };
  return { ok: true, hash: m[1], pr: pr.number, approvers };
}

async function getJson(api, token, path, tolerated = []) {
  const res = await fetch(`${api}${path}`, {
    headers: { Accept: 'application/vnd.github+json', Authorization: `Bearer ${token}`, 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'pcsync-approval' },
  });
  if (tolerated.includes(res.status)) return { status: res.status, body: undefined };
  if (!res.ok) throw new Error(`GET ${path.split('?')[0]} answered ${res.status}`);
  return { status: res.status, body: await res.json(), next: /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] };
}

async function getAll(api, token, path) {
  const items = [];
  let url = `${path}${path.includes('?') ? '&' : '?'}per_page=100`;
  for (let page = 0; url && page < 50; page++) {
    const { body, next } = await getJson(api, token, url);
    items.push(...body);
    url = next ? next.replace(api, '') : undefined;
  }
  return items;
}

async function main(env) {
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
  const repo = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  const token = env.GITHUB_TOKEN;
  const base = env.PCSYNC_BASE_BRANCH || 'main';
  if (!repo || !sha || !token) throw new Error('GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_TOKEN must be set');
  const pulls = await getAll(api, token, `/repos/${repo}/commits/${sha}/pulls`);
  const pr = mergedPull(pulls, sha, base);
  if (!pr) return { ok: false, reason: `commit ${sha} is not the merge commit of a pull request merged into ${base}, so no plan was approved for it` };
  const reviews = await getAll(api, token, `/repos/${repo}/pulls/${pr.number}/reviews`);
  const permissions = {};
  for (const login of reviewersToCheck(pr, reviews)) {
    // 404: not a collaborator at all (e.g. a drive-by reviewer on a public repository).
    const res = await getJson(api, token, `/repos/${repo}/collaborators/${encodeURIComponent(login)}/permission`, [404]);
    permissions[login] = res.status === 404 ? 'none' : res.body.permission;
  }
  const comments = await getAll(api, token, `/repos/${repo}/issues/${pr.number}/comments`);
  const decision = decide({ pr, reviews, comments, permissions, botLogin: env.PCSYNC_BOT_LOGIN || 'github-actions[bot]', header: env.PCSYNC_COMMENT_HEADER || 'pcsync-plan' });
  return decision.ok ? decision : { ...decision, reason: `pull request #${pr.number}: ${decision.reason}` };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.env).then(
    (d) => {
      if (!d.ok) {
        console.log(`::error::Nothing is applied: ${d.reason}.`);
        process.exit(1);
      }
      console.log(`Pull request #${d.pr} approved by ${d.approvers.join(', ')}; its plan has actions hash ${d.hash}.`);
      if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `hash=${d.hash}\npr=${d.pr}\n`);
    },
    (err) => {
      console.log(`::error::Nothing is applied: could not read the pull request's approval (${err.message}).`);
      process.exit(1);
    },
  );
}
