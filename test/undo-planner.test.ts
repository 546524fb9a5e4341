import { describe, expect, it } from 'vitest';
import { planUndoCustomer } from '../src/plan/undo.js';
import type { UndoLive } from '../src/live/undo.js';
import type { LiveSku, LiveSubscription } from '../src/live/types.js';

const NOW = '2026-12-05T10:00:00Z';
const base = { customerId: 'c1', displayName: 'Contoso', file: 'customers/contoso.yaml', desiredHash: 'h' };
const source = {
  customerId: 'c1',
  purchases: [{ actionId: 'c1/purchase/new', handle: 'new', friendlyName: 'pcsync new t1', offerName: 'New', skuId: 'sku-new' }],
  moves: [
    { userId: 'u1', upn: 'ana@c.com', assignSkuId: 'sku-new', removeSkuIds: ['sku-old'], removeNames: ['Old'] },
    { userId: 'u2', upn: 'ben@c.com', assignSkuId: 'sku-new', removeSkuIds: ['sku-old'], removeNames: ['Old'] },
  ],
};
const sub = (over: Partial<LiveSubscription> = {}): LiveSubscription => ({
  id: 'S-NEW', offerId: 'P:0001', offerName: 'New', friendlyName: 'pcsync new t1', quantity: 2, status: 'active', commerce: 'new',
  cancellationAllowedUntilDate: '2026-12-10T00:00:00Z', commitmentEndDate: '2027-12-03T00:00:00Z', autoRenewEnabled: true, skuId: 'sku-new', ...over,
});
const sku = (skuId: string, consumedUnits: number, availableUnits: number): LiveSku => ({ skuId, totalUnits: consumedUnits + availableUnits, consumedUnits, availableUnits, activeUnits: consumedUnits + availableUnits, suspendedUnits: 0, warningUnits: 0 });
const live = (over: Partial<UndoLive> = {}): UndoLive => ({
  found: true, subscriptions: [sub()], skus: [sku('sku-new', 2, 0), sku('sku-old', 0, 5)], licences: { u1: ['sku-new'], u2: ['sku-new'] }, ...over,
});

describe('plan/undo: what an undo plans from live state (pure)', () => {
  it('inside the window: each user back in one call (assign old, remove new), then the cancel depends on every move', () => {
    const plan = planUndoCustomer(source, base, live(), NOW);
    expect(plan.blockers).toEqual([]);
    expect(plan.actions.map((a) => a.kind)).toEqual(['reassign', 'reassign', 'cancel']);
    expect(plan.actions[0]).toMatchObject({ upn: 'ana@c.com', assignSkuId: 'sku-old', removeSkuIds: ['sku-new'], desired: { skuIds: ['sku-old'] } });
    expect(plan.actions[2]).toMatchObject({ subscriptionId: 'S-NEW', dependsOn: ['c1/reassign/ana@c.com', 'c1/reassign/ben@c.com'], fallback: { kind: 'end-at-term', paidSeats: 2 } });
  });

  it('a user no longer on the new licence is left alone; the rest still go back', () => {
    const plan = planUndoCustomer(source, base, live({ licences: { u1: ['sku-new'], u2: ['sku-other'] }, skus: [sku('sku-new', 1, 1), sku('sku-old', 0, 5)] }), NOW);
    expect(plan.actions.filter((a) => a.kind === 'reassign').map((a) => (a as { upn: string }).upn)).toEqual(['ana@c.com']);
  });

  it('refuses, saying what can still be done: window closed, legacy, no free old seat, another holder', () => {
    const code = (l: UndoLive) => planUndoCustomer(source, base, l, NOW).blockers.map((b) => b.code);
    expect(code(live({ subscriptions: [sub({ cancellationAllowedUntilDate: '2026-12-01T00:00:00Z' })] }))).toEqual(['undo-window-closed']);
    expect(code(live({ subscriptions: [sub({ commerce: 'legacy', cancellationAllowedUntilDate: undefined })] }))).toEqual(['undo-not-cancellable']);
    expect(code(live({ skus: [sku('sku-new', 2, 0), sku('sku-old', 0, 1)] }))).toEqual(['undo-nowhere-to-go']);
    expect(code(live({ skus: [sku('sku-new', 3, 0), sku('sku-old', 0, 5)] }))).toEqual(['undo-other-holders']);
    const closed = planUndoCustomer(source, base, live({ subscriptions: [sub({ cancellationAllowedUntilDate: '2026-12-01T00:00:00Z' })] }), NOW);
    expect(closed.actions).toEqual([]);
    expect(closed.blockers[0]!.hint).toMatch(/end it at its term end \(2027-12-03\)/);
  });

  it('a purchase that was never made (no subscription with its nickname) is a warning, not an action', () => {
    const plan = planUndoCustomer(source, base, live({ subscriptions: [] }), NOW);
    expect([plan.actions, plan.warnings.map((w) => w.code)]).toEqual([[], ['undo-nothing-bought']]);
  });
});
