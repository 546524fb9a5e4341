import { describe, expect, it } from 'vitest';
import { prettyStableJson } from '../src/core/hash.js';
import { renderJson } from '../src/render/json.js';
import { customerPatch } from '../src/render/state-view.js';
import { fleetPlan } from './helpers/fleet-plan.js';
import type { Plan } from '../src/plan/types.js';

/** The whole plan as one sorted, indented text: what renderJson gave before it was built per customer. */
const whole = (plan: Plan) => prettyStableJson({ ...plan, customers: plan.customers.map((c) => ({ ...c, patch: customerPatch(c) })) });

describe('plan --format json, built one customer at a time', () => {
  it('is byte for byte the sorted, indented JSON of the whole plan', () => {
    for (const n of [1, 2, 17]) {
      const plan = fleetPlan(n);
      expect(renderJson(plan)).toBe(whole(plan));
      expect(JSON.parse(renderJson(plan)).customers).toHaveLength(n);
    }
  });

  it('a customer whose name or values hold JSON punctuation and newlines cannot change the structure', () => {
    const plan = fleetPlan(3);
    const odd = { ...plan, customers: plan.customers.map((c, i) => (i === 1 ? { ...c, displayName: '"customers": [],\n  "x": 1' } : c)) };
    expect(renderJson(odd)).toBe(whole(odd));
    expect(JSON.parse(renderJson(odd)).customers[1].displayName).toBe('"customers": [],\n  "x": 1');
  });

  it('a plan without customers', () => {
    const plan = { ...fleetPlan(1), customers: [] };
    expect(renderJson(plan)).toBe(whole(plan));
  });
});
