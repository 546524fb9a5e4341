import { describe, expect, it } from 'vitest';
import { customer, desiredState, fromEntry, partner, sub, usersEntry } from './fixtures/plan/desired.js';
import { liveCustomer, liveOffer, liveSku, liveState, liveSub, liveUser } from './fixtures/plan/live.js';
import { CONTOSO, CONTOSO_HOLDERS, FABRIKAM, NAME, OFFER, SKU, demoDesired, demoLive, demoOffers } from './fixtures/plan/demo.js';
import { customerPlan, editDesired, editLive, plan } from './fixtures/plan/edit.js';
import type { DesiredSubscription } from '../src/desired/types.js';
import type { LiveCustomer } from '../src/live/types.js';
import type { PurchaseAction } from '../src/plan/types.js';

const [alice, bob] = CONTOSO_HOLDERS as [string, string];

/** Contoso already has a Sales Professional subscription of 3 seats; alice and bob hold both licences. */
function partlyMigrated(c: LiveCustomer): LiveCustomer {
  return {
    ...c,
    subscriptions: [...c.subscriptions, liveSub('sp', { offerId: OFFER.salesPro, offerName: NAME.salesPro, quantity: 3, skuId: SKU.salesPro })],
    skus: [...c.skus, liveSku(SKU.salesPro, 3, 2)],
    users: c.users.map((u) => (u.upn === alice || u.upn === bob ? { ...u, licenses: [...u.licenses!, SKU.salesPro].sort() } : u)),
  };
}

const purchaseOf = (actions: readonly { kind: string }[]) => actions.find((a): a is PurchaseAction => a.kind === 'purchase');

describe('quantity: auto', () => {
  it('buys users to move plus headroom for a new subscription', () => {
    const p = plan(demoDesired(partner({ seatHeadroom: 2 })), demoLive());
    expect(purchaseOf(customerPlan(p, CONTOSO).actions)).toMatchObject({ mode: 'new', quantity: 7 });
    expect(customerPlan(p, CONTOSO).actions[1]).toMatchObject({ kind: 'await-provisioning', minAvailableUnits: 5 });
  });

  it('raises an existing partial subscription by the shortfall only, and users who hold both lose just the old one', () => {
    const p = plan(demoDesired(partner({ seatHeadroom: 1 })), editLive(demoLive(), CONTOSO, partlyMigrated));
    const contoso = customerPlan(p, CONTOSO);
    // in use 2 + to assign 3 + headroom 1 = 6 needed, 3 owned → 3 more
    expect(purchaseOf(contoso.actions)).toMatchObject({ mode: 'increase', quantity: 6, observed: { subscriptionId: 'sp', quantity: 3 }, reason: 'retired-offer-replaced' });
    expect(contoso.actions.some((a) => a.kind === 'await-provisioning')).toBe(false);
    const byUpn = Object.fromEntries(contoso.actions.filter((a) => a.kind === 'reassign').map((a) => [a.upn, a]));
    expect(byUpn[alice]).toMatchObject({ removeSkuIds: [SKU.oldSales], dependsOn: [] });
    expect(byUpn[alice]).not.toHaveProperty('assignSkuId');
    expect(byUpn[CONTOSO_HOLDERS[2]!]).toMatchObject({ assignSkuId: SKU.salesPro, dependsOn: [`${CONTOSO}/purchase/sales-pro`] });
  });

  it('buys nothing when enough seats are free', () => {
    const roomy = editLive(demoLive(), CONTOSO, (c) => {
      const m = partlyMigrated(c);
      return { ...m, subscriptions: m.subscriptions.map((s) => (s.id === 'sp' ? { ...s, quantity: 10 } : s)), skus: m.skus.map((s) => (s.skuId === SKU.salesPro ? liveSku(SKU.salesPro, 10, 2) : s)) };
    });
    expect(purchaseOf(customerPlan(plan(demoDesired(), roomy), CONTOSO).actions)).toBeUndefined();
  });
});

describe('explicit quantities', () => {
  const withQuantity = (quantity: DesiredSubscription['quantity']) =>
    editDesired(demoDesired(), CONTOSO, (c) => ({ ...c, subscriptions: c.subscriptions.map((s) => (s.handle === 'sales-pro' ? { ...s, quantity } : s)) }));
  const partial = editLive(demoLive(), CONTOSO, partlyMigrated);

  it('a new subscription gets the number given', () => {
    expect(purchaseOf(customerPlan(plan(withQuantity(8), demoLive()), CONTOSO).actions)).toMatchObject({ mode: 'new', quantity: 8, reason: 'retired-offer-replaced' });
  });

  it('a number above the live quantity raises it to that number', () => {
    expect(purchaseOf(customerPlan(plan(withQuantity(9), partial), CONTOSO).actions)).toMatchObject({ mode: 'increase', quantity: 9 });
  });

  it('a number below the live quantity never lowers it, and says so', () => {
    const big = editLive(partial, CONTOSO, (c) => ({ ...c, subscriptions: c.subscriptions.map((s) => (s.id === 'sp' ? { ...s, quantity: 12 } : s)), skus: c.skus.map((s) => (s.skuId === SKU.salesPro ? liveSku(SKU.salesPro, 12, 2) : s)) }));
    const contoso = customerPlan(plan(withQuantity(6), big), CONTOSO);
    expect(purchaseOf(contoso.actions)).toBeUndefined();
    expect(contoso.warnings.map((w) => w.code)).toEqual(['quantity-not-lowered']);
  });

  it('too few seats for the users is a blocker', () => {
    const contoso = customerPlan(plan(withQuantity(3), demoLive()), CONTOSO);
    expect(contoso.blockers.map((b) => b.code)).toEqual(['seats-short']);
    expect(contoso.actions).toEqual([]);
  });

  it('a quantity without users buys for a subscription that is only wanted, not replacing anything', () => {
    const d = desiredState([customer('c-tm', { subscriptions: [sub('tm', { offer: 'Dynamics 365 Team Members', quantity: 4 })] })]);
    const l = liveState([liveCustomer('c-tm')], demoOffers());
    const p = plan(d, l);
    expect(p.customers[0]!.actions.map((a) => a.kind)).toEqual(['purchase', 'await-provisioning']);
    expect(purchaseOf(p.customers[0]!.actions)).toMatchObject({ quantity: 4, reason: 'subscription-missing', offerId: 'B2CCB51A-43C2-47D4-92DB-DBF14553A185' });
  });
});

describe('purchase policy', () => {
  it('maxSeatsPerPurchase blocks a larger purchase (counting only the seats added by an increase)', () => {
    const p = plan(demoDesired(partner({ policy: { maxSeatsPerPurchase: 4 } })), demoLive());
    expect(customerPlan(p, CONTOSO).blockers.map((b) => b.code)).toEqual(['purchase-too-large']);
    expect(customerPlan(p, FABRIKAM).blockers).toEqual([]);
    const increase = plan(demoDesired(partner({ policy: { maxSeatsPerPurchase: 3 } })), editLive(demoLive(), CONTOSO, partlyMigrated));
    expect(customerPlan(increase, CONTOSO).blockers).toEqual([]);
  });

  it('maxSeatsPerRun lets customers in id order spend it and blocks everyone from the first that would go past it', () => {
    const small = 'ffff0000-0000-4000-8000-000000000001';
    const third = customer(small, {
      subscriptions: [sub('tm', { offer: 'team-members', quantity: 'auto' })],
      licenses: [usersEntry('tm', ['zoe@small.example'])],
    });
    const d = desiredState([...demoDesired().customers, third], partner({ policy: { maxSeatsPerRun: 6 } }));
    const l = liveState([...demoLive().customers, liveCustomer(small, { users: [liveUser('zoe@small.example', [])] })], [...demoOffers(), liveOffer('B2CCB51A-43C2-47D4-92DB-DBF14553A185', 'Dynamics 365 Team Members', '7ac9fe77-66b7-4e5e-9e46-10eed1cff547')]);
    const p = plan(d, l);
    // Fabrikam (3c9d…) 3 seats fits; Contoso (8f2b…) 5 would make 8 > 6; the small one (ffff…, 1 seat) is past the cap too.
    expect(p.customers.map((c) => [c.customerId, c.blockers.map((b) => b.code)])).toEqual([
      [FABRIKAM, []],
      [CONTOSO, ['spend-cap']],
      [small, ['spend-cap']],
    ]);
    expect(customerPlan(p, CONTOSO).actions).toEqual([]);
  });

  it('a customer blocked for another reason spends nothing of the cap', () => {
    const d = demoDesired(partner({ policy: { maxSeatsPerRun: 5 } }), ['nobody@fabrikamgov.onmicrosoft.com']);
    const p = plan(d, demoLive());
    expect(customerPlan(p, FABRIKAM).blockers.map((b) => b.code)).not.toContain('spend-cap');
    expect(customerPlan(p, CONTOSO).blockers).toEqual([]);
  });
});

describe('licence targets by from:', () => {
  it('take every holder of the named subscription, including users not listed anywhere', () => {
    const d = desiredState([
      customer('c-from', {
        subscriptions: [sub('sp', { offer: 'sales-professional', quantity: 'auto' }), sub('old', { match: { offerName: NAME.retiredSales }, status: 'suspended' })],
        licenses: [fromEntry('sp', 'old')],
      }),
    ]);
    const l = liveState(
      [
        liveCustomer('c-from', {
          subscriptions: [liveSub('o', { offerId: OFFER.retiredSales, offerName: NAME.retiredSales, quantity: 2, skuId: SKU.oldSales })],
          skus: [liveSku(SKU.oldSales, 2, 2)],
          users: [liveUser('b@x.example', [SKU.oldSales]), liveUser('a@x.example', [SKU.oldSales]), liveUser('c@x.example', [])],
        }),
      ],
      demoOffers(),
    );
    const actions = plan(d, l).customers[0]!.actions;
    expect(actions.filter((a) => a.kind === 'reassign').map((a) => a.upn)).toEqual(['a@x.example', 'b@x.example']);
    expect(purchaseOf(actions)).toMatchObject({ quantity: 2 });
  });
});
