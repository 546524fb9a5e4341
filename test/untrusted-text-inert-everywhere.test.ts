import { mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO, copyDesiredState, demoEnv } from './helpers/demo.js';
import { expectBalancedDetails, expectInert, hostileScenario, outsideFences } from './helpers/hostile.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Markup that would be live on GitHub: unescaped HTML image, mention, javascript: link, a heading of its own. */
const LIVE_MARKUP = /(?<![\\&])<img|(?<![\\\w&#])@team|(?<!\\)\]\(javascript:|^#+ Pwned/m;

/** A desired-state file name is untrusted too (it comes from a pull request). */
const HOSTILE_FILE = 'contoso\u001b]0;x\u0007\u202e\n::warning::file ``` .yaml';

/**
 * Done-when 3 of issue 11: a scenario whose every text field carries control characters, bidi overrides,
 * backtick runs, `</details>`, @mentions and `::` lines. No text output holds a C0/C1 character other than
 * newline and tab, the markdown's <details> stay balanced, and the job-summary fence stays closed.
 */
describe('untrusted text is inert in every output', () => {
  it('plan (text, markdown, job summary), report (text, markdown, csv), import and apply (log and job summary)', async () => {
    sim = await startSim({ scenario: hostileScenario() });
    const dir = copyDesiredState();
    renameSync(join(dir, 'customers', 'contoso.yaml'), join(dir, 'customers', HOSTILE_FILE));
    const work = mkdtempSync(join(tmpdir(), 'pcsync-hostile-'));
    const summary = join(work, 'step-summary.md');
    const env = demoEnv(sim, { GITHUB_STEP_SUMMARY: summary, PCSYNC_NOW: '2026-12-01T00:00:00Z', PCSYNC_POLL_MS: '50' });

    const text = await runCli(['plan', '--dir', dir], { env });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('Contoso \\u001b]0;pwned\\u0007'); // shown, escaped, on one line
    expectInert('plan text', text.stdout + text.stderr);
    // A name that begins a line is shown, its workflow command defused at the output boundary.
    expect(text.stdout).toMatch(/^: :error title=forged::Fabrikam ##\[warning\]Government \(/m);

    const md = await runCli(['plan', '--dir', dir, '--format', 'markdown'], { env });
    expect(md.code, md.stderr).toBe(2);
    expectInert('plan markdown', md.stdout + md.stderr);
    expectBalancedDetails('plan markdown', md.stdout);
    expect(md.stdout).not.toMatch(LIVE_MARKUP);

    for (const format of ['text', 'markdown', 'csv'] as const) {
      const report = await runCli(['report', '--dir', dir, '--format', format], { env });
      expect(report.code, report.stderr).toBe(0);
      expect(report.stdout).toContain(format === 'csv' ? CONTOSO : '2 of 2 customers affected');
      expectInert(`report ${format}`, report.stdout + report.stderr, { crlf: format === 'csv' });
      if (format === 'markdown') {
        expectBalancedDetails('report markdown', report.stdout);
        expect(report.stdout).not.toMatch(LIVE_MARKUP);
        expect(report.stdout).not.toContain('</details>');
      }
    }

    const imported = await runCli(['import', '--dir', dir, '--customer', CONTOSO], { env });
    expect(imported.code, imported.stderr).toBe(0);
    expectInert('import', imported.stdout + imported.stderr);
    const doc = parse(imported.stdout) as { licenses: unknown[] };
    expect(doc.licenses).toHaveLength(1);

    const apply = await runCli(['apply', '--dir', dir, '--auto-approve'], { env, timeoutMs: 120_000 });
    expect(apply.code, apply.stderr).toBe(0);
    expectInert('apply log', apply.stdout + apply.stderr);

    const jobSummary = readFileSync(summary, 'utf8');
    expectInert('job summary', jobSummary, { annotations: true });
    expectBalancedDetails('job summary', outsideFences(jobSummary));
    expect(outsideFences(jobSummary)).not.toMatch(LIVE_MARKUP);
    const lines = jobSummary.split('\n');
    const head = lines.indexOf('### pcsync apply');
    expect(head).toBeGreaterThan(-1);
    const open = lines.slice(head + 1).find((l) => l.startsWith('```'))!;
    const fence = /^`+/.exec(open)![0];
    const start = lines.indexOf(open, head);
    const end = lines.findIndex((l, i) => i > start && l.startsWith(fence));
    // The first line that could close the fence is its own closing line, at the very end.
    expect(lines[end]).toBe(fence);
    expect(lines.slice(end + 1).join('\n').trim()).toBe('');
    expect(lines.slice(start + 1, end).join('\n')).toContain('Apply summary');
  }, 240_000);
});
