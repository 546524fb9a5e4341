import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { fleetPlan } from './helpers/fleet-plan.js';
import type { Plan } from '../src/plan/types.js';

/** The fleet plan with exactly one customer blocked: the helper's blocker pattern, kept for one customer only. */
function oneBlocked(customers: number): { plan: Plan; blockedName: string; reason: string } {
  const full = fleetPlan(customers);
  const blocked = full.customers.filter((c) => c.blockers.length > 0);
  const keep = blocked[0]!;
  const clean = fleetPlan(customers, 7, { blockers: false });
  const plan = { ...clean, customers: clean.customers.map((c) => (c.customerId === keep.customerId ? keep : c)) };
  return { plan, blockedName: keep.displayName, reason: keep.blockers[0]!.message };
}

/** Text outside every `<details>…</details>` block. */
function outsideDetails(md: string): string {
  return md.replace(/<details>[\s\S]*?<\/details>/g, '');
}

describe('markdown summary of a 1,000-customer fleet with one blocked customer (issue 13, Done-when 1)', () => {
  const { plan, blockedName, reason } = oneBlocked(1000);
  const md = render(plan, 'markdown', {});

  it('fits in one GitHub comment', () => {
    expect(md.length).toBeLessThanOrEqual(65_536);
  });

  it("names every customer", () => {
    expect(plan.customers).toHaveLength(1000);
    const missing = plan.customers.filter((c) => !md.includes(c.displayName));
    expect(missing.map((c) => c.displayName)).toEqual([]);
  });

  it('names every purchased offer in the summary, before the first <details>', () => {
    const summary = md.slice(0, md.indexOf('<details>'));
    const offers = new Set(plan.customers.flatMap((c) => c.actions.flatMap((a) => (a.kind === 'purchase' ? [a.offerName] : []))));
    expect(offers.size).toBeGreaterThan(1);
    for (const o of offers) expect(summary).toContain(o);
  });

  it("shows the blocked customer's reason outside any <details>", () => {
    const visible = outsideDetails(md);
    expect(visible).toContain(blockedName);
    // The reason as rendered (markdown-escaped) appears outside the collapsed sections.
    const words = reason.split(/\s+/).filter((w) => /^[a-z]{4,}$/.test(w));
    expect(words.length).toBeGreaterThan(3);
    const line = visible.split('\n').find((l) => l.startsWith('- ⛔') && l.includes(blockedName))!;
    expect(line).toBeDefined();
    for (const w of words) expect(line).toContain(w);
  });

  it('sorts the customer rows by name', () => {
    const section = md.slice(md.indexOf('### Customers'), md.indexOf('### Details'));
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| customer') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(1000);
    const names = rows.map((l) => l.match(/Fleet Customer \d+/)?.[0]).filter((n): n is string => n !== undefined);
    expect(names).toHaveLength(999);
    expect(names).toEqual([...names].sort());
  });
});
