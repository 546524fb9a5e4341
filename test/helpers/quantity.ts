import { loadScenario, type Scenario } from '../../src/sim/index.js';
import { OFFER } from '../../src/sim/scenarios/catalog.js';
import { CONTOSO } from './demo.js';

/** Contoso's existing Sales Professional subscription in `demoWithTooFewSeats`. */
export const SALES_PRO_SUB = 'A1B2C3D4-0000-4000-8000-000000000103';

/**
 * The demo, but Contoso already has Dynamics 365 for Sales Professional with 2 seats: the demo desired state
 * (`quantity: auto`, everyone on the retired licence moves) then raises its quantity to 5 with a subscription
 * PATCH before moving the users — the quantity change has to show before the seats can be assigned.
 */
export function demoWithTooFewSeats(): Scenario {
  const s = structuredClone(loadScenario('demo'));
  s.customers.find((c) => c.id === CONTOSO)!.subscriptions.push({ id: SALES_PRO_SUB, offerId: OFFER.salesPro, quantity: 2 });
  return s;
}
