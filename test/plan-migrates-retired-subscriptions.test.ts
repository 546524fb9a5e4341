import { describe, expect, it } from 'vitest';
import { planExitCode, summarize } from '../src/plan/index.js';
import { render } from '../src/render/index.js';
import { CONTOSO, CONTOSO_HOLDERS, FABRIKAM, NAME, OFFER, SKU, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { customerPlan, editLive, plan } from './fixtures/plan/edit.js';
import { liveAfter } from './fixtures/plan/simulate.js';
import type { Plan, PurchaseAction, ReassignAction } from '../src/plan/types.js';

const desired = demoDesired();
const live = demoLive();

describe('the demo migration', () => {
  const p = plan(desired, live);
  const contoso = customerPlan(p, CONTOSO);

  it('runs purchase → await → one reassign per user → suspend, in that order', () => {
    expect(contoso.blockers).toEqual([]);
    expect(contoso.actions.map((a) => a.id)).toEqual([
      `${CONTOSO}/purchase/sales-pro`,
      `${CONTOSO}/await-provisioning/sales-pro`,
      ...CONTOSO_HOLDERS.map((u) => `${CONTOSO}/reassign/${u}`),
      `${CONTOSO}/suspend/legacy-sales`,
    ]);
    expect(customerPlan(p, FABRIKAM).actions.map((a) => a.kind)).toEqual(['purchase', 'await-provisioning', 'reassign', 'reassign', 'reassign', 'suspend']);
    expect(planExitCode(p)).toBe(2);
  });

  it('buys one replacement subscription for the users it moves', () => {
    const purchase = contoso.actions[0] as PurchaseAction;
    expect(purchase).toMatchObject({
      kind: 'purchase',
      mode: 'new',
      offerId: OFFER.salesPro,
      offerName: NAME.salesPro,
      skuId: SKU.salesPro,
      quantity: 5,
      irreversible: true,
      reason: 'retired-offer-replaced',
      observed: { quantity: 0 },
      desired: { quantity: 5 },
    });
    expect(purchase.reasonText).toContain(`replaces retired "${NAME.retiredSales}"`);
    expect(purchase.reasonText).toContain('5 users need seats');
    expect(purchase.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(purchase.friendlyName).toBe(`pcsync sales-pro ${purchase.requestId.slice(0, 8)}`);
  });

  it('waits for the new subscription to show the seats the users need', () => {
    expect(contoso.actions[1]).toMatchObject({
      kind: 'await-provisioning',
      dependsOn: [`${CONTOSO}/purchase/sales-pro`],
      purchaseActionId: `${CONTOSO}/purchase/sales-pro`,
      skuId: SKU.salesPro,
      minAvailableUnits: 5,
      timeoutSeconds: 900,
    });
  });

  it('moves each user with ONE action that assigns the new SKU and removes the old one', () => {
    const reassigns = contoso.actions.filter((a): a is ReassignAction => a.kind === 'reassign');
    expect(reassigns.map((r) => r.upn)).toEqual(CONTOSO_HOLDERS);
    for (const r of reassigns) {
      expect(r).toMatchObject({
        assignSkuId: SKU.salesPro,
        removeSkuIds: [SKU.oldSales],
        toHandle: 'sales-pro',
        reason: 'holder-of-retiring-sku',
        dependsOn: [`${CONTOSO}/await-provisioning/sales-pro`],
        observed: { skuIds: [SKU.oldSales, SKU.e3].sort() },
        desired: { skuIds: [SKU.salesPro, SKU.e3].sort() },
        irreversible: false,
      });
      expect(r.userId).toBe(`user-${r.upn.split('@')[0]}`);
    }
  });

  it('suspends the old subscription only after every move off its SKU', () => {
    const suspend = contoso.actions.at(-1)!;
    expect(suspend).toMatchObject({
      kind: 'suspend',
      subscriptionId: 'A1B2C3D4-0000-4000-8000-000000000101',
      offerName: NAME.retiredSales,
      skuId: SKU.oldSales,
      irreversible: true,
      observed: { status: 'active', consumedUnits: 5 },
      desired: { status: 'suspended' },
      dependsOn: CONTOSO_HOLDERS.map((u) => `${CONTOSO}/reassign/${u}`),
    });
  });

  it('sums up what a reviewer approves', () => {
    expect(summarize(p)).toEqual({ customers: 2, changed: 2, blocked: 0, purchases: 2, seatsBought: 8, usersMoved: 8, retirements: 2, blockers: 0, warnings: 2 });
    // Fabrikam's Government Pricing subscription is replaced by a commercial offer whose name is not the YAML's (issue 13).
    expect(p.customers.flatMap((c) => c.warnings.map((w) => w.code)).sort()).toEqual(['offer-name-differs', 'price-group-changed']);
  });
});

describe('re-planning', () => {
  it('after the whole plan is applied, shows nothing to do', () => {
    const first = plan(desired, live);
    const second = plan(desired, liveAfter(first, live, desired));
    expect(second.customers.map((c) => [c.actions, c.blockers])).toEqual([[[], []], [[], []]]);
    expect(planExitCode(second)).toBe(0);
  });

  it('after only the purchases went through, never buys again and moves the users straight away', () => {
    const first = plan(desired, live);
    const purchasesOnly: Plan = { ...first, customers: first.customers.map((c) => ({ ...c, actions: c.actions.filter((a) => a.kind === 'purchase') })) };
    const second = plan(desired, liveAfter(purchasesOnly, live, desired));
    const contoso = customerPlan(second, CONTOSO);
    expect(contoso.actions.map((a) => a.kind)).toEqual(['reassign', 'reassign', 'reassign', 'reassign', 'reassign', 'suspend']);
    expect(contoso.actions.filter((a) => a.kind === 'reassign').every((a) => a.dependsOn.length === 0)).toBe(true);
  });

  it('after some users moved, plans only the rest', () => {
    const first = plan(desired, live);
    const moved = new Set([`${CONTOSO}/reassign/${CONTOSO_HOLDERS[0]}`, `${CONTOSO}/reassign/${CONTOSO_HOLDERS[1]}`]);
    const partial: Plan = {
      ...first,
      customers: first.customers.map((c) => ({ ...c, actions: c.actions.filter((a) => a.kind === 'purchase' || moved.has(a.id)) })),
    };
    const contoso = customerPlan(plan(desired, liveAfter(partial, live, desired)), CONTOSO);
    expect(contoso.actions.map((a) => a.id)).toEqual([
      ...CONTOSO_HOLDERS.slice(2).map((u) => `${CONTOSO}/reassign/${u}`),
      `${CONTOSO}/suspend/legacy-sales`,
    ]);
    expect(contoso.actions.at(-1)!.dependsOn).toHaveLength(3);
  });
});

describe('determinism', () => {
  it('the same input gives byte-identical JSON', () => {
    expect(render(plan(desired, live), 'json')).toBe(render(plan(demoDesired(), demoLive()), 'json'));
  });

  it('input order does not matter', () => {
    const shuffled = {
      ...live,
      customers: [...live.customers].reverse().map((c) => ({ ...c, users: [...c.users].reverse(), subscriptions: [...c.subscriptions].reverse(), skus: [...c.skus].reverse() })),
    };
    const reversedDesired = { ...desired, customers: [...desired.customers].reverse() };
    expect(render(plan(reversedDesired, shuffled), 'json')).toBe(render(plan(desired, live), 'json'));
  });

  it('the plan records its inputs, and actionsHash follows the actions', () => {
    const p = plan(desired, live);
    expect(p).toMatchObject({ formatVersion: 3, createdAt: '2026-06-01T12:00:00.000Z', desiredHash: desired.contentHash, pcsyncVersion: '0.1.0-test' });
    expect(customerPlan(p, CONTOSO)).toMatchObject({ fingerprint: 'fp-8f2b1c3d', desiredHash: 'sha256:content-of-' + CONTOSO, file: 'customers/contoso.yaml', displayName: 'Contoso Ltd' });
    const fewer = plan(desired, editLive(live, CONTOSO, (c) => ({ ...c, users: c.users.filter((u) => u.upn !== CONTOSO_HOLDERS[0]), skus: c.skus.map((s) => (s.skuId === SKU.oldSales ? { ...s, consumedUnits: 4 } : s)) })));
    expect(fewer.actionsHash).not.toBe(p.actionsHash);
    expect(plan(desired, live).actionsHash).toBe(p.actionsHash);
  });

  it('the purchase request id is stable for the same input and changes with the observed quantity', () => {
    const id = (l: typeof live) => (customerPlan(plan(desired, l), CONTOSO).actions[0] as PurchaseAction).requestId;
    expect(id(live)).toBe(id(demoLive()));
    const withSeats = editLive(live, CONTOSO, (c) => ({
      ...c,
      subscriptions: [...c.subscriptions, { id: 'sp', offerId: OFFER.salesPro, offerName: NAME.salesPro, quantity: 1, status: 'active', skuId: SKU.salesPro }],
      skus: [...c.skus, { skuId: SKU.salesPro, totalUnits: 1, consumedUnits: 0, availableUnits: 1, activeUnits: 1, suspendedUnits: 0, warningUnits: 0 }],
    }));
    expect(id(withSeats)).not.toBe(id(live));
  });
});
