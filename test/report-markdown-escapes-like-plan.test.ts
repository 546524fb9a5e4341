import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { expectBalancedDetails, expectInert, hostileScenario } from './helpers/hostile.js';
import { mdText } from '../src/core/markdown-text.js';

let sim: StartedSim | undefined;
afterEach(async () => sim?.close());

/** `report --format markdown` escaped only `|` and newlines; it now uses the plan's markdown escaping. */
describe('report --format markdown escapes like the plan', () => {
  it('neutralises raw HTML, </details>, @mentions and javascript: links in company and offer names', async () => {
    sim = await startSim({ scenario: hostileScenario() });
    const res = await runCli(['report', '--format', 'markdown'], { env: demoEnv(sim, { PCSYNC_NOW: '2026-12-01T00:00:00Z' }) });
    expect(res.code, res.stderr).toBe(0);
    const row = res.stdout.split('\n').find((l) => l.includes('Contoso'))!;
    expect(row).toBeDefined();
    expect(row.split(/(?<!\\)\|/)).toHaveLength(10); // 8 cells: no name adds a column
    // Every <, [ and @ of a name is escaped (\< \[ &#64;): nothing renders as HTML, a link or a mention.
    expect(res.stdout).not.toMatch(/(?<!\\)<(img|\/?details)|(?<![\\\w&#])@team|(?<!\\)\]\(javascript:/);
    expect(res.stdout).toContain(mdText(hostileScenario().customers.find((c) => c.companyName.startsWith('Contoso'))!.companyName));
    expectBalancedDetails('report', res.stdout);
    expectInert('report markdown', res.stdout + res.stderr);
  });
});
