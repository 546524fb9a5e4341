import { expect } from 'vitest';
import type { AuditEntry } from '../../src/sim/audit.js';
import type { SimOptions } from '../../src/sim/index.js';
import {
  ordersPerCustomer,
  requestsBeforeRetryAfter,
  retriedWrites,
  suspendsWithConsumedUnits,
  usersEverUnlicensed,
} from '../../src/sim/invariants.js';
import { CONTOSO, FABRIKAM, SKU, demoEnv, repoRoot } from './demo.js';
import { runCli, startSim, type StartedSim } from './sim.js';

/** Short backoffs and polls so behaviour tests take seconds; generous retries for deliberately hostile simulators. */
export const FAST = { PCSYNC_RETRY_BASE_MS: '10', PCSYNC_POLL_MS: '50', PCSYNC_MAX_RETRIES: '10' };

export const count = (entries: readonly AuditEntry[], type: AuditEntry['type']) => entries.filter((e) => e.type === type).length;

/** The demo migration is complete and was done safely, judged from the simulator's audit log. */
export function expectMigratedSafely(entries: readonly AuditEntry[]): void {
  expect(ordersPerCustomer(entries)).toEqual({ [CONTOSO]: 1, [FABRIKAM]: 1 });
  expect(entries.filter((e) => e.type === 'licenses-changed')).toHaveLength(8);
  expect(usersEverUnlicensed(entries, [[SKU.oldSales, SKU.salesPro], [SKU.oldCep, SKU.cep]])).toEqual([]);
  expect(entries.filter((e) => e.type === 'subscription-changed' && e.field === 'status' && e.after === 'suspended')).toHaveLength(2);
  expect(suspendsWithConsumedUnits(entries)).toEqual([]);
  expect(requestsBeforeRetryAfter(entries)).toEqual([]);
}

/** A simulator behaviour for the demo migration, and how to tell it really happened. */
export interface Behaviour {
  readonly name: string;
  readonly options: SimOptions;
  readonly env?: Record<string, string>;
  readonly happened: (sim: StartedSim, applyStdout: string) => void;
  /** Also run `plan` afterwards and expect "no changes". */
  readonly replan?: boolean;
}

/**
 * Runs the real CLI's `apply --auto-approve` on the demo desired state against a simulator with `b` switched on.
 * `started` receives the simulator at once, so the caller can close it even when an expectation fails.
 */
export async function migrateDemoUnder(b: Behaviour, started: (sim: StartedSim) => void): Promise<void> {
  const sim = await startSim({ scenario: 'demo', options: b.options });
  started(sim);
  const env = demoEnv(sim, { ...FAST, ...b.env });
  const apply = await runCli(['apply', '--auto-approve'], { env, cwd: repoRoot });
  expect(apply.code, apply.stdout + apply.stderr).toBe(0);
  b.happened(sim, apply.stdout);
  expectMigratedSafely(sim.audit.entries);
  expect(retriedWrites(sim.audit.entries)).toEqual([]);
  if (b.replan) {
    const plan = await runCli(['plan'], { env, cwd: repoRoot });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  }
}
