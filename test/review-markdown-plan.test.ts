import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { ACTIONS_HASH_MARKER, MARKDOWN_LIMIT } from '../src/render/markdown.js';
import { summarize } from '../src/plan/index.js';
import { partner } from './fixtures/plan/desired.js';
import { CONTOSO, CONTOSO_HOLDERS, FABRIKAM, FABRIKAM_HOLDERS, NAME, OFFER, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { editLive, plan } from './fixtures/plan/edit.js';
import { liveAfter } from './fixtures/plan/simulate.js';
import { FLEET_BLOCKERS, fleetPlan } from './helpers/fleet-plan.js';
import type { Plan } from '../src/plan/types.js';

const migrating = plan(demoDesired(), demoLive());
const blocked = plan(demoDesired(partner(), FABRIKAM_HOLDERS.slice(0, 2)), demoLive());
const md = (p: Plan, hideUsers = false) => render(p, 'markdown', { hideUsers });

/** The `<details>` section of one customer. */
function section(text: string, customerId: string): string {
  const start = text.lastIndexOf('<details>', text.indexOf(`<code>${customerId}</code>`));
  return text.slice(start, text.indexOf('</details>', start));
}

describe('markdown plan (the pull-request comment)', () => {
  it('opens with what is bought per offer, the totals and the actions hash apply.yml looks for', () => {
    const text = md(migrating);
    expect(text.split('\n')[0]).toBe(`<!-- ${ACTIONS_HASH_MARKER} ${migrating.actionsHash} -->`);
    expect(text).toContain('| offer | term | seats (total) | customers |');
    expect(text).toContain(`| ${NAME.salesPro} \`F28514F0-6516-4EF9-8222-1C605A05D245\` | — | 5 | 1 |`);
    expect(text).toContain('Customers affected: 2 · seats to buy: 8 · users to move: 8 · subscriptions to retire: 2 · blockers: 0');
    expect(text).toContain(`Actions hash: \`${migrating.actionsHash}\``);
    expect(text).toContain(migrating.createdAt);
    expect(text.indexOf('### What is bought')).toBeLessThan(text.indexOf('<details>'));
  });

  it('gives each customer a collapsible section: actions numbered in run order, each with its reason, only purchase and suspend marked irreversible', () => {
    const text = md(migrating);
    const contoso = section(text, CONTOSO);
    expect(contoso).toMatch(/^<details><summary><b>Contoso Ltd<\/b> <code>8f2b1c3d-[^<]+<\/code> · buy 5 seats of "Dynamics 365 for Sales Professional" · move 5 users · suspend 1 subscription<\/summary>/);
    const items = contoso.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(items.map((l) => l.match(/^(\d+)\. \S+ \*\*(\w+)\*\*/)!.slice(1).join(' '))).toEqual([
      '1 purchase',
      '2 await',
      ...CONTOSO_HOLDERS.map((_, i) => `${i + 3} reassign`),
      '8 suspend',
    ]);
    expect(items.slice(2, 7).map((l) => l.match(/reassign\*\* (\S+):/)![1])).toEqual(CONTOSO_HOLDERS);
    expect(items[0]).toContain('⚠️ **irreversible**');
    expect(items[7]).toContain('⚠️ **irreversible**');
    expect(items.slice(1, 7).some((l) => l.includes('irreversible'))).toBe(false);
    // What irreversible means is said once, in the summary, not on every row.
    expect(text.match(/de-provisioned by Partner Center 120 days later/g)).toHaveLength(1);
    expect(text).not.toContain('</code> · ⚠️');
    const actions = migrating.customers.find((c) => c.customerId === CONTOSO)!.actions;
    actions.forEach((a, i) => expect(items[i]).toContain(`<br><sub>${a.reasonText.replace(/_/g, '\\_')}</sub>`));
  });

  it('counts seats per offer in a section title, never adding up seats of different offers (issue 23)', () => {
    const [contoso, fabrikam] = [CONTOSO, FABRIKAM].map((id) => migrating.customers.find((c) => c.customerId === id)!);
    const both: Plan = { ...migrating, customers: [{ ...contoso!, actions: [...contoso!.actions, ...fabrikam!.actions] }] };
    expect(section(md(both), CONTOSO)).toContain(`buy 5 seats of "${NAME.salesPro}", 3 seats of "${NAME.cepLive}" · move 8 users · suspend 2 subscriptions</summary>`);
  });

  it('puts blocked customers first, with every blocker, its hint and its place in the file', () => {
    const text = md(blocked);
    const blockedAt = text.indexOf('### ⛔ Blocked');
    expect(blockedAt).toBeGreaterThan(0);
    expect(blockedAt).toBeLessThan(text.indexOf(FABRIKAM));
    const line = text.split('\n').find((l) => l.startsWith('- ⛔ **Fabrikam Government**'))!;
    expect(line).toContain('`holder-not-in-desired-state`');
    expect(line).toContain(FABRIKAM_HOLDERS[2]!);
    expect(text.indexOf(line)).toBeLessThan(text.indexOf('<details>'));
    const fabrikam = section(text, FABRIKAM);
    expect(fabrikam).toContain('⛔ **blocker** `holder-not-in-desired-state`');
    expect(fabrikam).toContain(FABRIKAM_HOLDERS[2]);
    expect(fabrikam).toContain('at `customers/fabrikam-gov.yaml:10:3`');
    expect(fabrikam).not.toContain('**reassign**');
  });

  it('names customers already in the desired state in the customer table, without a detail section', () => {
    const desired = demoDesired();
    const text = md(plan(desired, liveAfter(migrating, demoLive(), desired)));
    expect(text).toContain('| Contoso Ltd | no changes |  |  |');
    expect(text).toContain('Nothing is bought.');
    expect(text).not.toContain(`<code>${CONTOSO}</code>`);
  });

  it('hideUsers: counts instead of user names, everywhere', () => {
    for (const p of [migrating, blocked]) {
      const text = md(p, true);
      for (const upn of [...CONTOSO_HOLDERS, ...FABRIKAM_HOLDERS]) expect(text).not.toContain(upn);
    }
    const text = md(migrating, true);
    expect(text).toContain(`🔁 **reassign** 5 users: assign "${NAME.salesPro}", remove "${NAME.retiredSales}"`);
    expect(md(blocked, true)).toContain('`holder-not-in-desired-state`: \\[user\\] at Fabrikam');
  });

  it('escapes names from Partner Center so they cannot format, link, mention or open HTML', () => {
    const hostile = editLive(demoLive(), CONTOSO, (c) => ({ ...c, companyName: '<img src=x> **Big** | @team [x](http://evil)' }));
    const text = md(plan(demoDesired(), hostile));
    // Brackets are encoded too (issue 11): no renderer can make a link of a name, even one that parses markdown in <summary>.
    // and a URL's scheme carries a zero-width joiner before its colon, so GitHub does not autolink it
    expect(text).toContain('<b>&lt;img src=x&gt; **Big** | &#64;team &#91;x&#93;(http\u200d://evil)</b>');
    // Outside HTML (table cells) a name is markdown-escaped: `\<img` is shown, never parsed as a tag.
    expect(text).not.toMatch(/(^|[^\\])<img/);
    expect(text).not.toContain('@team');
  });

  it('escapes offer names from Partner Center in the summary table and customer rows (one cell each)', () => {
    const live = demoLive();
    const hostile = { ...live, offers: Object.fromEntries(Object.entries(live.offers).map(([k, o]) => [k, o.id === OFFER.salesPro ? { ...o, name: 'Sales | <img src=x onerror=alert(1)> @team' } : o])) };
    const text = md(plan(demoDesired(), hostile));
    const row = text.split('\n').find((l) => l.startsWith('| Sales'))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
    expect(text).not.toMatch(/(^|[^\\])<img/);
    expect(text).not.toContain('@team');
  });

  it('is the same text for the same plan: no clock, no randomness', () => {
    expect(md(migrating)).toBe(md(plan(demoDesired(), demoLive())));
    const later = plan(demoDesired(), demoLive(), '2026-06-02T00:00:00.000Z');
    expect(md(later).replace(later.createdAt, migrating.createdAt)).toBe(md(migrating));
  });
});

describe('every fact the markdown shows is in the JSON', () => {
  it.each([
    ['migrating', migrating],
    ['blocked', blocked],
  ])('%s plan', (_, p) => {
    const text = md(p);
    const json = render(p, 'json');
    const upns = text.match(/[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+/g) ?? [];
    const ids = text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];
    const codes = [...text.matchAll(/\*\*(?:blocker|warning)\*\* `([a-z-]+)`/g)].map((m) => m[1]!);
    const hashes = text.match(/sha256:[0-9a-f]{64}/g) ?? [];
    expect(upns.length + ids.length + hashes.length).toBeGreaterThan(5);
    for (const fact of [...upns, ...ids, ...hashes]) expect(json, fact).toContain(fact);
    for (const code of codes) expect(json, code).toContain(`"code": "${code}"`);
  });
});

describe('markdown plan of a 2,000-customer fleet', () => {
  const fleet = fleetPlan(2000);
  const text = md(fleet);

  it('stays under 65,000 characters and says where the full plan is', () => {
    expect(MARKDOWN_LIMIT).toBe(65_000);
    expect(text.length).toBeLessThan(65_000);
    expect(text).toContain('have no detail section here');
    expect(text).toContain('`pcsync show plan.json` renders it');
    const linked = render(fleet, 'markdown', { fullPlanLink: 'https://github.com/o/r/actions/runs/1' });
    expect(linked.length).toBeLessThan(65_000);
    expect(linked).toContain('The complete plan (every customer and action): https://github.com/o/r/actions/runs/1');
    expect(md(fleet, true).length).toBeLessThan(65_000);
  });

  it('beyond 1,000 customers, groups identical changes with a count and the names in a collapsed block', () => {
    const grouped = text.slice(text.indexOf('grouped by identical changes'));
    expect(grouped.length).toBeLessThan(text.length);
    const counts = [...grouped.matchAll(/^- \*\*(\d+) customers?\*\*, each: .*\n  <details><summary>names<\/summary>(.*)<\/details>$/gm)];
    expect(counts.reduce((n, m) => n + Number(m[1]), 0)).toBe(2000);
    // Each group lists its names, or as many as fit and says how many more there are.
    for (const m of counts) {
      const shown = m[2]!.replace(/ ?… and .*$/, '').split(', ').filter((n) => n.length > 0).length;
      const more = Number(m[2]!.match(/… and ([\d,]+) more/)?.[1]?.replace(/,/g, '') ?? 0);
      expect(shown + more).toBe(Number(m[1]));
    }
  });

  it('still names every blocker kind with its count, and the totals of the whole fleet', () => {
    const t = summarize(fleet);
    expect(t.customers).toBe(2000);
    expect(text).toContain(`seats to buy: ${t.seatsBought.toLocaleString('en-US')} · users to move: ${t.usersMoved.toLocaleString('en-US')}`);
    for (const [code, hit] of Object.entries(FLEET_BLOCKERS)) {
      const expected = Array.from({ length: 2000 }, (_, i) => i).filter(hit).length;
      expect(expected).toBeGreaterThan(50);
      expect(text).toContain(`- \`${code}\` at ${expected} customers, e.g.`);
    }
  });

  it('renders the same plan byte-identically, and the same inputs to the same plan', () => {
    expect(md(fleet)).toBe(text);
    expect(md(fleetPlan(2000))).toBe(text);
  });
});
