import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';

interface Row {
  companyName: string;
  offerName: string;
  commerce: string;
  risk: string;
  daysLeft?: number;
  deadline?: string;
  cancellationDeadline?: string;
  autoRenew?: boolean;
  action: string;
}

describe('pcsync report --renewals on a mixed legacy / new-commerce tenant', () => {
  let sim: StartedSim;
  beforeAll(async () => (sim = await startSim({ scenario: 'new-commerce' })));
  afterAll(async () => sim?.close());

  it('lists every active subscription with its deadlines, what needs action first, and flags the extended-term roll-over', async () => {
    const res = await runCli(['report', '--renewals', '--format', 'json'], { env: demoEnv(sim) });
    expect(res.code, res.stderr).toBe(0);
    const rows = (JSON.parse(res.stdout) as { rows: Row[] }).rows;
    expect(rows.map((r) => [r.companyName, r.commerce, r.risk])).toEqual([
      ['Adatum', 'new', 'extended-term'],
      ['Adatum', 'legacy', 'retired-offer'],
      ['Tailspin Toys', 'new', 'cancellation-window'],
      ['Wingtip Toys', 'new', 'renews'],
    ]);
    expect(rows[0]).toMatchObject({ daysLeft: 20, autoRenew: false });
    expect(rows[0]!.action).toMatch(/rolls into a paid extended service term/);
    expect(rows[2]!.deadline).toBe(rows[2]!.cancellationDeadline);
    expect(rows[2]!.daysLeft).toBe(4);
    // Within a risk, fewest days first; the legacy one counts to its term end.
    expect(rows[1]!.daysLeft).toBe(60);
  });

  it('the same facts in text, markdown and CSV', async () => {
    const [text, md, csv] = await Promise.all(['text', 'markdown', 'csv'].map((f) => runCli(['report', '--renewals', '--format', f], { env: demoEnv(sim) })));
    expect(text!.stdout).toMatch(/Adatum — Office 365 E3 \(new commerce\): auto-renew off without a cancel at term end/);
    expect(md!.stdout).toMatch(/\| 20 \| .* \| extended-term \| Adatum \| NCE \|/);
    expect(csv!.stdout.split('\r\n')[1]).toMatch(/^20,.*,extended-term,/);
  });

  it('with a "now" past the term ends, risks are worded as what happened, never as what will (no "migrate before" a past date)', async () => {
    const later = new Date(Date.now() + 400 * 86_400_000).toISOString();
    const res = await runCli(['report', '--renewals', '--format', 'json', '--now', later], { env: demoEnv(sim) });
    expect(res.code, res.stderr).toBe(0);
    const rows = (JSON.parse(res.stdout) as { rows: Row[] }).rows;
    expect(rows.every((r) => (r.daysLeft ?? 0) < 0)).toBe(true);
    const action = (risk: string) => rows.find((r) => r.risk === risk)!.action;
    expect(action('extended-term')).toMatch(/^auto-renew off without a cancel at term end: since \d{4}-\d\d-\d\d \(\d+ day\(s\) ago\) it is in a paid extended service term/);
    expect(action('retired-offer')).toMatch(/^retired offer: its term ended on \d{4}-\d\d-\d\d \(\d+ day\(s\) ago\) and it cannot renew; migrate now/);
    const text = await runCli(['report', '--renewals', '--now', later], { env: demoEnv(sim) });
    expect(text.stdout).not.toMatch(/migrate before|rolls into|renews on|ends on/);
  });
});
