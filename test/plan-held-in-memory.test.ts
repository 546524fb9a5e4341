import { describe, expect, it } from 'vitest';
import { heldPlan } from '../src/apply/held-plan.js';
import { hashOf, hashOfItems, stableStringify } from '../src/core/hash.js';
import { actionsHashOf } from '../src/plan/actions-hash.js';
import { fleetPlan } from './helpers/fleet-plan.js';

describe('a fleet plan held in memory between planning and applying', () => {
  it('a held customer plan reads, spreads and serialises exactly like the plan it was made from', () => {
    const plan = fleetPlan(30);
    const withMoves = plan.customers.filter((c) => c.actions.length > 3);
    expect(withMoves.length).toBeGreaterThan(5);
    for (const c of withMoves) {
      const held = heldPlan(c);
      expect(stableStringify(held)).toBe(stableStringify(c));
      expect(stableStringify({ ...held })).toBe(stableStringify(c));
      expect(Object.keys(held)).toEqual(Object.keys(c));
      // unpacked afresh at each read: equal, but not kept by the held plan
      expect(held.actions).toEqual(c.actions);
      expect(held.actions).not.toBe(held.actions);
    }
  });

  it('a customer without actions is kept as it is', () => {
    const c = fleetPlan(3).customers[0]!;
    const empty = { ...c, actions: [] };
    expect(heldPlan(empty)).toBe(empty);
  });

  it('the actions hash fed one customer at a time is the hash of the whole text', () => {
    const plan = fleetPlan(12);
    const whole = hashOf(plan.customers.map((c) => ({ customerId: c.customerId, actions: c.actions })));
    expect(actionsHashOf(plan.customers)).toBe(whole);
    expect(actionsHashOf(plan.customers.map(heldPlan))).toBe(whole);
    expect(hashOfItems([])).toBe(hashOf([]));
    expect(hashOfItems([{ b: 1, a: [2, { d: undefined, c: 'x' }] }, 'y', 3])).toBe(hashOf([{ b: 1, a: [2, { c: 'x' }] }, 'y', 3]));
  });
});
