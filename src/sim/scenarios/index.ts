import { UserError } from '../../core/errors.js';
import { demoScenario } from './demo.js';
import { generateFleet } from './fleet.js';
import { trickyScenario } from './tricky.js';
import { sharedSkuScenario } from './shared-sku.js';
import { priceVariantsScenario } from './price-variants.js';
import { newCommerceScenario } from './new-commerce.js';
import { renewalsScenario } from './renewals.js';
import type { Scenario } from './types.js';

export type { Scenario, ScenarioCustomer, ScenarioOffer, ScenarioSku, ScenarioSubscription, ScenarioUser } from './types.js';
export { generateFleet, type FleetOptions } from './fleet.js';
export { writeFleetDesiredState, type FleetDesiredOptions } from './fleet-desired.js';

/** Built-in scenarios by name; each call builds a fresh copy. */
const BUILT_IN: Record<string, () => Scenario> = {
  demo: demoScenario,
  fleet: () => ({ ...generateFleet({ customers: 25, usersMin: 3, usersMax: 12, seed: 1 }), name: 'fleet' }),
  tricky: trickyScenario,
  'shared-sku': sharedSkuScenario,
  'price-variants': priceVariantsScenario,
  'new-commerce': () => newCommerceScenario(),
  renewals: () => renewalsScenario(),
};

export function listScenarios(): string[] {
  return Object.keys(BUILT_IN).sort();
}

/** `name: description` of every built-in scenario, for `pcsync sim --help`. */
export function describeScenarios(): string {
  return listScenarios().map((n) => (n === 'fleet' ? 'fleet: 25 generated customers' : `${n}: ${BUILT_IN[n]!().description}`)).join('; ');
}

/** A built-in scenario by name; an unknown name is a UserError that lists the known ones. */
export function loadScenario(name: string): Scenario {
  const make = Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined;
  if (!make) {
    throw new UserError('sim.scenario.unknown', `Unknown simulator scenario "${name}". Known scenarios: ${listScenarios().join(', ')}.`);
  }
  return make();
}
