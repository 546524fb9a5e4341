import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { NOW, OFFER, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { plan } from './fixtures/plan/edit.js';
import type { PriceBook } from '../src/plan/cost.js';

const book: PriceBook = {
  source: 'price list test.csv',
  market: 'US',
  rows: [
    { offerId: OFFER.salesPro, term: 'P1Y', billing: 'annual', market: 'US', currency: 'USD', unitPrice: 780, where: 'test.csv:2' },
    { offerId: OFFER.salesPro, term: 'P1Y', billing: 'monthly', market: 'US', currency: 'USD', unitPrice: 65, where: 'test.csv:3' },
    { offerId: OFFER.salesPro, term: 'P1Y', billing: 'monthly', market: 'GB', currency: 'GBP', unitPrice: 52, where: 'test.csv:4' },
  ],
};
const priced = plan(demoDesired(), demoLive(), NOW, book);

describe('per purchase: unit price, seats, monthly and committed cost, in every rendering', () => {
  it('JSON carries the numbers, and unknown stays unknown', () => {
    const json = JSON.parse(render(priced, 'json'));
    const [cep, sales] = [...json.cost.purchases].sort((a: { offerId: string }, b: { offerId: string }) => (a.offerId < b.offerId ? -1 : 1));
    expect(sales).toMatchObject({ offerId: OFFER.salesPro, seats: 5, unitPrice: 65, monthly: 325, committed: 3900, currency: 'USD', termMonths: 12, priceRow: 'test.csv:3' });
    expect(cep).toMatchObject({ offerId: OFFER.cep, seats: 3 });
    expect(cep.committed).toBeUndefined();
    expect(json.cost.totals).toEqual([{ currency: 'USD', monthly: 325, committed: 3900, purchases: 1 }]);
    expect(json.cost.unknownPurchases).toBe(1);
  });

  it('the markdown detail and the text show it on the purchase', () => {
    const line = 'USD 65.00/seat/month × 5 = USD 325.00/month, USD 3,900.00 committed (P1Y monthly)';
    const md = render(priced, 'markdown');
    const purchase = md.split('\n').find((l) => l.includes('➕ **purchase**') && l.includes('Sales Professional'))!;
    expect(purchase).toContain(line);
    expect(md.split('\n').find((l) => l.includes('➕ **purchase**') && l.includes('Engagement'))).toContain('price unknown (P1Y monthly)');
    expect(render(priced, 'text')).toContain(line);
  });

  it('without a price source there is no cost section, and nothing claims a price of 0', () => {
    const unpriced = plan(demoDesired(), demoLive());
    expect(unpriced.cost).toBeUndefined();
    const md = render(unpriced, 'markdown');
    expect(md).toContain('No prices: set `prices:` in pcsync.yaml');
    expect(md).not.toMatch(/USD|[^\d.:]0\.00(?!\d)/);
  });
});
