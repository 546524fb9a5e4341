export { buildPlan, finishPlan, type PlanContext } from './build.js';
export { compareActions } from './order.js';
export { planExitCode, seatsBought, summarize, type PlanSummary } from './summary.js';
export type { BlockerCode, WarningCode } from './problems.js';
export * from './types.js';
