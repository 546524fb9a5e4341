import { describe, expect, it } from 'vitest';
import { planExitCode } from '../src/plan/index.js';
import { partner, sub, usersEntry } from './fixtures/plan/desired.js';
import { liveOffer, notFound } from './fixtures/plan/live.js';
import { CONTOSO, FABRIKAM, FABRIKAM_HOLDERS, NAME, OFFER, SKU, demoDesired, demoLive, demoOffers } from './fixtures/plan/demo.js';
import { customerPlan, editDesired, editLive, editUser, plan } from './fixtures/plan/edit.js';
import type { DesiredState } from '../src/desired/types.js';
import type { LiveState } from '../src/live/types.js';

interface Case {
  name: string;
  customer: string;
  code: string;
  desired?: (d: DesiredState) => DesiredState;
  live?: (l: LiveState) => LiveState;
  /** Expected `file:line` of the problem, when it has a place. */
  at?: string;
  user?: string;
}

const [hana, ivan, jun] = FABRIKAM_HOLDERS as [string, string, string];
const retiredSales = (status: string) => (l: LiveState) =>
  editLive(l, CONTOSO, (c) => ({ ...c, subscriptions: c.subscriptions.map((s) => (s.offerName === NAME.retiredSales ? { ...s, status } : s)) }));

const cases: Case[] = [
  { name: 'a holder of the retiring licence is in no licenses entry', customer: FABRIKAM, code: 'holder-not-in-desired-state', user: jun, at: 'customers/fabrikam-gov.yaml:10', desired: () => demoDesired(partner(), [hana, ivan]) },
  {
    name: 'unknown offer',
    customer: CONTOSO,
    code: 'unknown-offer',
    at: 'customers/contoso.yaml:7',
    desired: (d) => editDesired(d, CONTOSO, (c) => ({ ...c, subscriptions: c.subscriptions.map((s) => (s.handle === 'sales-pro' ? { ...s, offer: 'Dynamics 365 for Sales Pro' } : s)) })),
  },
  { name: 'customer not found', customer: CONTOSO, code: 'customer-not-found', at: 'customers/contoso.yaml:4', live: (l) => editLive(l, CONTOSO, (c) => notFound(c.id)) },
  { name: 'customer missing from the live read', customer: CONTOSO, code: 'customer-not-found', live: (l) => ({ ...l, customers: l.customers.filter((c) => c.id !== CONTOSO) }) },
  { name: 'domain differs', customer: CONTOSO, code: 'domain-mismatch', at: 'customers/contoso.yaml:4', live: (l) => editLive(l, CONTOSO, (c) => ({ ...c, domain: 'other.onmicrosoft.com' })) },
  { name: 'listed user does not exist', customer: FABRIKAM, code: 'user-not-found', user: 'nobody@fabrikamgov.onmicrosoft.com', at: 'customers/fabrikam-gov.yaml:18', desired: () => demoDesired(partner(), [...FABRIKAM_HOLDERS, 'Nobody@fabrikamgov.onmicrosoft.com']) },
  { name: 'user without usage location', customer: FABRIKAM, code: 'usage-location-missing', user: ivan, live: (l) => editLive(l, FABRIKAM, (c) => editUser(c, ivan, (u) => ({ ...u, usageLocation: undefined }))) },
  { name: 'holders not all read', customer: CONTOSO, code: 'holders-unknown', live: (l) => editLive(l, CONTOSO, (c) => ({ ...c, holdersComplete: false })) },
  { name: 'retired subscription expired', customer: CONTOSO, code: 'subscription-expired', at: 'customers/contoso.yaml:10', live: retiredSales('expired') },
  { name: 'suspending not allowed by policy', customer: CONTOSO, code: 'suspend-not-allowed', desired: (d) => ({ ...d, partner: partner({ policy: { allowSuspend: false } }) }) },
  {
    name: 'retired SKU unknown',
    customer: CONTOSO,
    code: 'sku-unknown',
    at: 'customers/contoso.yaml:10',
    live: (l) => editLive(l, CONTOSO, (c) => ({ ...c, subscriptions: c.subscriptions.map((s) => (s.offerName === NAME.retiredSales ? { ...s, skuId: undefined } : s)) })),
  },
  {
    name: 'replacement not for sale',
    customer: CONTOSO,
    code: 'offer-not-purchasable',
    at: 'customers/contoso.yaml:7',
    live: (l) => ({ ...l, offers: { ...l.offers, [OFFER.salesPro]: liveOffer(OFFER.salesPro, NAME.salesPro, SKU.salesPro, { isAvailableForPurchase: false }) } }),
  },
  {
    name: 'licences assigned from the retiring subscription',
    customer: FABRIKAM,
    code: 'licence-for-retiring-subscription',
    at: 'customers/fabrikam-gov.yaml:30',
    desired: (d) => editDesired(d, FABRIKAM, (c) => ({ ...c, licenses: [...c.licenses, usersEntry('legacy-cep', [hana], 30, 'customers/fabrikam-gov.yaml')] })),
  },
  {
    name: 'one user listed for two products',
    customer: FABRIKAM,
    code: 'user-in-several-subscriptions',
    user: hana,
    desired: (d) =>
      editDesired(d, FABRIKAM, (c) => ({
        ...c,
        subscriptions: [...c.subscriptions, sub('tm', { offer: 'team-members' }, 12, 'customers/fabrikam-gov.yaml')],
        licenses: [...c.licenses, usersEntry('tm', [hana], 30, 'customers/fabrikam-gov.yaml')],
      })),
  },
  { name: 'replacement still being provisioned', customer: CONTOSO, code: 'subscription-pending', live: (l) => editLive(l, CONTOSO, (c) => ({ ...c, subscriptions: [...c.subscriptions, { id: 'new', offerId: OFFER.salesPro, offerName: NAME.salesPro, quantity: 5, status: 'pending' }] })) },
  {
    name: 'replacement quantity not sent (unknown, not 0)',
    customer: CONTOSO,
    code: 'quantity-unknown',
    live: (l) => editLive(l, CONTOSO, (c) => ({ ...c, subscriptions: [...c.subscriptions, { id: 'sp', offerId: OFFER.salesPro, offerName: NAME.salesPro, quantity: 0, quantityUnknown: true, status: 'active', skuId: SKU.salesPro }] })),
  },
  { name: 'retiring SKU missing from subscribedskus (unknown, not 0 consumed)', customer: CONTOSO, code: 'sku-not-reported', at: 'customers/contoso.yaml:10', live: (l) => editLive(l, CONTOSO, (c) => ({ ...c, skus: c.skus.filter((s) => s.skuId !== SKU.oldSales) })) },
  { name: 'orders not read although the customer buys (unknown, not "none pending")', customer: CONTOSO, code: 'read-missing', live: (l) => editLive(l, CONTOSO, ({ pendingOrders: _orders, ...c }) => c) },
  { name: 'a listed user\'s licences not read (unknown, not "holds nothing")', customer: FABRIKAM, code: 'read-missing', user: ivan, live: (l) => editLive(l, FABRIKAM, (c) => editUser(c, ivan, ({ licenses: _held, ...u }) => u)) },
  {
    name: 'a mistyped match.offerName while the retired subscription is still there (not "nothing to do")',
    customer: CONTOSO,
    code: 'match-finds-nothing',
    at: 'customers/contoso.yaml:10',
    desired: (d) => editDesired(d, CONTOSO, (c) => ({ ...c, subscriptions: c.subscriptions.map((x) => (x.handle === 'legacy-sales' ? { ...x, match: { offerName: 'Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified)' } } : x)) })),
  },
  { name: 'purchase above the policy limit', customer: CONTOSO, code: 'purchase-too-large', at: 'customers/contoso.yaml:7', desired: (d) => ({ ...d, partner: partner({ policy: { maxSeatsPerPurchase: 4 } }) }) },
];

describe('blockers stop only their customer', () => {
  it.each(cases)('$name → $code', (c) => {
    const d = c.desired ? c.desired(demoDesired()) : demoDesired();
    const l = c.live ? c.live(demoLive()) : demoLive();
    const p = plan(d, l);
    const blocked = customerPlan(p, c.customer);
    const found = blocked.blockers.find((b) => b.code === c.code);
    expect(found, JSON.stringify(blocked.blockers)).toBeDefined();
    expect(blocked.actions).toEqual([]);
    if (c.at) expect(`${found!.source?.file}:${found!.source?.line}`).toBe(c.at);
    if (c.user) expect(found!.user).toBe(c.user);
    expect(planExitCode(p)).toBe(3);
    const other = customerPlan(p, c.customer === CONTOSO ? FABRIKAM : CONTOSO);
    if (c.code !== 'suspend-not-allowed') expect(other.actions.length).toBeGreaterThan(0);
  });

  it('a replacement whose licence SKU is unknown blocks with that cause only: its from: holders are listed, not "in no licenses entry"', () => {
    const d = editDesired(demoDesired(), CONTOSO, (c) => ({ ...c, subscriptions: c.subscriptions.map((x) => (x.handle === 'sales-pro' ? { ...x, offer: 'CFQ7TTC0LH0Q:0001:AV0001' } : x)) }));
    const blocked = customerPlan(plan(d, demoLive()), CONTOSO);
    expect(blocked.blockers.map((b) => b.code)).toEqual(['sku-unknown']);
  });

  it('the "would lose access" message names the user and the customer', () => {
    const blocked = customerPlan(plan(demoDesired(partner(), [hana, ivan]), demoLive()), FABRIKAM);
    const message = blocked.blockers.map((b) => b.message).join('\n');
    expect(message).toContain(jun);
    expect(message).toContain('Fabrikam Government');
    expect(message).toContain(FABRIKAM);
    expect(blocked.blockers.map((b) => b.user)).toEqual([jun]);
  });

  it('an unreadable market catalogue blocks every customer that buys by offer, naming the read (unknown, not "no offer")', () => {
    const p = plan(demoDesired(), { ...demoLive(), catalogueProblem: 'the offer catalogue for country GB could not be read: refused (code 2030)' });
    for (const id of [CONTOSO, FABRIKAM]) {
      const c = customerPlan(p, id);
      expect(c.blockers.map((b) => b.code)).toEqual(['catalogue-unreadable']);
      expect(c.blockers[0]!.message).toContain('country GB could not be read: refused (code 2030)');
      expect(c.actions).toEqual([]);
    }
  });

  it('an unknown customer gets no fingerprint and its file as its name', () => {
    const c = customerPlan(plan(demoDesired(), editLive(demoLive(), CONTOSO, (x) => notFound(x.id))), CONTOSO);
    expect(c).toMatchObject({ displayName: 'contoso.onmicrosoft.com', blockers: [{ code: 'customer-not-found' }] });
  });
});

describe('warnings do not block', () => {
  it('an active retired subscription past its end date', () => {
    const p = plan(demoDesired(), demoLive(), '2027-03-01T00:00:00Z');
    const contoso = customerPlan(p, CONTOSO);
    expect(contoso.warnings.map((w) => w.code)).toEqual(['commitment-ended']);
    expect(contoso.actions.length).toBeGreaterThan(0);
    expect(planExitCode(p)).toBe(2);
  });

  it('from: naming a retiring subscription that matches nothing', () => {
    const l = editLive(demoLive(), CONTOSO, (c) => ({ ...c, subscriptions: c.subscriptions.filter((s) => s.offerName !== NAME.retiredSales) }));
    const contoso = customerPlan(plan(demoDesired(), l), CONTOSO);
    expect(contoso.warnings.map((w) => w.code)).toEqual(['from-matches-nothing']);
    expect(contoso.blockers).toEqual([]);
    // quantity: auto follows the users: nobody is to hold the replacement, so nothing is bought
    expect(contoso.actions.filter((a) => a.kind === 'purchase')).toEqual([]);
  });

  it('prune: true removes the licence of an unlisted holder instead of blocking, and says it is destructive', () => {
    const d = editDesired(demoDesired(partner(), [hana, ivan]), FABRIKAM, (c) => ({
      ...c,
      subscriptions: c.subscriptions.map((s) => (s.handle === 'legacy-cep' ? { ...s, prune: true } : s)),
    }));
    const fabrikam = customerPlan(plan(d, demoLive()), FABRIKAM);
    expect(fabrikam.blockers).toEqual([]);
    // The demo's Fabrikam also gets price-group-changed and offer-name-differs (issues 10 and 13); only prune matters here.
    const prune = fabrikam.warnings.filter((w) => w.code === 'prune-removes-licences');
    expect(prune).toMatchObject([{ code: 'prune-removes-licences' }]);
    expect(prune[0]!.message).toContain(jun);
    const removeOnly = fabrikam.actions.find((a) => a.id === `${FABRIKAM}/reassign/${jun}`);
    expect(removeOnly).toMatchObject({ kind: 'reassign', removeSkuIds: [SKU.oldCep], reason: 'prune-unlisted-holder', dependsOn: [] });
    expect(removeOnly).not.toHaveProperty('assignSkuId');
    expect(fabrikam.actions.at(-1)!.dependsOn).toContain(`${FABRIKAM}/reassign/${jun}`);
    expect(fabrikam.actions.find((a) => a.kind === 'purchase')).toMatchObject({ quantity: 2 });
  });

  it('offers resolved only by name in the live catalogue still migrate', () => {
    const l = { ...demoLive(), offers: Object.fromEntries(demoOffers().map((o) => [o.id, o])) };
    expect(customerPlan(plan(demoDesired(), l), FABRIKAM).actions[0]).toMatchObject({ offerId: OFFER.cep, offerName: NAME.cepLive });
  });
});
