import { describe, expect, it } from 'vitest';
import { unpackCustomer } from '../src/apply/plan-pack.js';

/** A packed plan file is untrusted: no key in it may set an action's prototype (breaker of issue 27). */
describe('plan-pack: unpacking keeps every key an own field', () => {
  it('a "__proto__" key in a packed action stays an own field, so the hash sees it and nothing is inherited', () => {
    const packed = JSON.parse(
      '{"customerId":"c1","actions":[{"kind":"reassign","id":"./reassign/a","userId":"u1","removeSkuIds":["old"]},' +
        '{"kind":"reassign","id":"./reassign/b","__proto__":{"assignSkuId":"evil"}}]}',
    );
    const actions = unpackCustomer(packed).actions as Record<string, unknown>[];
    const second = actions[1]!;
    expect(Object.getPrototypeOf(second)).toBe(Object.prototype);
    expect(second.assignSkuId).toBeUndefined();
    expect(Object.keys(second)).toContain('__proto__');
    expect(second.userId).toBe('u1');
  });
});
