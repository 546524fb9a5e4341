import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { priceGroupOfName } from '../src/catalog/price-group.js';
import { BUILTIN_RETIRED } from '../src/catalog/builtin.js';
import { CONTOSO, FABRIKAM, NAME, OFFER, SKU, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { customerPlan, editDesired, editLive, plan } from './fixtures/plan/edit.js';
import { liveOffer, liveSku, liveState, liveSub, liveUser } from './fixtures/plan/live.js';
import { fromEntry, sub } from './fixtures/plan/desired.js';

const GOV_CEP = 'Dynamics 365 Customer Engagement Plan (Government Pricing)';
const GOV_CEP_ID = '0D365000-0000-4000-8000-00000000C0C0';

describe('a retired Government Pricing subscription replaced by a commercial offer (issue 13, Done-when 4)', () => {
  const p = plan(demoDesired(), demoLive());

  it('is a price-group-changed warning on that customer only', () => {
    const warnings = customerPlan(p, FABRIKAM).warnings.filter((w) => w.code === 'price-group-changed');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('Government Pricing');
    expect(warnings[0]!.message).toContain('commercial');
    expect(warnings[0]!.message).toContain(NAME.retiredCepGov);
    expect(customerPlan(p, CONTOSO).warnings.map((w) => w.code)).not.toContain('price-group-changed');
  });

  it('shows in the markdown summary, before any collapsed detail', () => {
    const md = render(p, 'markdown');
    const summary = md.slice(0, md.indexOf('<details>'));
    const line = summary.split('\n').find((l) => l.includes('`price-group-changed`'));
    expect(line).toBeDefined();
    expect(line).toContain('Fabrikam Government');
    expect(line).toContain('Government Pricing');
    expect(md.indexOf(line!)).toBeLessThan(md.indexOf('### Customers'));
  });

  it('shows in the text summary too', () => {
    const text = render(p, 'text');
    const summary = text.slice(0, text.indexOf(`Contoso Ltd (${CONTOSO})`));
    expect(summary).toContain('price-group-changed Fabrikam Government');
  });

  it('is not raised when the replacement keeps the price group', () => {
    const desired = editDesired(demoDesired(), FABRIKAM, (c) => ({
      ...c,
      subscriptions: c.subscriptions.map((s) => (s.handle === 'cep' ? { ...s, offer: GOV_CEP_ID } : s)),
    }));
    const live = demoLive();
    const offers = [liveOffer(OFFER.salesPro, NAME.salesPro, SKU.salesPro), liveOffer(OFFER.cep, NAME.cepLive, SKU.cep), liveOffer(GOV_CEP_ID, GOV_CEP, SKU.cep)];
    const kept = plan(desired, liveState([...live.customers], offers));
    const fabrikam = customerPlan(kept, FABRIKAM);
    expect(fabrikam.actions.some((a) => a.kind === 'purchase' && a.offerName === GOV_CEP)).toBe(true);
    expect(fabrikam.warnings.map((w) => w.code)).not.toContain('price-group-changed');
  });

  it('reads the price group from every retired offer name of the catalogue', () => {
    for (const r of BUILTIN_RETIRED) expect([r.name, priceGroupOfName(r.name)]).toEqual([r.name, r.priceGroup]);
    expect(priceGroupOfName(NAME.cepLive)).toBe('commercial');
  });
});

describe('an offer resolved to another name than the YAML says', () => {
  it('is an offer-name-differs warning shown in the summary', () => {
    const desired = editDesired(demoDesired(), FABRIKAM, (c) => ({
      ...c,
      subscriptions: c.subscriptions.map((s) => (s.handle === 'cep' ? { ...s, offer: 'Dynamics 365 Customer Engagement Plan' } : s)),
    }));
    const p = plan(desired, demoLive());
    const w = customerPlan(p, FABRIKAM).warnings.find((x) => x.code === 'offer-name-differs');
    expect(w?.message).toContain(`the YAML says "Dynamics 365 Customer Engagement Plan", the catalogue resolved it to "${NAME.cepLive}"`);
    const md = render(p, 'markdown');
    expect(md.slice(0, md.indexOf('<details>'))).toContain('`offer-name-differs`');
    // The demo's own offers by id and by exact name do not warn.
    expect(customerPlan(plan(demoDesired(), demoLive()), CONTOSO).warnings).toEqual([]);
  });
});

describe('price-group-changed names the retired subscription the replacement takes its users from (issue 23)', () => {
  const GOV_SALES = 'Dynamics 365 for Sales Enterprise Edition (Government Pricing) CRMOL Basic (Qualified Offer)';
  const GOV_SALES_OFFER = '0D365000-0000-4000-8000-00000000F0A4';
  const GOV_SALES_SKU = '0d365000-0000-4000-8000-0000000000a4';
  const GOV_SALES_SUB = 'B1B2B3B4-0000-4000-8000-0000000000B2';
  // Fabrikam also has a retired Government Sales subscription; its holders move to Sales Professional (commercial).
  const desired = editDesired(demoDesired(), FABRIKAM, (c) => ({
    ...c,
    subscriptions: [
      ...c.subscriptions,
      sub('sales-pro', { offer: NAME.salesPro, quantity: 'auto' }, 12, c.file),
      sub('legacy-gov-sales', { match: { offerName: GOV_SALES }, status: 'suspended' }, 15, c.file),
    ],
    licenses: [...c.licenses, fromEntry('sales-pro', 'legacy-gov-sales', 20, c.file)],
  }));
  const live = editLive(demoLive(), FABRIKAM, (c) => ({
    ...c,
    subscriptions: [...c.subscriptions, liveSub(GOV_SALES_SUB, { offerId: GOV_SALES_OFFER, offerName: GOV_SALES, quantity: 2, skuId: GOV_SALES_SKU })],
    skus: [...c.skus, liveSku(GOV_SALES_SKU, 2, 1)],
    users: [...c.users, liveUser('kim@fabrikamgov.onmicrosoft.com', [GOV_SALES_SKU])],
  }));
  const warnings = customerPlan(plan(desired, live), FABRIKAM).warnings.filter((w) => w.code === 'price-group-changed');

  it('one warning per replacement, each citing its own retired subscription and no other', () => {
    const salesPro = warnings.find((w) => w.message.startsWith('sales-pro:'));
    expect(salesPro?.message).toContain(`"${GOV_SALES}" (${GOV_SALES_SUB})`);
    expect(salesPro?.message).not.toContain(NAME.retiredCepGov);
    // cep lists its users by name: it is compared with every retiring subscription, and cites each
    const cep = warnings.find((w) => w.message.startsWith('cep:'));
    expect(cep?.message).toContain(NAME.retiredCepGov);
    expect(warnings).toHaveLength(2);
  });
});
