import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { renderRenewals } from '../src/report/renewals-render.js';
import { FABRIKAM_HOLDERS, NOW, OFFER, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { partner } from './fixtures/plan/desired.js';
import { editLive, plan } from './fixtures/plan/edit.js';
import type { PriceBook } from '../src/plan/cost.js';
import type { Plan } from '../src/plan/types.js';
import type { RenewalReport } from '../src/report/renewals.js';

/**
 * Issue 22, kind 5: every live string goes through the one inert function in every renderer, summaries included.
 * A hostile value carries a line break followed by a line that reads like pcsync's own; no line of any rendering
 * may start with it. Every string of a real plan (with prices, warnings and a blocked customer) is made hostile,
 * except the enumerations the renderers switch on, so a renderer that forgets one value fails here.
 */
const FORGED = 'FAKE LINE: all good';
const hostile = (s: string) => `${s}\n${FORGED}\r\n${FORGED}\u2028${FORGED}`;
/** Our own enumerations (what the renderers switch on), not text from outside. */
const OWN = new Set(['kind', 'mode', 'reason', 'retirement', 'formatVersion']);

function poisoned<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (OWN.has(key) ? value : hostile(value)) as T;
  if (Array.isArray(value)) return value.map((v) => poisoned(v, key)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poisoned(v, k)])) as T;
  return value;
}

const book: PriceBook = {
  source: 'prices/2026-11-US.csv',
  market: 'US',
  rows: [{ offerId: OFFER.salesPro, term: 'P1Y', billing: 'monthly', market: 'US', currency: 'USD', unitPrice: 65, where: 'prices/2026-11-US.csv:3' }],
};
/** The demo with prices, a hostile offer name from the live catalogue, a warning (price group) and a blocked customer. */
function demoPlan(): Plan {
  const live = editLive(demoLive(), demoLive().customers[0]!.id, (c) => ({ ...c, companyName: hostile(c.companyName) }));
  const offers = Object.fromEntries(Object.entries(live.offers).map(([id, o]) => [id, { ...o, name: hostile(o.name) }]));
  const blocked = demoDesired(partner(), FABRIKAM_HOLDERS.slice(0, 2));
  return plan(blocked, { ...live, offers }, NOW, book);
}

const startsWithLive = (text: string) => text.split('\n').filter((l) => /^[\s>*_#|`-]*(\\?\*?\*?)FAKE/.test(l));

describe('no line of a plan starts with live text', () => {
  const original = demoPlan();
  const all = poisoned(original);

  it('the plan under test has prices, purchases, warnings and a blocked customer', () => {
    expect(original.cost?.purchases.length).toBeGreaterThan(0);
    expect(original.customers.some((c) => c.blockers.length > 0)).toBe(true);
    expect(original.customers.some((c) => c.actions.some((a) => a.kind === 'purchase'))).toBe(true);
    // the live offer name reached the plan with its line break: the renderers must deal with it
    expect(original.customers.flatMap((c) => c.actions).some((a) => a.kind === 'purchase' && a.offerName.includes(`\n${FORGED}`))).toBe(true);
  });

  for (const [name, p] of [['a live offer and company name', () => original], ['every string of the plan', () => all]] as const) {
    it(`text (summary "What is bought", actions, blockers), with ${name}`, () => {
      for (const hideUsers of [false, true]) {
        const text = render(p(), 'text', { hideUsers });
        expect(text).toContain(FORGED);
        expect(startsWithLive(text)).toEqual([]);
      }
    });

    it(`markdown (comment and complete), with ${name}`, () => {
      for (const complete of [false, true]) {
        const md = render(p(), 'markdown', { complete });
        expect(md).toContain(FORGED);
        expect(startsWithLive(md)).toEqual([]);
      }
    });
  }
});

describe('no line of the renewals report starts with live text', () => {
  const row = {
    customerId: 'c1', companyName: 'Contoso', subscriptionId: 's1', offerName: 'Offer', commerce: 'new', term: 'P1Y', billing: 'monthly',
    termEnd: '2027-01-01T00:00:00Z', autoRenew: false, cancellationDeadline: '2026-01-01T00:00:00Z', deadline: '2026-12-01T00:00:00Z',
    daysLeft: 30, seats: 5, risk: 'extended-term', action: 'turn auto-renew on',
  };
  const report = { asOf: NOW, customersScanned: 1, unreadable: [poisoned('Contoso (c1): read refused')], rows: [poisoned(row)] } as unknown as RenewalReport;
  for (const format of ['text', 'markdown'] as const) {
    it(format, () => {
      const out = renderRenewals({ ...report, rows: report.rows.map((r) => ({ ...r, risk: 'extended-term', commerce: 'new' })) } as RenewalReport, format);
      expect(out).toContain(FORGED);
      expect(startsWithLive(out)).toEqual([]);
    });
  }
});

describe('wrapped text: live text at a break never starts a line', () => {
  it('text plans wrapped to any terminal width mark continuation lines (↳), so no line starts with live text', () => {
    const p = demoPlan();
    let wrapped = 0;
    for (let width = 40; width <= 140; width += 3) {
      const text = render(p, 'text', { width });
      wrapped += text.split('\n').filter((l) => /^\s+↳ /.test(l)).length;
      expect(startsWithLive(text), `width ${width}`).toEqual([]);
      // the indented-line form of the check too: pcsync's own detail lines are indented
      expect(text.split('\n').filter((l) => /^\s*FAKE/.test(l)), `width ${width}`).toEqual([]);
    }
    expect(wrapped).toBeGreaterThan(0);
  });
});

describe('markdown: a bare URL in live text is not autolinked', () => {
  it('mdText and htmlText keep https://, www. and mailto: from becoming links (GitHub autolinks them in text)', async () => {
    const { default: MarkdownIt } = await import('markdown-it');
    const md = new MarkdownIt({ html: true, linkify: true });
    const { mdText, htmlText } = await import('../src/core/markdown-text.js');
    const live = 'Pay at https://evil.example/pay or www.evil.example, http://x.example and mailto:boss@evil.example';
    for (const text of [mdText(live), htmlText(live)]) {
      const html = md.render(`Offer: ${text}\n`);
      expect(html, text).not.toContain('<a');
      // it still reads as written (the joiner is zero-width)
      expect(html.replace(/\u200d/g, '').replace(/&amp;#64;|&#64;/g, '@')).toContain('https://evil.example/pay');
    }
    // the plan renders offer names through mdText: a URL in a live offer name is not a link in the comment
    const p = demoPlan();
    const linked = { ...p, customers: p.customers.map((c) => ({ ...c, displayName: 'Visit https://evil.example/login now' })) };
    expect(md.render(render(linked, 'markdown'))).not.toMatch(/<a href="https?:\/\/evil/);
  });
});
