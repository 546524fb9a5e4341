import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/demo.js';
import { partnerWorkflows } from '../src/init/workflows.js';

/**
 * The apply workflow's approval step runs `.github/scripts/approval.mjs` (action.yml, command: approval). This test
 * runs that file as a child process, word for word, against a loopback server answering like the GitHub REST API
 * with recorded-style payloads, and reads its GITHUB_OUTPUT.
 */
const SCRIPT = join(repoRoot, '.github', 'scripts', 'approval.mjs');
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

const comment = (by: ReturnType<typeof user>, body: string, association = 'NONE') => ({
  id: nextId++,
  node_id: `IC_${nextId}`,
  url: `https://api.github.com/repos/${REPO}/issues/comments/${nextId}`,
  user: by,
  created_at: '2026-11-30T09:05:00Z',
  updated_at: '2026-12-01T09:50:00Z',
  author_association: association,
  body,
});

/** The sticky comment as marocchino/sticky-pull-request-comment posts pcsync's plan.md. */
const sticky = (hash = HASH) => comment(bot, `<!-- pcsync:actions-hash ${hash} -->\n## pcsync plan: 1 of 1 customer(s) to change\n\n…\n\n<!-- Sticky Pull Request Commentpcsync-plan -->`);

interface Payloads {
  pulls: unknown[];
  reviews: unknown[];
  comments: unknown[];
  permissions: Record<string, string>;
}

const proper = (): Payloads => ({
  pulls: [pull()],
  reviews: [review('rui-reviewer', 'COMMENTED', OLDER, '2026-11-30T12:00:00Z'), review('rui-reviewer', 'APPROVED', HEAD, '2026-12-01T09:55:00Z')],
  comments: [comment(user('dana-author'), 'Please review', 'MEMBER'), sticky()],
  permissions: { 'rui-reviewer': 'write' },
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** A loopback GitHub API serving `p`; comments and reviews come in pages of 2 with Link headers, as the API pages them. */
async function github(p: Payloads): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('{"message":"Bad credentials"}');
    const base = `/repos/${REPO}`;
    const paged = (items: unknown[]) => {
      const page = Number(url.searchParams.get('page') ?? '1');
      const slice = items.slice((page - 1) * 2, page * 2);
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (page * 2 < items.length) headers.link = `<http://${req.headers.host}${url.pathname}?per_page=100&page=${page + 1}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify(slice));
    };
    if (url.pathname === `${base}/commits/${MERGE}/pulls`) return paged(p.pulls);
    if (url.pathname === `${base}/pulls/42/reviews`) return paged(p.reviews);
    if (url.pathname === `${base}/issues/42/comments`) return paged(p.comments);
    const perm = new RegExp(`^${base}/collaborators/([^/]+)/permission$`).exec(url.pathname);
    if (perm) {
      const login = decodeURIComponent(perm[1]!);
      if (!(login in p.permissions)) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      const permission = p.permissions[login]!;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ permission, role_name: permission, user: user(login) }));
    }
    res.writeHead(404).end('{"message":"Not Found"}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, requests };
}

async function runApproval(p: Payloads): Promise<{ code: number; stdout: string; output: string; requests: string[] }> {
  const api = await github(p);
  const outFile = join(mkdtempSync(join(tmpdir(), 'pcsync-approval-')), 'github_output');
  writeFileSync(outFile, '');
  const env = { PATH: process.env.PATH, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: MERGE, GITHUB_TOKEN: TOKEN, GITHUB_OUTPUT: outFile };
  const child = spawn(process.execPath, [SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  return { code, stdout, output: readFileSync(outFile, 'utf8'), requests: api.requests };
}

async function refused(p: Payloads, reason: RegExp): Promise<void> {
  const r = await runApproval(p);
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
    expect(r.output).toBe(`hash=${HASH}\npr=42\n`);
    expect(r.stdout).toContain('approved by rui-reviewer');
    expect(r.requests).toContain(`GET /repos/${REPO}/collaborators/rui-reviewer/permission`);
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
    expect(r.output).toBe(`hash=${HASH}\npr=42\n`);
  });

  it('refuses a commit that is not the merge commit of a pull request merged into main, and a PR without a plan comment', async () => {
    const p = proper();
    p.pulls = [{ ...pull(), merge_commit_sha: OLDER }];
    await refused(p, /is not the merge commit of a pull request merged into main/);
    const q = proper();
    q.comments = [comment(user('dana-author'), 'Please review', 'MEMBER')];
    await refused(q, /no sticky plan comment/);
  });
});
