// Finds the actions hash reviewers approved for the commit an apply runs on, or refuses. Used word for word by
// action.yml (`command: approval`) and tested as a process against a loopback server answering like the GitHub REST
// API (test/ci-approval-script.test.ts). Plain Node 20, no dependencies: it runs before anything is installed.
//
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), GITHUB_SHA (the pushed merge commit),
// GITHUB_API_URL (default https://api.github.com), GITHUB_OUTPUT (where `hash=`, `pr=` and `head=` go),
// PCSYNC_BOT_LOGIN (default github-actions[bot]), PCSYNC_COMMENT_HEADER (default pcsync-plan),
// PCSYNC_BASE_BRANCH (default main), PCSYNC_CHECK_NAME (default `pcsync plan`),
// PCSYNC_LAST_PUSH_APPROVAL (`require`, the default, or `warn`), PCSYNC_DESIRED_DIR (default `desired-state`: the
// only folder a pull request may change for its approval to count).
//
// Accepted only when ALL hold (the README's "Security model" says what this proves and what it cannot):
// 1. the commit is the merge commit of a merged pull request into the base branch;
// 2. the pull request changes files under PCSYNC_DESIRED_DIR only (every changed file, renames' old names included,
//    and all of them listed: GitHub lists at most 3,000 files, so a pull request with more changed_files cannot be
//    checked and is refused): a `pull_request` run uses the pull request's own workflow files (docs.github.com
//    "Events that trigger workflows"), and the apply after the merge runs the merged commit's workflow, action and
//    (in pcsync's own repository) code — so a pull request that also changes code or workflows was planned by other
//    code than applies it, or wrote its own plan comment and check run;
// 3. a reviewer other than the author, with write access (permission admin, maintain or write; author association
//    not NONE), who authored or committed no commit of the pull request (all of them listed: at most 250, the API's
//    limit, else refused), approved the pull request's head commit, and that
//    is their latest review (a later CHANGES_REQUESTED or DISMISSED withdraws it); no reviewer with write access has
//    CHANGES_REQUESTED as their latest review;
// 4. exactly one comment is the sticky plan comment (posted by the bot account, ending with the sticky header); its
//    body STARTS with the actions-hash marker and the head-sha marker, the head SHA is the approved head, and it was
//    last edited before the approval (`updated_at` <= the review's `submitted_at`): the plan the reviewer read;
// 5. the check runs named PCSYNC_CHECK_NAME on the head commit by GitHub Actions (`app.slug` github-actions; only
//    the app that created a check run can update it) exist and all carry that same actions hash, and the same
//    sha256 of the comment text the plan run posted (`external_id`), which the sticky comment's body still hashes to.
// And it says whether "require approval of the most recent reviewable push" is on for the base branch (rulesets
// API, readable with the workflow token; classic branch protection when readable): a refusal when it cannot be
// shown on, or with PCSYNC_LAST_PUSH_APPROVAL=warn only a warning.
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** First line of the markdown plan (src/render/markdown.ts). Anchored: only at the very start of the comment. */
export const MARKER = /^<!-- pcsync:actions-hash (sha256:[0-9a-f]{64}) -->\r?\n/;
/** The comment's first two lines: the actions hash, then the head commit it was planned on (action.yml adds it). */
export const HEAD_MARKER = /^<!-- pcsync:actions-hash (sha256:[0-9a-f]{64}) -->\r?\n<!-- pcsync:head-sha ([0-9a-f]{40}) -->\r?\n/;
/** The title of the plan's check run (.github/scripts/plan-check.mjs). */
export const CHECK_TITLE = /^Actions hash (sha256:[0-9a-f]{64})$/;
/** The check run's `external_id`: sha256 of the comment body the plan run posted (plan-check.mjs). */
export const DIGEST_ID = /^pcsync-comment-sha256:([0-9a-f]{64})$/;

/**
 * sha256 (hex) of a plan comment's text as the plan run wrote it: line ends as LF, without the sticky footer that
 * marocchino/sticky-pull-request-comment appends, trailing white space dropped. plan-check.mjs hashes plan.md so,
 * approval.mjs the comment's body: any edit of the comment (web interface, another workflow) changes it.
 */
export function commentDigest(body, header = 'pcsync-plan') {
  const footer = `<!-- Sticky Pull Request Comment${header} -->`;
  let text = String(body ?? '').replace(/\r\n/g, '\n').trimEnd();
  if (text.endsWith(footer)) text = text.slice(0, -footer.length);
  return createHash('sha256').update(text.trimEnd(), 'utf8').digest('hex');
}

/** Files a pull request must not change for its plan to count: the workflows and the action that produce the evidence. */
export const GUARDED = (path) => path.startsWith('.github/') || path === 'action.yml';
/** GitHub's limits on what it lists of a pull request (REST "List pull request files" 3,000; "List commits" 250). */
export const MAX_FILES = 3000;
export const MAX_COMMITS = 250;
const WRITE = new Set(['admin', 'maintain', 'write']);
const OUTSIDERS = new Set(['NONE', 'FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'MANNEQUIN']);
const DECIDING = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);
const short = (sha) => String(sha).slice(0, 7);

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

/** The approving reviews that count (rule 3), or a refusal. */
function approvals({ pr, reviews, permissions, headCommit, commits = [] }) {
  const why = [];
  const canWrite = (r) => !OUTSIDERS.has(r.author_association) && WRITE.has(permissions[r.user.login]);
  const latest = latestReviews(reviews).filter((r) => r.user.login !== pr.user?.login);
  for (const r of reviews) {
    if (r.state === 'APPROVED' && latest.find((l) => l.user.login === r.user?.login) !== r) why.push(`${r.user?.login}'s approval was withdrawn by a later review`);
  }
  const blocking = latest.filter((r) => r.state === 'CHANGES_REQUESTED' && canWrite(r));
  if (blocking.length > 0) return { reason: `${blocking.map((r) => r.user.login).join(', ')} requested changes and has not approved since` };
  // Authors and committers of every commit of the pull request, not only the head: a reviewer who wrote any of the
  // changes approves their own work (web-flow, GitHub's committer of web edits and merges, is nobody).
  const pushers = new Set([headCommit, ...commits].flatMap((c) => [c?.author?.login, c?.committer?.login]).filter((l) => l && l !== 'web-flow'));
  const ok = [];
  for (const r of latest.filter((l) => l.state === 'APPROVED')) {
    if (r.commit_id !== pr.head?.sha) why.push(`${r.user.login} approved ${short(r.commit_id)}, not the merged head ${short(pr.head?.sha)}`);
    else if (!canWrite(r)) why.push(`${r.user.login} has no write access (association ${r.author_association}, permission ${permissions[r.user.login] ?? 'none'})`);
    else if (pushers.has(r.user.login)) why.push(`${r.user.login} authored or committed a commit of this pull request and cannot approve it`);
    else ok.push(r);
  }
  if (ok.length === 0) return { reason: `no approval of the merged head commit by a reviewer with write access${why.length ? ` (${[...new Set(why)].join('; ')})` : ''}` };
  return { reviews: ok };
}

/** The one sticky plan comment and what its first lines say (rule 4), or a refusal. */
function stickyPlan({ comments, botLogin, header }) {
  const footer = `<!-- Sticky Pull Request Comment${header} -->`;
  const sticky = comments.filter((c) => c.user?.login === botLogin && c.user?.type === 'Bot' && String(c.body ?? '').trimEnd().endsWith(footer));
  if (sticky.length === 0) return { reason: `no sticky plan comment (header ${header}) by ${botLogin}, so no plan was approved` };
  if (sticky.length > 1) return { reason: `${sticky.length} comments claim to be the sticky plan comment; expected exactly one` };
  if (!MARKER.test(sticky[0].body)) return { reason: 'the sticky plan comment does not start with the pcsync actions-hash marker' };
  const m = HEAD_MARKER.exec(sticky[0].body);
  if (!m) return { reason: 'the sticky plan comment does not name the head commit it was planned on (second line)' };
  return { comment: sticky[0], hash: m[1], head: m[2] };
}

/**
 * The decision, from payloads only. `permissions` maps reviewer login → `permission` of
 * GET /repos/{repo}/collaborators/{login}/permission; `files` are GET /pulls/{n}/files; `checkRuns` are the check
 * runs of the head commit; `headCommit` is GET /commits/{head}. Returns `{ ok: true, hash, pr, head, approvers }`
 * or `{ ok: false, reason }`.
 */
export function decide({ pr, reviews, comments, permissions, botLogin, header, files = [], checkRuns = [], headCommit, commits, checkName = 'pcsync plan', desiredDir = 'desired-state' }) {
  // GitHub lists at most 3,000 files of a pull request: with more, some changes cannot be seen, so none is trusted.
  if (typeof pr.changed_files === 'number' && files.length < pr.changed_files) {
    return { ok: false, reason: `it changes ${pr.changed_files} files and GitHub lists ${files.length}${pr.changed_files > MAX_FILES ? ` (at most ${MAX_FILES})` : ''}, so what it changes cannot be verified. Split it into pull requests of fewer than ${MAX_FILES} files` };
  }
  const guarded = files.flatMap((f) => [f.filename, f.previous_filename]).filter((p) => p && GUARDED(p));
  if (guarded.length > 0) {
    return { ok: false, reason: `it changes ${[...new Set(guarded)].slice(0, 5).join(', ')}: a pull_request run uses the pull request's own workflow files, so its plan comment and check run were written by code the pull request controls. Merge workflow and action changes in a pull request of their own, then plan this change again` };
  }
  const inside = `${String(desiredDir).replace(/^\.\//, '').replace(/\/+$/, '')}/`;
  const outside = files.flatMap((f) => [f.filename, f.previous_filename]).filter((p) => p && !p.startsWith(inside));
  if (outside.length > 0) {
    return { ok: false, reason: `it changes ${[...new Set(outside)].slice(0, 5).join(', ')}${new Set(outside).size > 5 ? ' and more' : ''} outside ${inside}: the plan reviewers approved was made by the base commit's code, the apply runs the merged commit's, so a pull request that changes both desired state and anything else is not applied. Merge the other changes in a pull request of their own, then plan the desired-state change again` };
  }
  if (commits !== undefined && typeof pr.commits === 'number' && commits.length < pr.commits) {
    return { ok: false, reason: `it has ${pr.commits} commits and GitHub lists ${commits.length}${pr.commits > MAX_COMMITS ? ` (at most ${MAX_COMMITS})` : ''}, so who wrote them cannot be verified against the approvers. Squash or split it` };
  }
  const approved = approvals({ pr, reviews, permissions, headCommit, commits });
  if (approved.reason) return { ok: false, reason: approved.reason };
  const plan = stickyPlan({ comments, botLogin, header });
  if (plan.reason) return { ok: false, reason: plan.reason };
  if (plan.head !== pr.head?.sha) return { ok: false, reason: `the sticky plan comment was planned on commit ${short(plan.head)}, not the approved head ${short(pr.head?.sha)}` };
  const edited = Date.parse(plan.comment.updated_at ?? plan.comment.created_at ?? 0);
  const after = approved.reviews.filter((r) => Date.parse(r.submitted_at ?? 0) >= edited);
  if (after.length === 0) {
    return { ok: false, reason: `the sticky plan comment was last edited at ${plan.comment.updated_at}, after the approval (${approved.reviews.map((r) => `${r.user.login} at ${r.submitted_at}`).join(', ')}): nobody approved the plan as it reads now; approve again` };
  }
  const runs = checkRuns.filter((c) => c.name === checkName && c.app?.slug === 'github-actions' && c.head_sha === pr.head?.sha);
  if (runs.length === 0) return { ok: false, reason: `no "${checkName}" check run by GitHub Actions on the head commit ${short(pr.head?.sha)}, so nothing but the comment records the plan` };
  const hashes = [...new Set(runs.map((c) => CHECK_TITLE.exec(c.output?.title ?? '')?.[1] ?? `(no hash: "${String(c.output?.title ?? '').slice(0, 40)}")`))];
  if (hashes.length > 1) return { ok: false, reason: `the "${checkName}" check runs on ${short(pr.head?.sha)} disagree (${hashes.join(', ')})` };
  if (hashes[0] !== plan.hash) return { ok: false, reason: `the "${checkName}" check run on ${short(pr.head?.sha)} records ${hashes[0]}, the sticky plan comment ${plan.hash}` };
  // The text the reviewer read is the text the plan run posted: its sha256 is in the check run, which no person can
  // edit; a comment edited since (in the web interface, by another workflow) no longer matches.
  const digests = [...new Set(runs.map((c) => DIGEST_ID.exec(c.external_id ?? '')?.[1] ?? '(none)'))];
  if (digests.length > 1) return { ok: false, reason: `the "${checkName}" check runs on ${short(pr.head?.sha)} record different comment texts` };
  if (digests[0] === '(none)') return { ok: false, reason: `the "${checkName}" check run on ${short(pr.head?.sha)} records no sha256 of the plan comment's text, so an edit of the comment cannot be told; push a commit (or re-run the plan job) to plan again, then approve` };
  const now = commentDigest(plan.comment.body, header);
  if (now !== digests[0]) {
    return { ok: false, reason: `the sticky plan comment's text is not the text the plan run posted (its sha256 is ${now.slice(0, 12)}…, the check run records ${digests[0].slice(0, 12)}…): it was edited after the plan run — in the web interface or by another workflow — so nobody can tell what the reviewer read. Re-run the plan job (or push a commit) and approve the new plan` };
  }
  return { ok: true, hash: plan.hash, pr: pr.number, head: pr.head.sha, approvers: after.map((r) => r.user.login) };
}

/**
 * Whether GitHub enforces "require approval of the most recent reviewable push" on `branch`: a `pull_request` rule
 * of GET /repos/{repo}/rules/branches/{branch} (rulesets; readable with read access), else
 * `required_pull_request_reviews.require_last_push_approval` of the classic branch protection (needs admin: the
 * workflow token usually gets 403/404). `{ on: true|false|undefined, where }`.
 */
export function lastPushApproval(rules, protection) {
  if (Array.isArray(rules) && rules.some((r) => r.type === 'pull_request' && r.parameters?.require_last_push_approval === true)) return { on: true, where: 'a ruleset' };
  if (protection?.required_pull_request_reviews?.require_last_push_approval === true) return { on: true, where: 'branch protection' };
  if (protection) return { on: false, where: 'branch protection' };
  return { on: Array.isArray(rules) ? false : undefined, where: Array.isArray(rules) ? 'the rulesets (classic branch protection is not readable with this token)' : 'nothing readable' };
}

async function getJson(api, token, path, tolerated = []) {
  const res = await fetch(`${api}${path}`, {
    headers: { Accept: 'application/vnd.github+json', Authorization: `Bearer ${token}`, 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'pcsync-approval' },
  });
  if (tolerated.includes(res.status)) return { status: res.status, body: undefined };
  if (!res.ok) throw new Error(`GET ${path.split('?')[0]} answered ${res.status}`);
  return { status: res.status, body: await res.json(), next: /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] };
}

/** Every page of a list; `key` picks the list out of an object reply (check runs come as `{ check_runs: [...] }`). */
async function getAll(api, token, path, key) {
  const items = [];
  let url = `${path}${path.includes('?') ? '&' : '?'}per_page=100`;
  for (let page = 0; url && page < 50; page++) {
    const { body, next } = await getJson(api, token, url);
    items.push(...(key ? body[key] : body));
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
  const checkName = env.PCSYNC_CHECK_NAME || 'pcsync plan';
  if (!repo || !sha || !token) throw new Error('GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_TOKEN must be set');
  const pulls = await getAll(api, token, `/repos/${repo}/commits/${sha}/pulls`);
  const listed = mergedPull(pulls, sha, base);
  if (!listed) return { ok: false, reason: `commit ${sha} is not the merge commit of a pull request merged into ${base}, so no plan was approved for it` };
  // The pull request itself: its changed_files and commits counts (lists leave them out) say whether the lists are complete.
  const pr = { ...listed, ...(await getJson(api, token, `/repos/${repo}/pulls/${listed.number}`)).body };
  const head = encodeURIComponent(String(pr.head?.sha));
  const reviews = await getAll(api, token, `/repos/${repo}/pulls/${pr.number}/reviews`);
  const permissions = {};
  for (const login of reviewersToCheck(pr, reviews)) {
    // 404: not a collaborator at all (e.g. a drive-by reviewer on a public repository).
    const res = await getJson(api, token, `/repos/${repo}/collaborators/${encodeURIComponent(login)}/permission`, [404]);
    permissions[login] = res.status === 404 ? 'none' : res.body.permission;
  }
  const files = await getAll(api, token, `/repos/${repo}/pulls/${pr.number}/files`);
  const commits = await getAll(api, token, `/repos/${repo}/pulls/${pr.number}/commits`);
  const comments = await getAll(api, token, `/repos/${repo}/issues/${pr.number}/comments`);
  const checkRuns = await getAll(api, token, `/repos/${repo}/commits/${head}/check-runs?check_name=${encodeURIComponent(checkName)}&filter=all`, 'check_runs');
  const headCommit = (await getJson(api, token, `/repos/${repo}/commits/${head}`)).body;
  const rules = (await getJson(api, token, `/repos/${repo}/rules/branches/${encodeURIComponent(base)}`, [403, 404])).body;
  const protection = (await getJson(api, token, `/repos/${repo}/branches/${encodeURIComponent(base)}/protection`, [401, 403, 404])).body;
  const args = { pr, reviews, comments, permissions, files, checkRuns, headCommit, commits, checkName, desiredDir: env.PCSYNC_DESIRED_DIR || 'desired-state', botLogin: env.PCSYNC_BOT_LOGIN || 'github-actions[bot]', header: env.PCSYNC_COMMENT_HEADER || 'pcsync-plan' };
  const decision = decide(args);
  if (!decision.ok) return { ...decision, reason: `pull request #${pr.number}: ${decision.reason}` };
  const last = lastPushApproval(rules, protection);
  if (!last.on) {
    const text = `"Require approval of the most recent reviewable push" is not shown on for ${base} (${last.where}): a reviewer could approve a commit someone pushed on their behalf. Turn it on in a ruleset for ${base}`;
    if (env.PCSYNC_LAST_PUSH_APPROVAL !== 'warn') return { ok: false, reason: `pull request #${pr.number}: ${text}` };
    return { ...decision, warning: text };
  }
  return decision;
}

/**
 * A workflow command's message on one line: file names and check-run titles come from whoever wrote them, so line
 * breaks are escaped as GitHub's runner expects (%0A, %0D, %25) and other control or bidi characters become `?`.
 */
export function commandText(s) {
  return String(s)
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.env).then(
    (d) => {
      if (!d.ok) {
        console.log(`::error::${commandText(`Nothing is applied: ${d.reason}.`)}`);
        process.exit(1);
      }
      if (d.warning) console.log(`::warning::${commandText(`${d.warning}.`)}`);
      console.log(`Pull request #${d.pr} approved by ${d.approvers.join(', ')} at head ${short(d.head)}; its plan has actions hash ${d.hash}.`);
      if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `hash=${d.hash}\npr=${d.pr}\nhead=${d.head}\n`);
    },
    (err) => {
      console.log(`::error::${commandText(`Nothing is applied: could not read the pull request's approval (${err.message}).`)}`);
      process.exit(1);
    },
  );
}
