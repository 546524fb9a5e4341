import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { planAnnotations } from '../src/cli/annotations.js';
import { fleetPlan } from './helpers/fleet-plan.js';
import type { Plan } from '../src/plan/types.js';

/** Customer ids in the order they first appear in `text`. */
const orderIn = (text: string, plan: Plan) =>
  plan.customers
    .map((c) => ({ id: c.customerId, at: text.indexOf(c.customerId.slice(0, 8)) }))
    .filter((c) => c.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((c) => c.id);

/** One order for people: by name, then id. Two customers share a name, so the tie-break shows. */
function fixture(): { plan: Plan; expected: string[] } {
  const base = fleetPlan(16, 7);
  const [a, b, ...rest] = base.customers;
  const twins = [{ ...a!, displayName: 'Same Name Ltd' }, { ...b!, displayName: 'Same Name Ltd' }];
  const plan = { ...base, customers: [...twins, ...rest] };
  const expected = [...plan.customers]
    .sort((x, y) => (x.displayName < y.displayName ? -1 : x.displayName > y.displayName ? 1 : x.customerId < y.customerId ? -1 : 1)) // code-unit order, as everywhere
    .map((c) => c.customerId);
  return { plan, expected };
}

describe('every human-readable rendering lists customers in one order: by name, then id', () => {
  const { plan, expected } = fixture();
  const byId = plan.customers.map((c) => c.customerId);

  it('the fixture tells the orders apart (by id ≠ by name)', () => {
    expect([...byId].sort()).not.toEqual(expected);
    expect(plan.customers.some((c) => c.blockers.length > 0) && plan.customers.some((c) => c.blockers.length === 0)).toBe(true);
  });

  it('text (plan and show): blocked, changing and unchanged customers each by name', () => {
    const full = render(plan, 'text', { complete: true });
    const text = full.slice(full.indexOf('BLOCKED —')); // after the summary, which lists warnings (by name too)
    const blocked = new Set(plan.customers.filter((c) => c.blockers.length > 0).map((c) => c.customerId));
    const order = orderIn(text, plan);
    expect(order.filter((id) => blocked.has(id))).toEqual(expected.filter((id) => blocked.has(id)));
    expect(order.filter((id) => !blocked.has(id))).toEqual(expected.filter((id) => !blocked.has(id)));
  });

  it('markdown details and the GitHub annotations follow the same order', () => {
    const md = render(plan, 'markdown', { complete: true });
    const details = md.slice(md.indexOf('### Details'));
    expect(orderIn(details, plan)).toEqual(expected.filter((id) => details.includes(id.slice(0, 8))));
    const annotated = planAnnotations(plan, false).join('\n');
    const files = new Map(plan.customers.map((c) => [c.customerId, c.file]));
    const annotatedOrder = expected.filter((id) => annotated.includes(files.get(id)!));
    const seen = [...annotated.matchAll(/file=([^,]+),/g)].map((m) => m[1]);
    expect([...new Set(seen)]).toEqual(annotatedOrder.map((id) => files.get(id)));
  });
});
