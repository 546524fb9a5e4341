import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/demo.js';
import { actionText } from './helpers/workflows.js';

/**
 * The drift job's last step runs `.github/scripts/drift-issue.mjs` (action.yml, command: drift) word for word; here as a
 * child process against a loopback server answering like the GitHub REST issues API.
 */
const SCRIPT = join(repoRoot, '.github', 'scripts', 'drift-issue.mjs');
const REPO = 'example-partner/partner-desired-state';
const MARKER = '<!-- pcsync:renewals-and-waste -->';

interface Seen { method: string; url: string; body?: any; auth?: string }
let server: Server | undefined;
afterEach(() => server?.close());

async function github(issues: any[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, ...(text && { body: JSON.parse(text) }), auth: req.headers.authorization });
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'GET') return res.end(JSON.stringify(issues));
      if (req.method === 'POST') return res.writeHead(201).end(JSON.stringify({ number: 7 }));
      return res.end(JSON.stringify({ number: Number(req.url!.split('/').pop()) }));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen };
}

function run(api: string, report: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-issue-'));
  writeFileSync(join(dir, 'renewals.md'), report);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_TOKEN: 'ghs_test', GITHUB_REPOSITORY: REPO, GITHUB_API_URL: api, REPORT_FILE: 'renewals.md', RUN_URL: 'https://github.com/x/y/actions/runs/1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out));
  });
}

describe('the drift run keeps one issue up to date with the renewals and unused seats tables', () => {
  it('opens the issue when there is none, then replaces the body of the one it opened (never one a person opened)', async () => {
    const table = '### Unused seats as of 2026-12-05\n\n| Customer | Seats |\n|---|---:|\n| Northwind | 40 |\n';
    const first = await github([{ number: 3, user: { login: 'someone' }, body: `${MARKER}\nnot mine` }]);
    expect(await run(first.url, table)).toContain('Opened issue #7');
    expect(first.seen.map((s) => `${s.method} ${s.url.split('?')[0]}`)).toEqual([`GET /repos/${REPO}/issues`, `POST /repos/${REPO}/issues`]);
    expect(first.seen[0]!.url).toContain('creator=github-actions%5Bbot%5D');
    expect(first.seen[1]!.body.title).toBe('pcsync: renewals and unused seats');
    expect(first.seen[1]!.body.body.startsWith(MARKER)).toBe(true);
    expect(first.seen[1]!.body.body).toContain(table);
    expect(first.seen[1]!.auth).toBe('Bearer ghs_test');
    server!.close();

    const second = await github([{ number: 12, user: { login: 'github-actions[bot]' }, body: `${MARKER}\nold tables` }]);
    expect(await run(second.url, table)).toContain('Updated issue #12');
    expect(second.seen.map((s) => `${s.method} ${s.url}`)).toContain(`PATCH /repos/${REPO}/issues/12`);
    expect(second.seen.at(-1)!.body.body).toContain('| Northwind | 40 |');
  });

  it('a refusal (issues disabled, no permission) is a warning, not a failed job', async () => {
    const gh = await github([]);
    server!.removeAllListeners('request');
    server!.on('request', (_req, res) => res.writeHead(403).end('{}'));
    expect(await run(gh.url, 'x')).toMatch(/^::warning::Could not update the renewals and unused seats issue: GET .* answered 403/);
  });

  it('action.yml runs it for drift only, with the Partner Center credentials blanked', () => {
    const action = parseYaml(actionText()) as { runs: { steps: { name?: string; if?: string; env?: Record<string, string>; run?: string }[] } };
    const step = action.runs.steps.find((s) => s.run?.includes('drift-issue.mjs'))!;
    expect(step.if).toContain("inputs.command == 'drift'");
    for (const v of ['PARTNER_CENTER_TOKEN', 'PARTNER_CENTER_REFRESH_TOKEN', 'PARTNER_CENTER_CLIENT_SECRET', 'PARTNER_CENTER_PRICES_TOKEN', 'PARTNER_CENTER_GRAPH_TOKEN']) expect(step.env?.[v]).toBe('');
    expect(actionText()).toContain('report --waste --dir "$DIR" --format markdown');
    expect(actionText()).toContain('cat renewals.md; } >> "$GITHUB_STEP_SUMMARY"');
  });
});
