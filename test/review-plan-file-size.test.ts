import { describe, expect, it } from 'vitest';
import { sealPlan, verifyPlan } from '../src/apply/plan-file.js';
import { hashOf } from '../src/core/hash.js';
import { render } from '../src/render/index.js';
import { fleetPlan } from './helpers/fleet-plan.js';

describe('a saved plan holds what apply needs, not copies of live state', () => {
  it('a 200-customer fleet plan is packed to a fraction of its JSON render and reads back exactly', () => {
    const p = fleetPlan(200);
    const sealed = sealPlan(p);
    const full = render(p, 'json');
    const perCustomer = sealed.length / p.customers.length;
    console.log(`  200 customers: saved plan ${(sealed.length / 1024).toFixed(0)} KB (${(perCustomer / 1024).toFixed(1)} KB per customer), JSON render ${(full.length / 1024).toFixed(0)} KB`);
    expect(sealed.length).toBeLessThan(full.length / 3);
    const back = verifyPlan(sealed, 'plan.json', { desiredHash: p.desiredHash, desiredDir: 'desired-state', pcsyncVersion: p.pcsyncVersion });
    expect(back).toEqual(JSON.parse(JSON.stringify(p)));
  });

  it('an edit inside a packed action is refused even when resealed by hand with a fresh integrity hash', () => {
    const p = fleetPlan(5);
    const data = JSON.parse(sealPlan(p));
    const c = data.customers.find((x: { actions: unknown[] }) => x.actions.length > 3);
    // a later licence move stores only its own user: point it at someone else
    const move = c.actions.filter((a: { kind: string }) => a.kind === 'reassign')[1];
    move.upn = 'someone.else@example.com';
    const { integrity: _old, ...body } = data;
    const resealed = JSON.stringify({ ...body, integrity: hashOf(body) });
    expect(() => verifyPlan(resealed, 'plan.json', { desiredHash: p.desiredHash, desiredDir: 'd', pcsyncVersion: p.pcsyncVersion })).toThrow(/actionsHash field does not match its actions/);
  });
});
