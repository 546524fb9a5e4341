import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { generateFleet, listScenarios, loadScenario, startSim } from '../src/sim/index.js';
import { serveSim } from '../src/sim/serve.js';

describe('simulator scenarios', () => {
  it('lists built-ins and names them when an unknown one is asked for', () => {
    expect(listScenarios()).toContain('demo');
    expect(() => loadScenario('nope')).toThrow(UserError);
    expect(() => loadScenario('nope')).toThrow(/demo/);
    expect(() => loadScenario('toString')).toThrow(UserError);
  });

  it('seeds the demo with the documented ids', () => {
    const s = loadScenario('demo');
    expect(s.partnerTenantId).toBe('11111111-2222-4333-8444-555555555555');
    expect(s.offers.filter((o) => !o.isAvailableForPurchase).map((o) => o.id)).toEqual([
      '0D365000-0000-4000-8000-00000000C001',
      '0D365000-0000-4000-8000-00000000C002',
    ]);
    const [contoso, fabrikam] = s.customers;
    expect(contoso!.id).toBe('8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d');
    expect(contoso!.users.filter((u) => u.licenses.includes('0d365000-0000-4000-8000-0000000000a1'))).toHaveLength(5);
    expect(fabrikam!.subscriptions[0]).toMatchObject({ id: 'B1B2C3D4-0000-4000-8000-000000000201', quantity: 3, commitmentEndDate: '2026-12-31T00:00:00Z' });
    expect(fabrikam!.users.map((u) => u.licenses.length)).toEqual([1, 1, 1, 0]);
  });

  it('generates the same fleet for the same seed, each customer fully assigned', () => {
    const a = generateFleet({ customers: 4, usersMin: 2, usersMax: 5, seed: 42 });
    expect(generateFleet({ customers: 4, usersMin: 2, usersMax: 5, seed: 42 })).toEqual(a);
    expect(generateFleet({ customers: 4, usersMin: 2, usersMax: 5, seed: 43 })).not.toEqual(a);
    for (const c of a.customers) {
      const sub = c.subscriptions[0]!;
      const sku = a.offers.find((o) => o.id === sub.offerId)!.productId;
      const holders = c.users.filter((u) => u.licenses.includes(sku)).length;
      expect(holders).toBe(sub.quantity);
      expect(holders).toBeGreaterThanOrEqual(2);
      expect(holders).toBeLessThanOrEqual(5);
      expect(c.users.length - holders).toBeGreaterThanOrEqual(1);
    }
    expect(() => generateFleet({ customers: 1, usersMin: 3, usersMax: 2, seed: 1 })).toThrow(UserError);
  });

  it('refuses an inconsistent scenario or bad options before listening', async () => {
    const s = loadScenario('demo');
    s.customers[0]!.users[0]!.licenses.push('unknown-sku');
    await expect(startSim({ scenario: s })).rejects.toThrow(/unknown SKU unknown-sku/);
    await expect(startSim({ scenario: 'demo', options: { pageSize: 0 } })).rejects.toThrow(UserError);
  });

  it('serveSim reports a busy port as a UserError', async () => {
    const first = await startSim({ scenario: 'demo' });
    try {
      const port = Number(new URL(first.url).port);
      await expect(serveSim({ scenario: 'demo', port })).rejects.toMatchObject({ name: 'UserError', code: 'sim.port' });
    } finally {
      await first.close();
    }
  });
});
