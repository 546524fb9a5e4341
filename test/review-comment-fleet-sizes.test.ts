import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { formatMoney } from '../src/render/plan-facts.js';
import { summarize } from '../src/plan/summary.js';
import { pricedFleetPlan } from './helpers/fleet-plan.js';
import type { CustomerPlan, Plan } from '../src/plan/types.js';

/** Issue 23, Done-when 1: the PR comment at 3, 50 and 1,000 customers, priced from the simulator's price sheet. */
const FLEETS: ReadonlyArray<[string, Plan]> = [
  ['3 customers', pricedFleetPlan(3)],
  ['50 customers (10 blocked)', pricedFleetPlan(50)],
  ['1,000 customers (217 blocked: rows grouped)', pricedFleetPlan(1000)],
  ['1,000 customers (none blocked: a row each)', pricedFleetPlan(1000, { blockers: false })],
];

/** Lines of one `### …` section (up to the next heading of that level). */
function section(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('### '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const needsDetails = (c: CustomerPlan) => c.actions.length > 0 || c.blockers.length > 0 || c.warnings.length > 0;
const amount = (s: string) => Number(s.replace(/,/g, ''));

describe.each(FLEETS)('the PR comment for %s', (_, plan) => {
  const md = render(plan, 'markdown');
  const t = summarize(plan);

  it('fits one GitHub comment and has totals, money and the actions hash within its first 40 lines', () => {
    expect(md.length).toBeLessThan(65_536);
    const top = md.split('\n').slice(0, 40).join('\n');
    expect(top).toContain(`seats to buy: ${t.seatsBought.toLocaleString('en-US')} · users to move: ${t.usersMoved.toLocaleString('en-US')}`);
    const total = plan.cost!.totals.find((x) => x.currency === 'USD')!;
    expect(total.committed).toBeGreaterThan(0);
    expect(top).toContain(`**${formatMoney('USD', total.committed)}**`);
    expect(top).toContain(`Actions hash: \`${plan.actionsHash}\``);
  });

  it('groups the warnings by code: one item per code, naming or counting every customer that has it', () => {
    const codes = [...new Set(plan.customers.flatMap((c) => c.warnings.map((w) => w.code)))].sort();
    expect(codes.length).toBeGreaterThan(0);
    const items = section(md, '### ⚠️ Warnings').filter((l) => l.startsWith('- ⚠️ '));
    const itemCodes = items.map((l) => l.match(/^- ⚠️ `([a-z-]+)`/)![1]);
    for (const code of codes) {
      const customers = plan.customers.filter((c) => c.warnings.some((w) => w.code === code));
      const own = items.filter((l) => l.startsWith(`- ⚠️ \`${code}\``));
      // one customer: its message; several: one item with the count (names in the collapsed block under it)
      if (customers.length === 1) expect(own).toEqual([expect.stringContaining(customers[0]!.displayName)]);
      else expect(own).toEqual([expect.stringContaining(`at ${customers.length} customers, e.g.`)]);
    }
    expect(new Set(itemCodes).size).toBe(itemCodes.length);
  });

  it('names or counts every customer in the customer section, marking those with warnings (⚠️) and blockers (⛔)', () => {
    const lines = section(md, '### Customers');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| customer') && !l.startsWith('| ---'));
    const groups = lines.filter((l) => /^- \*\*[\d,]+ customers?\*\*, each: /.test(l));
    if (rows.length > 0) {
      expect(rows).toHaveLength(plan.customers.length);
      for (const c of plan.customers) {
        const row = rows.find((r) => r.includes(` ${c.displayName} |`))!;
        expect(row, c.displayName).toBeDefined();
        expect(row.includes('⚠️'), `${c.displayName} ⚠️`).toBe(c.warnings.length > 0);
        expect(row.includes('⛔'), `${c.displayName} ⛔`).toBe(c.blockers.length > 0);
      }
    } else {
      expect(groups.reduce((n, g) => n + amount(g.match(/\*\*([\d,]+) customers?\*\*/)![1]!), 0)).toBe(plan.customers.length);
      const text = lines.join('\n');
      for (const c of plan.customers) {
        // a group lists its names, or as many as fit and how many more
        const named = (g: string) => new RegExp(`(>|, )${c.displayName.replace(/\./g, '\\.')}(, |</details>| …)`).test(lines[lines.indexOf(g) + 1]!);
        const group = groups.find(named);
        if (!group) expect(text).toMatch(/… and [\d,]+ more \(in the complete plan\)/);
        else {
          expect(group.includes('⚠️'), `${c.displayName} ⚠️`).toBe(c.warnings.length > 0);
          expect(group.includes('⛔'), `${c.displayName} ⛔`).toBe(c.blockers.length > 0);
        }
      }
    }
  });

  it('labels every figure as per customer or per group', () => {
    expect(md).toContain('| offer | term | seats (total) | customers | unit price / seat / month | monthly (total) | committed (total) |');
    const lines = section(md, '### Customers');
    const groups = lines.filter((l) => /^- \*\*[\d,]+ customers?\*\*, each: /.test(l));
    if (groups.length === 0) {
      expect(lines.join('\n')).toContain("figures are this customer's own");
      return;
    }
    expect(lines.join('\n')).toContain('figures are per customer ("each"); "together" is the whole group');
    let priced = 0;
    for (const g of groups) {
      const n = amount(g.match(/\*\*([\d,]+) customers?\*\*/)![1]!);
      const each = g.match(/USD ([\d,.]+) committed each(?:, USD ([\d,.]+) together)?/);
      if (!each) continue;
      priced++;
      if (n > 1) expect(amount(each[2]!)).toBeCloseTo(amount(each[1]!) * n, 2);
    }
    expect(priced).toBeGreaterThan(1);
  });

  it('gives every customer with actions, blockers or warnings its details, or says how many have none and where the complete plan is', () => {
    const want = plan.customers.filter(needsDetails);
    const shown = want.filter((c) => md.includes(`<code>${c.customerId}</code></summary>`) || new RegExp(`<code>${c.customerId}</code> · `).test(md));
    const missing = want.length - shown.length;
    if (missing === 0) expect(md).not.toContain('have no detail section here');
    else {
      expect(md).toContain(`**${missing.toLocaleString('en-US')} customer(s) have no detail section here**`);
      expect(md).toContain('`pcsync show plan.json` renders it');
    }
    if (plan.customers.length <= 50) expect(missing).toBe(0);
  });
});
