/** The embedded Partner Center simulator: public API. Behaviour is described in SPEC.md. */
export { startSim, type SimOptions, type StartedSim } from './server.js';
export { loadScenario, listScenarios, generateFleet, writeFleetDesiredState, type FleetOptions, type FleetDesiredOptions } from './scenarios/index.js';
export type { Scenario, ScenarioCustomer, ScenarioOffer, ScenarioSku, ScenarioSubscription, ScenarioUser } from './scenarios/types.js';
export { AuditLog, type AuditEntry } from './audit.js';
export { SimState } from './state.js';
export type { Middleware, SimContext } from './context.js';
export { SIM_AUTH_DEFAULTS, type IssuedToken, type SimAuthOptions, type SimAuthority, type TokenUse } from './token-server.js';
export type { BehaviourOptions, FaultRule, ReplyOptions, ThrottleOptions } from './behaviours/index.js';
