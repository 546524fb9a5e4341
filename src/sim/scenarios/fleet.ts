import { UserError } from '../../core/errors.js';
import { mulberry32 } from '../random.js';
import { catalogOffers, catalogSkus, OFFER, SKU } from './catalog.js';
import type { Scenario, ScenarioCustomer, ScenarioUser } from './types.js';

export interface FleetOptions {
  /** Number of customers (≥ 0). */
  customers: number;
  /** Fewest holders of the retired licence per customer (≥ 1). */
  usersMin: number;
  /** Most holders of the retired licence per customer (≥ usersMin). */
  usersMax: number;
  /** PRNG seed: the same options always give the same scenario. */
  seed: number;
}

/**
 * A synthetic fleet for benchmarks: every customer has one retired CRM Basic subscription (Sales or CEP
 * Government, quantity = holders) whose licence all its holders have, plus 1–3 users without it.
 */
export function generateFleet(opts: FleetOptions): Scenario {
  const { customers, usersMin, usersMax, seed } = opts;
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  if (!whole(customers) || !whole(usersMin) || !whole(usersMax) || usersMin < 1 || usersMax < usersMin) {
    throw new UserError('sim.fleet', `generateFleet: need whole numbers customers ≥ 0 and 1 ≤ usersMin ≤ usersMax (got ${customers}, ${usersMin}, ${usersMax}).`);
  }
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const uuid = () => {
    const hex = Array.from({ length: 4 }, () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')).join('');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const list: ScenarioCustomer[] = [];
  for (let c = 1; c <= customers; c++) {
    const tag = String(c).padStart(5, '0');
    const domain = `fleet${tag}.onmicrosoft.com`;
    const gov = rand() < 0.25;
    const holders = int(usersMin, usersMax);
    const extras = int(1, 3);
    const users: ScenarioUser[] = [];
    for (let u = 1; u <= holders + extras; u++) {
      const sku = gov ? SKU.retiredCepGov : SKU.retiredSales;
      users.push({ id: uuid(), upn: `user${String(u).padStart(4, '0')}@${domain}`, usageLocation: 'US', licenses: u <= holders ? [sku] : [] });
    }
    const endMonth = int(0, 17);
    const end = new Date(Date.UTC(2026, 6 + endMonth, 1) - 86_400_000).toISOString().replace('.000Z', 'Z');
    list.push({
      id: uuid(),
      companyName: `Fleet Customer ${tag}`,
      domain,
      subscriptions: [
        {
          id: uuid().toUpperCase(),
          offerId: gov ? OFFER.retiredCepGov : OFFER.retiredSales,
          quantity: holders,
          status: 'active',
          autoRenewEnabled: false,
          creationDate: '2018-01-01T00:00:00Z',
          commitmentEndDate: end,
        },
      ],
      users,
    });
  }
  return {
    name: `fleet-${customers}-${seed}`,
    description: `${customers} generated customers on retired CRM Basic subscriptions (${usersMin}-${usersMax} holders each, seed ${seed})`,
    partnerTenantId: '11111111-2222-4333-8444-555555555555',
    country: 'US',
    offers: catalogOffers(),
    skus: catalogSkus(),
    customers: list,
  };
}
