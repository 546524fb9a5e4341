import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/demo.js';
import { partnerWorkflows } from '../src/init/workflows.js';

/**
 * The apply workflow's approval step runs `.github/scripts/approval.mjs` (action.yml, command: approval); the plan
 * job's last step runs `.github/scripts/plan-check.mjs`. This test runs those files as child processes, word for
 * word, against a loopback server answering like the GitHub REST API with recorded-style payloads, and reads their
 * GITHUB_OUTPUT and what they sent.
 */
const SCRIPT = join(repoRoot, '.github', 'scripts', 'approval.mjs');
const CHECK_SCRIPT = join(repoRoot, '.github', 'scripts', 'plan-check.mjs');
const REPO = 'example-partner/partner-desired-state';
const MERGE = 'a6f0e4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7';
const HEAD = '5d41402abc4b2a76b9719d911017c592d2e1f0aa';
const OLDER = '9e107d9d372bb6826bd81d3542a419d6c0ffee00';
const HASH = `sha256:${'3f'.repeat(32)}`;
const OTHER_HASH = `sha256:${'ab'.repeat(32)}`;
const TOKEN = 'ghs_testtoken0000000000000000000000000';

const user = (login: string, type = 'User') => ({ login, id: login.length * 1000 + 7, node_id: `U_${login}`, type, site_admin: false, html_url: `https://github.com/${login}` });
const bot = user('github-actions[bot]', 'Bot');

const pull = () => ({
  url: `https://api.github.com/repos/${REPO}/pulls/42`,
  id: 1_800_000_042,
  number: 42,
  state: 'closed',
  title: 'Migrate Contoso off CRM Basic',
  user: user('dana-author'),
  created_at: '2026-11-30T09:00:00Z',
  merged_at: '2026-12-01T10:00:00Z',
  merge_commit_sha: MERGE,
  head: { label: 'example-partner:contoso', ref: 'contoso', sha: HEAD },
  base: { label: 'example-partner:main', ref: 'main', sha: '0000000000000000000000000000000000000001' },
  author_association: 'MEMBER',
});

let nextId = 7_000_000;
const review = (login: string, state: string, commit: string, at: string, association = 'MEMBER') => ({
  id: nextId++,
  node_id: `PRR_${nextId}`,
  user: user(login),
  body: '',
  state,
  html_url: `https://github.com/${REPO}/pull/42#pullrequestreview-${nextId}`,
  pull_request_url: `https://api.github.com/repos/${REPO}/pulls/42`,
  author_association: association,
  submitted_at: at,
  commit_id: commit,
});

const comment = (by: ReturnType<typeof user>, body: string, association = 'NONE', updatedAt = '2026-12-01T09:50:00Z') => ({
  id: nextId++,
  node_id: `IC_${nextId}`,
  url: `https://api.github.com/repos/${REPO}/issues/comments/${nextId}`,
  user: by,
  created_at: '2026-11-30T09:05:00Z',
  updated_at: updatedAt,
  author_association: association,
  body,
});

/** The sticky comment as marocchino/sticky-pull-request-comment posts the action's plan.md: hash, head commit, plan. */
const sticky = (hash = HASH, head = HEAD, updatedAt?: string) =>
  comment(bot, `<!-- pcsync:actions-hash ${hash} -->\n<!-- pcsync:head-sha ${head} -->\n## pcsync plan: 1 of 1 customer(s) to change\n\n…\n\nPlanned on the pull request head commit \`${head}\`.\n\n<!-- Sticky Pull Request Commentpcsync-plan -->`, 'NONE', updatedAt);

/** sha256 of a comment's text as the plan run posted it: LF line ends, no sticky footer, no trailing white space. */
const digestOf = (body: string) =>
  createHash('sha256').update(body.replace(/\r\n/g, '\n').trimEnd().replace(/<!-- Sticky Pull Request Commentpcsync-plan -->$/, '').trimEnd()).digest('hex');

/** A check run as GET /commits/{sha}/check-runs lists it; `plan-check.mjs` creates it with the workflow token. */
const checkRun = (hash = HASH, opts: { app?: string; head?: string; name?: string; title?: string; body?: string; externalId?: string | null } = {}) => ({
  id: nextId++,
  ...(opts.externalId === null ? {} : { external_id: opts.externalId ?? `pcsync-comment-sha256:${digestOf(opts.body ?? sticky(hash).body)}` }),
  name: opts.name ?? 'pcsync plan',
  head_sha: opts.head ?? HEAD,
  status: 'completed',
  conclusion: 'neutral',
  started_at: '2026-12-01T09:49:00Z',
  completed_at: '2026-12-01T09:49:00Z',
  output: { title: opts.title ?? `Actions hash ${hash}`, summary: '…' },
  app: { id: 15368, slug: opts.app ?? 'github-actions', name: 'GitHub Actions' },
});

interface Payloads {
  pulls: unknown[];
  reviews: unknown[];
  comments: unknown[];
  permissions: Record<string, string>;
  files: unknown[];
  checkRuns: unknown[];
  headCommit: unknown;
  /** GET /pulls/42/commits. */
  commits: unknown[];
  /** GET /pulls/42: the pull request with its counts (the list endpoints leave them out). */
  full: Record<string, unknown>;
  /** GET /rules/branches/main; undefined → 404. */
  rules?: unknown[];
}

const lastPushRule = { type: 'pull_request', ruleset_source_type: 'Repository', ruleset_id: 7, parameters: { require_last_push_approval: true, required_approving_review_count: 1, dismiss_stale_reviews_on_push: true } };

const proper = (): Payloads => ({
  pulls: [pull()],
  reviews: [review('rui-reviewer', 'COMMENTED', OLDER, '2026-11-30T12:00:00Z'), review('rui-reviewer', 'APPROVED', HEAD, '2026-12-01T09:55:00Z')],
  comments: [comment(user('dana-author'), 'Please review', 'MEMBER'), sticky()],
  permissions: { 'rui-reviewer': 'write' },
  files: [{ sha: 'f1', filename: 'desired-state/customers/contoso.yaml', status: 'modified', additions: 3, deletions: 1, changes: 4 }],
  checkRuns: [checkRun()],
  headCommit: { sha: HEAD, author: user('dana-author'), committer: user('web-flow'), commit: { message: 'Migrate Contoso' } },
  commits: [
    { sha: OLDER, author: user('dana-author'), committer: user('dana-author'), commit: { message: 'Contoso: first go' } },
    { sha: HEAD, author: user('dana-author'), committer: user('web-flow'), commit: { message: 'Migrate Contoso' } },
  ],
  full: { ...pull(), commits: 2, changed_files: 1 },
  rules: [lastPushRule],
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** A loopback GitHub API serving `p`; lists come in pages of 2 with Link headers, as the API pages them. */
async function github(p: Payloads, posted: unknown[] = []): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('{"message":"Bad credentials"}');
    const base = `/repos/${REPO}`;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
    const pageOf = (items: unknown[]) => {
      const page = Number(url.searchParams.get('page') ?? '1');
      const headers: Record<string, string> = {};
      if (page * 2 < items.length) headers.link = `<http://${req.headers.host}${url.pathname}?${new URLSearchParams({ ...Object.fromEntries(url.searchParams), page: String(page + 1) })}>; rel="next"`;
      return { slice: items.slice((page - 1) * 2, page * 2), headers };
    };
    const paged = (items: unknown[]) => {
      const { slice, headers } = pageOf(items);
      json(200, slice, headers);
    };
    if (req.method === 'POST' && url.pathname === `${base}/check-runs`) {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        posted.push(JSON.parse(body));
        json(201, { id: 1, ...JSON.parse(body), app: { slug: 'github-actions' } });
      });
      return;
    }
    if (url.pathname === `${base}/commits/${MERGE}/pulls`) return paged(p.pulls);
    if (url.pathname === `${base}/pulls/42/reviews`) return paged(p.reviews);
    if (url.pathname === `${base}/pulls/42/files`) return paged(p.files);
    if (url.pathname === `${base}/pulls/42/commits`) return paged(p.commits);
    if (url.pathname === `${base}/pulls/42`) return json(200, p.full);
    if (url.pathname === `${base}/issues/42/comments`) return paged(p.comments);
    if (url.pathname === `${base}/commits/${HEAD}/check-runs`) {
      // check_name filters by name, as the API does; the list comes wrapped with its total.
      const named = p.checkRuns.filter((c) => (c as { name: string }).name === url.searchParams.get('check_name'));
      const { slice, headers } = pageOf(named);
      return json(200, { total_count: named.length, check_runs: slice }, headers);
    }
    if (url.pathname === `${base}/commits/${HEAD}`) return json(200, p.headCommit);
    if (url.pathname === `${base}/rules/branches/main`) return p.rules ? json(200, p.rules) : json(404, { message: 'Not Found' });
    // The workflow token cannot read classic branch protection (admin only).
    if (url.pathname === `${base}/branches/main/protection`) return json(403, { message: 'Resource not accessible by integration' });
    const perm = new RegExp(`^${base}/collaborators/([^/]+)/permission$`).exec(url.pathname);
    if (perm) {
      const login = decodeURIComponent(perm[1]!);
      if (!(login in p.permissions)) return json(404, { message: 'Not Found' });
      const permission = p.permissions[login]!;
      return json(200, { permission, role_name: permission, user: user(login) });
    }
    json(404, { message: 'Not Found' });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, requests };
}

async function run(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; output: string }> {
  const outFile = join(mkdtempSync(join(tmpdir(), 'pcsync-approval-')), 'github_output');
  writeFileSync(outFile, '');
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, GITHUB_REPOSITORY: REPO, GITHUB_TOKEN: TOKEN, GITHUB_OUTPUT: outFile, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  return { code, stdout, output: readFileSync(outFile, 'utf8') };
}

async function runApproval(p: Payloads, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; output: string; requests: string[] }> {
  const api = await github(p);
  return { ...(await run(SCRIPT, { GITHUB_API_URL: api.url, GITHUB_SHA: MERGE, ...env })), requests: api.requests };
}

async function refused(p: Payloads, reason: RegExp, env: Record<string, string> = {}): Promise<void> {
  const r = await runApproval(p, env);
  expect(r.code, r.stdout).toBe(1);
  expect(r.stdout).toMatch(/^::error::Nothing is applied: /m);
  expect(r.stdout).toMatch(reason);
  expect(r.output).toBe('');
  expect(r.stdout).not.toContain(TOKEN);
}

describe('the apply workflow\'s approval script (.github/scripts/approval.mjs)', () => {
  it('is the file the action runs for command: approval, which both apply workflows call', () => {
    const action = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
    expect(action).toContain('run: node "$GITHUB_ACTION_PATH/.github/scripts/approval.mjs"');
    for (const w of [readFileSync(join(repoRoot, '.github/workflows/apply.yml'), 'utf8'), partnerWorkflows({ action: 'o/pcsync@' + '0'.repeat(40), actionTag: 'v1', hideUsers: false })['.github/workflows/pcsync-apply.yml']!]) {
      expect(w).toMatch(/id: approval\n\s+uses: \S+( # v\S+)?\n\s+with:\n\s+command: approval\n/);
      expect(w).toContain('approved-hash: ${{ steps.approval.outputs.approved-hash }}');
    }
  });

  it('accepts the proper case: the head commit approved by a writer, the hash from the start of the bot\'s sticky comment', async () => {
    const r = await runApproval(proper());
    expect(r.code, r.stdout).toBe(0);
    expect(r.output).toBe(`hash=${HASH}\npr=42\nhead=${HEAD}\n`);
    expect(r.stdout).toContain('approved by rui-reviewer');
    expect(r.stdout).not.toContain('::warning::');
    expect(r.requests).toContain(`GET /repos/${REPO}/collaborators/rui-reviewer/permission`);
    expect(r.requests).toContain(`GET /repos/${REPO}/commits/${HEAD}/check-runs`);
    expect(r.requests.every((q) => q.startsWith('GET '))).toBe(true);
  });

  it('refuses an approval of an older commit than the merged head', async () => {
    const p = proper();
    p.reviews = [review('rui-reviewer', 'APPROVED', OLDER, '2026-11-30T12:00:00Z')];
    await refused(p, /rui-reviewer approved 9e107d9, not the merged head 5d41402/);
  });

  it('refuses an approval by a user without write access (author association NONE)', async () => {
    const p = proper();
    p.reviews = [review('drive-by', 'APPROVED', HEAD, '2026-12-01T09:55:00Z', 'NONE')];
    p.permissions = { 'drive-by': 'read' };
    await refused(p, /drive-by has no write access \(association NONE, permission read\)/);
  });

  it('refuses a reviewer who is no collaborator at all (the permission endpoint answers 404)', async () => {
    const p = proper();
    p.permissions = {};
    await refused(p, /rui-reviewer has no write access \(association MEMBER, permission none\)/);
  });

  it('refuses a collaborator whose repository permission is only read, whatever the association says', async () => {
    const p = proper();
    p.permissions = { 'rui-reviewer': 'read' };
    await refused(p, /rui-reviewer has no write access/);
  });

  it("refuses an approval followed by the same reviewer's CHANGES_REQUESTED", async () => {
    const p = proper();
    p.reviews = [...p.reviews, review('rui-reviewer', 'CHANGES_REQUESTED', HEAD, '2026-12-01T09:58:00Z')];
    await refused(p, /rui-reviewer requested changes and has not approved since/);
  });

  it('refuses a marker in a later comment that is not the sticky plan comment (even one posted by the bot)', async () => {
    const p = proper();
    p.comments = [
      comment(user('dana-author'), 'Please review', 'MEMBER'),
      comment(bot, `Plan below:\n<!-- pcsync:actions-hash ${OTHER_HASH} -->\n<!-- Sticky Pull Request Commentpcsync-plan -->`),
      comment(user('mallory', 'User'), `<!-- pcsync:actions-hash ${OTHER_HASH} -->\n<!-- Sticky Pull Request Commentpcsync-plan -->`),
      comment(bot, `<!-- pcsync:actions-hash ${OTHER_HASH} -->\nsome other bot comment`),
    ];
    // The only sticky comment by the bot does not START with the marker; the others are not the sticky comment.
    await refused(p, /does not start with the pcsync actions-hash marker/);

    const later = proper();
    later.comments = [sticky(HASH), comment(user('mallory'), `<!-- pcsync:actions-hash ${OTHER_HASH} -->\n<!-- Sticky Pull Request Commentpcsync-plan -->`, 'COLLABORATOR'), comment(bot, `<!-- pcsync:actions-hash ${OTHER_HASH} -->\n`)];
    const r = await runApproval(later);
    expect(r.code, r.stdout).toBe(0);
    expect(r.output).toBe(`hash=${HASH}\npr=42\nhead=${HEAD}\n`);
  });

  it('refuses a commit that is not the merge commit of a pull request merged into main, and a PR without a plan comment', async () => {
    const p = proper();
    p.pulls = [{ ...pull(), merge_commit_sha: OLDER }];
    await refused(p, /is not the merge commit of a pull request merged into main/);
    const q = proper();
    q.comments = [comment(user('dana-author'), 'Please review', 'MEMBER')];
    await refused(q, /no sticky plan comment/);
  });

  it('refuses a sticky comment edited after the approval (e.g. by a workflow on another branch, as github-actions[bot])', async () => {
    const p = proper();
    p.comments = [sticky(OTHER_HASH, HEAD, '2026-12-01T10:05:00Z')];
    p.checkRuns = [checkRun(OTHER_HASH)];
    await refused(p, /the sticky plan comment was last edited at 2026-12-01T10:05:00Z, after the approval \(rui-reviewer at 2026-12-01T09:55:00Z\)/);
  });

  it('refuses a sticky comment forged before the approval whose hash is not the check run\'s', async () => {
    const p = proper();
    p.comments = [sticky(OTHER_HASH)];
    await refused(p, new RegExp(`the "pcsync plan" check run on 5d41402 records ${HASH}, the sticky plan comment ${OTHER_HASH}`));
  });

  it('refuses a sticky comment planned on another commit than the approved head, or naming none', async () => {
    const p = proper();
    p.comments = [sticky(HASH, OLDER)];
    await refused(p, /the sticky plan comment was planned on commit 9e107d9, not the approved head 5d41402/);
    const q = proper();
    q.comments = [comment(bot, `<!-- pcsync:actions-hash ${HASH} -->\n## pcsync plan\n<!-- Sticky Pull Request Commentpcsync-plan -->`)];
    await refused(q, /does not name the head commit it was planned on/);
  });

  it('refuses without a check run by GitHub Actions on the head, and when check runs disagree', async () => {
    const none = proper();
    none.checkRuns = [checkRun(HASH, { app: 'someone-elses-app' }), checkRun(HASH, { head: OLDER })];
    await refused(none, /no "pcsync plan" check run by GitHub Actions on the head commit 5d41402/);
    const two = proper();
    two.checkRuns = [checkRun(HASH), checkRun(OTHER_HASH)];
    await refused(two, /check runs on 5d41402 disagree/);
  });

  it('a forged check-run title cannot write a workflow command line of its own', async () => {
    const p = proper();
    p.checkRuns = [checkRun(HASH), checkRun(HASH, { title: 'x\n::set-env name=A::b\r\n%0A' })];
    const r = await runApproval(p);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(1);
    expect(r.stdout).toContain('x%0A::set-env name=A::b%0D%0A%250A');
  });

  it('refuses a sticky comment whose text was edited after the plan run (web interface), even before the approval', async () => {
    const p = proper();
    const forged = sticky();
    forged.body = forged.body.replace('## pcsync plan: 1 of 1 customer(s) to change', '## pcsync plan: nothing to buy, all good');
    p.comments = [forged];
    await refused(p, /the sticky plan comment's text is not the text the plan run posted \(its sha256 is [0-9a-f]{12}…, the check run records [0-9a-f]{12}…\): it was edited after the plan run/);
    // CR-LF line ends (as a browser may send them) and the sticky footer are not edits
    const crlf = proper();
    crlf.comments = [{ ...sticky(), body: sticky().body.replace(/\n/g, '\r\n') }];
    expect((await runApproval(crlf)).code).toBe(0);
  });

  it('refuses a check run that records no sha256 of the comment text, and check runs that disagree on it', async () => {
    const none = proper();
    none.checkRuns = [checkRun(HASH, { externalId: null })];
    await refused(none, /records no sha256 of the plan comment's text/);
    const two = proper();
    two.checkRuns = [checkRun(), checkRun(HASH, { externalId: `pcsync-comment-sha256:${'0'.repeat(64)}` })];
    await refused(two, /check runs on 5d41402 record different comment texts/);
  });

  it('refuses a pull request that changes the workflows or the action (its own run wrote the evidence)', async () => {
    for (const files of [[{ filename: '.github/workflows/pcsync-plan.yml', status: 'modified' }], [{ filename: 'docs/x.yml', previous_filename: '.github/scripts/approval.mjs', status: 'renamed' }], [{ filename: 'action.yml', status: 'modified' }]]) {
      const p = proper();
      p.files = [...p.files, ...files];
      p.full = { ...p.full, changed_files: p.files.length };
      await refused(p, /changes (\.github\/|action\.yml).*a pull_request run uses the pull request's own workflow files/);
    }
  });

  it('refuses a reviewer who authored or committed the approved head commit', async () => {
    const p = proper();
    p.headCommit = { sha: HEAD, author: user('dana-author'), committer: user('rui-reviewer') };
    await refused(p, /rui-reviewer authored or committed a commit of this pull request and cannot approve it/);
  });

  it('refuses a reviewer who authored or committed ANY commit of the pull request, not only the head', async () => {
    const p = proper();
    p.commits = [{ sha: OLDER, author: user('rui-reviewer'), committer: user('rui-reviewer') }, ...p.commits.slice(1)];
    await refused(p, /rui-reviewer authored or committed a commit of this pull request and cannot approve it/);
  });

  it('refuses when GitHub does not list every commit (more than 250) or every file (more than 3,000)', async () => {
    const many = proper();
    many.full = { ...many.full, commits: 300 };
    await refused(many, /it has 300 commits and GitHub lists 2 \(at most 250\), so who wrote them cannot be verified/);
    const big = proper();
    big.full = { ...big.full, changed_files: 3001 };
    await refused(big, /it changes 3001 files and GitHub lists 1 \(at most 3000\), so what it changes cannot be verified/);
  });

  it('refuses a pull request that changes anything outside desired-state/ together with it (code, docs, package files)', async () => {
    for (const files of [[{ filename: 'src/apply/run.ts', status: 'modified' }], [{ filename: 'package.json', status: 'modified' }], [{ filename: 'desired-state/x.yaml', previous_filename: 'notes/x.yaml', status: 'renamed' }]]) {
      const p = proper();
      p.files = [...p.files, ...files];
      p.full = { ...p.full, changed_files: p.files.length };
      await refused(p, /outside desired-state\/: the plan reviewers approved was made by the base commit's code, the apply runs the merged commit's/);
    }
    // the desired-state folder the action is given (working-directory/directory) is the one that counts
    const nested = proper();
    nested.files = [{ filename: 'partner/desired-state/customers/contoso.yaml', status: 'modified' }];
    expect((await runApproval(nested, { PCSYNC_DESIRED_DIR: './partner/desired-state' })).code).toBe(0);
    await refused(nested, /changes partner\/desired-state\/customers\/contoso\.yaml outside desired-state\//);
  });

  it('"require approval of the most recent reviewable push": a warning when not shown on, a refusal with last-push-approval: require', async () => {
    const off = proper();
    off.rules = [{ type: 'pull_request', parameters: { require_last_push_approval: false } }];
    const r = await runApproval(off, { PCSYNC_LAST_PUSH_APPROVAL: 'warn' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^::warning::"Require approval of the most recent reviewable push" is not shown on for main \(the rulesets/m);
    await refused(off, /is not shown on for main/, { PCSYNC_LAST_PUSH_APPROVAL: 'require' });
    // require is the default: of the script, of the action's input, and what pcsync init writes
    await refused(off, /is not shown on for main/);
    expect((parseYaml(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs['last-push-approval']!.default).toBe('require');
    expect(partnerWorkflows({ action: 'o/pcsync@' + '0'.repeat(40), actionTag: 'v1', hideUsers: false })['.github/workflows/pcsync-apply.yml']).toMatch(/command: approval\n(\s+#.*\n)?\s+last-push-approval: require\n/);
    const unreadable = proper();
    delete unreadable.rules;
    await refused(unreadable, /not shown on for main \(nothing readable\)/, { PCSYNC_LAST_PUSH_APPROVAL: 'require' });
    const on = await runApproval(proper(), { PCSYNC_LAST_PUSH_APPROVAL: 'require' });
    expect(on.code, on.stdout).toBe(0);
  });
});

describe('the plan job\'s check run (.github/scripts/plan-check.mjs)', () => {
  it('is the file the action runs after a pull request\'s plan', () => {
    const action = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
    expect(action).toContain('run: node "$GITHUB_ACTION_PATH/.github/scripts/plan-check.mjs"');
  });

  it('creates a completed check run on the head commit whose title is the actions hash (what approval.mjs reads back)', async () => {
    const posted: unknown[] = [];
    const api = await github(proper(), posted);
    const planMd = join(mkdtempSync(join(tmpdir(), 'pcsync-plan-md-')), 'plan.md');
    const text = sticky().body.replace('<!-- Sticky Pull Request Commentpcsync-plan -->', '').trimEnd() + '\n';
    writeFileSync(planMd, text);
    const r = await run(CHECK_SCRIPT, { GITHUB_API_URL: api.url, HEAD_SHA: HEAD, ACTIONS_HASH: HASH, DETAILS_URL: 'https://github.com/x/y/actions/runs/9', PLAN_FILE: planMd });
    expect(r.code, r.stdout).toBe(0);
    // external_id: the sha256 of the comment text, which approval.mjs computes from the posted sticky comment
    expect(posted).toEqual([expect.objectContaining({ name: 'pcsync plan', head_sha: HEAD, status: 'completed', conclusion: 'neutral', details_url: 'https://github.com/x/y/actions/runs/9', external_id: `pcsync-comment-sha256:${digestOf(sticky().body)}`, output: expect.objectContaining({ title: `Actions hash ${HASH}` }) })]);
    expect(api.requests).toEqual([`POST /repos/${REPO}/check-runs`]);
  });

  it("the action's plan step names the head commit on the comment's second line and outputs the hash (what the check run records)", async () => {
    const { HEAD_MARKER } = (await import('../.github/scripts/approval.mjs')) as { HEAD_MARKER: RegExp };
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-plan-step-'));
    const output = join(dir, 'github_output');
    writeFileSync(output, '');
    // pcsync plan as far as this step sees it: the markdown plan on stdout, exit 2 (changes).
    const fakeCli = join(dir, 'fake-cli.js');
    writeFileSync(fakeCli, `if (process.argv[2] === 'plan') { process.stdout.write(${JSON.stringify(`<!-- pcsync:actions-hash ${HASH} -->\n## pcsync plan: 1 of 1 customer(s) to change\n`)}); process.exit(2); }`);
    const runStep = (parseYaml(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { runs: { steps: { id?: string; run?: string }[] } }).runs.steps.find((x) => x.id === 'run')!.run!;
    const res = spawnSync('bash', ['-e', '-c', runStep], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, PCSYNC_CLI: fakeCli, COMMAND: 'plan', DIR: 'desired-state', WORKDIR: '.', HIDE_USERS: 'false', APPROVED_HASH: '', FULL_PLAN_LINK: '', HEAD_SHA: HEAD, GITHUB_OUTPUT: output } });
    expect(res.status, res.stdout + res.stderr).toBe(0);
    const md = readFileSync(join(dir, 'plan.md'), 'utf8');
    expect(HEAD_MARKER.exec(`${md}\n<!-- Sticky Pull Request Commentpcsync-plan -->`)?.slice(1)).toEqual([HASH, HEAD]);
    expect(md).toContain(`Planned on the pull request head commit \`${HEAD}\`.`);
    expect(readFileSync(output, 'utf8')).toContain(`actions-hash=${HASH}\n`);
  });

  it('refuses to record anything but a 40-hex head and a sha256 hash', async () => {
    const posted: unknown[] = [];
    const api = await github(proper(), posted);
    const r = await run(CHECK_SCRIPT, { GITHUB_API_URL: api.url, HEAD_SHA: 'main', ACTIONS_HASH: HASH });
    expect(r.code).toBe(1);
    expect(posted).toEqual([]);
  });
});
