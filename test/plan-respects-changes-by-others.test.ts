import { describe, expect, it } from 'vitest';
import { usersEntry } from './fixtures/plan/desired.js';
import { liveOffer, liveSku, liveSub, liveUser } from './fixtures/plan/live.js';
import { CONTOSO, CONTOSO_HOLDERS, CTX, FABRIKAM, NAME, OFFER, SKU, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { buildCatalog } from '../src/catalog/index.js';
import { planCustomer } from '../src/plan/customer.js';
import { customerPlan, editDesired, editLive, plan } from './fixtures/plan/edit.js';
import type { LiveState } from '../src/live/types.js';

const codes = (p: { code: string }[]) => p.map((x) => x.code);
const FRANK = 'frank@contoso.onmicrosoft.com';
const GRACE = 'grace@contoso.onmicrosoft.com';

/** Contoso's retired Sales SKU is also granted by a current, kept subscription ×2 held by frank and grace. */
function shared(l: LiveState): LiveState {
  return editLive(l, CONTOSO, (c) => ({
    ...c,
    subscriptions: [...c.subscriptions, liveSub('A1B2C3D4-0000-4000-8000-000000000103', { offerId: 'C0FFEE00-0000-4000-8000-000000000001', offerName: 'Dynamics 365 for Sales Enterprise Edition', quantity: 2, skuId: SKU.oldSales })],
    skus: c.skus.map((s) => (s.skuId === SKU.oldSales ? liveSku(SKU.oldSales, 7, 7) : s)),
    users: c.users.map((u) => (u.upn === FRANK || u.upn === GRACE ? liveUser(u.upn, [SKU.oldSales]) : u)),
  }));
}

const listing = (users: string[]) => editDesired(demoDesired(), CONTOSO, (c) => ({ ...c, licenses: [usersEntry('sales-pro', users)] }));

describe('the planner respects changes pcsync did not make', () => {
  it('a pending order for the replacement offer blocks the purchase (order-pending); one for another offer does not', () => {
    const pending = (offerId: string, friendlyName: string) => (l: LiveState) => editLive(l, CONTOSO, (c) => ({ ...c, pendingOrders: [{ orderId: 'o-1', status: 'pending', offerId, quantity: 5, friendlyName }] }));
    const blocked = customerPlan(plan(demoDesired(), pending(OFFER.salesPro, 'bought in the portal')(demoLive())), CONTOSO);
    expect(codes(blocked.blockers)).toEqual(['order-pending']);
    expect(blocked.blockers[0]!.message).toMatch(/order o-1 for 5 × "Dynamics 365 for Sales Professional" .* not placed by pcsync \(nickname "bought in the portal"\)/);
    const other = customerPlan(plan(demoDesired(), pending(OFFER.e3, 'Office')(demoLive())), CONTOSO);
    expect(other.blockers).toEqual([]);
  });

  it('this very purchase, pending from an earlier run of the same plan, does not block it (apply finds and awaits it)', () => {
    const first = customerPlan(plan(demoDesired(), demoLive()), CONTOSO);
    const buy = first.actions.find((a) => a.kind === 'purchase')!;
    if (buy.kind !== 'purchase') throw new Error('no purchase');
    const live = editLive(demoLive(), CONTOSO, (c) => ({ ...c, pendingOrders: [{ orderId: 'o-2', status: 'pending', offerId: OFFER.salesPro, quantity: 5, friendlyName: buy.friendlyName }] }));
    expect(customerPlan(plan(demoDesired(), live), CONTOSO).blockers).toEqual([]);
  });

  it('a pending order under a nickname an interrupted apply started this purchase with (its journal) is this purchase, not a blocker', () => {
    const desired = demoDesired();
    const first = customerPlan(plan(desired, demoLive()), CONTOSO);
    const buy = first.actions.find((a) => a.kind === 'purchase')!;
    if (buy.kind !== 'purchase') throw new Error('no purchase');
    // the killed run planned from other reads, so it ordered under another nickname than the one planned now
    const earlier = 'pcsync sales-pro 0badf00d';
    const live = editLive(demoLive(), CONTOSO, (c) => ({ ...c, pendingOrders: [{ orderId: 'o-3', status: 'pending', offerId: OFFER.salesPro, quantity: 5, friendlyName: earlier }] }));
    const state = live.customers.find((c) => c.id === CONTOSO)!;
    const input = { desired: desired.customers.find((c) => c.id === CONTOSO)!, live: state, catalog: buildCatalog(desired.partner.catalog), catalogue: { offers: live.offers }, partner: desired.partner, now: CTX.now };
    expect(codes(planCustomer(input).blockers)).toEqual(['order-pending']);
    expect(planCustomer({ ...input, remembered: { purchaseTags: { [buy.id]: [earlier] } } }).blockers).toEqual([]);
    // remembered for another purchase action, or a nickname not remembered at all: still someone else's order
    expect(codes(planCustomer({ ...input, remembered: { purchaseTags: { [`${CONTOSO}/purchase/other`]: [earlier] } } }).blockers)).toEqual(['order-pending']);
    expect(codes(planCustomer({ ...input, remembered: { purchaseTags: { [buy.id]: ['pcsync sales-pro 12345678'] } } }).blockers)).toEqual(['order-pending']);
    // the interrupted run ordered fewer seats than planned now: still a blocker, which says whose order it is
    const fewer = editLive(demoLive(), CONTOSO, (c) => ({ ...c, pendingOrders: [{ orderId: 'o-4', status: 'pending', offerId: OFFER.salesPro, quantity: 4, friendlyName: earlier }] }));
    const short = planCustomer({ ...input, live: fewer.customers.find((c) => c.id === CONTOSO)!, remembered: { purchaseTags: { [buy.id]: [earlier] } } });
    expect(codes(short.blockers)).toEqual(['order-pending']);
    expect(short.blockers[0]!.message).toMatch(/order o-4 for 4 × .* placed by an interrupted apply of this purchase \("pcsync sales-pro 0badf00d"\), for fewer seats than the 5 planned now/);
  });

  it('a retiring SKU that a kept subscription also grants: from: is blocked with the seats per subscription', () => {
    const c = customerPlan(plan(demoDesired(), shared(demoLive())), CONTOSO);
    expect(codes(c.blockers)).toEqual(['sku-shared']);
    expect(c.blockers[0]!.message).toMatch(/7 user\(s\) .*\(retiring legacy-sales, 5 seat\(s\).*"Dynamics 365 for Sales Enterprise Edition", active, 2 seat\(s\), stays/);
  });

  it('with users: only the listed holders move, never more than the retiring seats, and the rest must fit the seats that stay', () => {
    const ok = customerPlan(plan(listing(CONTOSO_HOLDERS), shared(demoLive())), CONTOSO);
    expect(ok.blockers).toEqual([]);
    expect(ok.actions.filter((a) => a.kind === 'reassign').map((a) => a.kind === 'reassign' && a.upn)).toEqual(CONTOSO_HOLDERS);
    expect(ok.actions.some((a) => a.kind === 'suspend')).toBe(true);

    const tooMany = customerPlan(plan(listing([...CONTOSO_HOLDERS, FRANK]), shared(demoLive())), CONTOSO);
    expect(codes(tooMany.blockers)).toEqual(['sku-shared']);
    const tooFew = customerPlan(plan(listing(CONTOSO_HOLDERS.slice(0, 4)), shared(demoLive())), CONTOSO);
    expect(codes(tooFew.blockers)).toEqual(['sku-shared']);
    expect(tooFew.blockers[0]!.message).toMatch(/3 holder\(s\) are not listed, but the subscriptions that stay have only 2 seat\(s\)/);
  });

  it('price group: a commercial replacement for a Government Pricing subscription warns; a sold variant is used when named by name', () => {
    const fabrikam = customerPlan(plan(demoDesired(), demoLive()), FABRIKAM);
    // offer-name-differs comes too: the demo's YAML names the offer by id, the catalogue by its full name (issue 13).
    expect(codes(fabrikam.warnings).filter((c) => c !== 'offer-name-differs')).toEqual(['price-group-changed']);
    expect(fabrikam.warnings[0]!.message).toContain('is a commercial replacement for a Government Pricing subscription');

    const govId = 'BB30B486-0000-4000-8000-00000000C0A1';
    const withVariant: LiveState = { ...demoLive(), offers: { ...demoLive().offers, [govId]: liveOffer(govId, `${NAME.cepLive} (Government Pricing)`, '0d365000-0000-4000-8000-0000000000b1') } };
    const byName = editDesired(demoDesired(), FABRIKAM, (c) => ({ ...c, subscriptions: c.subscriptions.map((s) => (s.offer ? { ...s, offer: 'Dynamics 365 Customer Engagement Plan' } : s)) }));
    const kept = customerPlan(plan(byName, withVariant), FABRIKAM);
    expect(kept.warnings).toEqual([]);
    expect(kept.actions.find((a) => a.kind === 'purchase')).toMatchObject({ offerId: govId });
  });
});
