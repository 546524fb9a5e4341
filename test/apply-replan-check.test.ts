import { describe, expect, it } from 'vitest';
import { planDifference, samePlan } from '../src/apply/replan-check.js';
import type { CustomerPlan, SuspendAction } from '../src/plan/types.js';

const suspend = (subscriptionId: string, consumed: number): SuspendAction => ({
  kind: 'suspend',
  id: 'c1/suspend/old',
  customerId: 'c1',
  dependsOn: [],
  reason: 'retiring-subscription',
  reasonText: 'why',
  irreversible: true,
  handle: 'old',
  subscriptionId,
  offerName: 'Old',
  skuId: 'sku-old',
  observed: { status: 'active', consumedUnits: consumed },
  desired: { status: 'suspended' },
});
const customer = (...actions: SuspendAction[]): CustomerPlan => ({ customerId: 'c1', displayName: 'C', file: 'c.yaml', desiredHash: 'h', fingerprint: 'f', actions, blockers: [], warnings: [] });

describe('the re-plan check of apply plan.json', () => {
  it('the same subscription id in another case is the same plan', () => {
    expect(samePlan(customer(suspend('A1B2C3D4-0000-4000-8000-000000000101', 0)), customer(suspend('a1b2c3d4-0000-4000-8000-000000000101', 0)))).toBe(true);
  });

  it('a difference names the action, the field and both values, plan then now', () => {
    const then = customer(suspend('A1B2C3D4-0000-4000-8000-000000000101', 0));
    const now = customer(suspend('A1B2C3D4-0000-4000-8000-000000000101', 2));
    expect(samePlan(then, now)).toBe(false);
    expect(planDifference(then, now)).toBe('suspend/old: observed.consumedUnits is 0 in the plan, 2 now');
  });

  it('a new blocker is named first; an action no longer needed is named', () => {
    const then = customer(suspend('s1', 0));
    expect(planDifference(then, { ...customer(), blockers: [{ code: 'x', message: 'it is blocked' }] })).toBe('live state now blocks this customer: it is blocked');
    expect(planDifference(then, customer())).toBe('suspend/old is no longer needed');
  });
});
