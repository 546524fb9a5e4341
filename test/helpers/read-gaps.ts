import type { AuditEntry, StartedSim } from '../../src/sim/index.js';
import { demoEnv } from './demo.js';
import { FAST } from './resilience.js';

/** Environment for CLI runs in the read-gap tests: the simulator, short backoffs and short consumed-unit re-checks. */
export function gapEnv(sim: StartedSim, extra: Record<string, string> = {}): Record<string, string> {
  return demoEnv(sim, { ...FAST, PCSYNC_POLL_MS: '20', ...extra });
}

/** Suspends the simulator carried out at one customer (status changed to suspended). */
export function suspendsAt(sim: StartedSim, customerId: string): AuditEntry[] {
  return sim.audit.entries.filter((e) => e.type === 'subscription-changed' && e.field === 'status' && e.after === 'suspended' && e.customerId.toLowerCase() === customerId.toLowerCase());
}

/** Blocker codes per customer id from `plan --format json` output. */
export function blockerCodes(planJson: string): Record<string, string[]> {
  const plan = JSON.parse(planJson) as { customers: { customerId: string; blockers: { code: string }[] }[] };
  return Object.fromEntries(plan.customers.map((c) => [c.customerId, c.blockers.map((b) => b.code)]));
}
