import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { partner } from './fixtures/plan/desired.js';
import { FABRIKAM_HOLDERS, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { plan } from './fixtures/plan/edit.js';

const p = plan(demoDesired(partner(), FABRIKAM_HOLDERS.slice(0, 2)), demoLive());

function keysSortedEverywhere(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSortedEverywhere);
  if (value === null || typeof value !== 'object') return true;
  const keys = Object.keys(value);
  return keys.join('\u0000') === [...keys].sort().join('\u0000') && Object.values(value).every(keysSortedEverywhere);
}

describe('json plan', () => {
  it('is the plan itself, plus a JSON Patch per customer', () => {
    const parsed = JSON.parse(render(p, 'json'));
    for (const c of parsed.customers) expect(Array.isArray(c.patch)).toBe(true);
    const withoutPatches = { ...parsed, customers: parsed.customers.map(({ patch, ...c }: { patch: unknown }) => c) };
    expect(withoutPatches).toEqual(JSON.parse(JSON.stringify(p)));
  });

  it('has sorted keys at every level, two-space indent and a final newline', () => {
    const json = render(p, 'json');
    expect(keysSortedEverywhere(JSON.parse(json))).toBe(true);
    expect(json.split('\n')[1]).toMatch(/^ {2}"actionsHash"/);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('reads back to the same bytes (what apply loads is what was reviewed)', () => {
    const json = render(p, 'json');
    expect(render(JSON.parse(json), 'json')).toBe(json);
  });

  it('ignores text-only options', () => {
    expect(render(p, 'json', { color: true, hideUsers: true })).toBe(render(p, 'json'));
  });
});
