import { describe, expect, it } from 'vitest';
import { applyPlan, applyExitCode } from '../src/apply/run.js';
import { RecordingSink } from '../src/apply/events.js';
import type { ExecutorDeps } from '../src/apply/context.js';
import type { PartnerCenterClient } from '../src/partner-center/client.js';
import type { CustomerPlan, Plan, ReassignAction } from '../src/plan/types.js';

/**
 * Issue 11, kind 2, at the executor: an unexpected error (a bug: a TypeError) in one customer's action, while
 * another customer's licence move is still in flight, stops the run as the first Ctrl-C does. applyPlan returns
 * only after that move ended (so the caller releases journal and locks after the last write), never rejects,
 * starts no queued customer, and names the error.
 */
function move(customerId: string): ReassignAction {
  return {
    kind: 'reassign',
    id: `${customerId}/reassign/u@x`,
    customerId,
    dependsOn: [],
    reason: 'holder-of-retiring-sku',
    reasonText: 'test',
    irreversible: false,
    userId: `${customerId}-user`,
    upn: `u@${customerId}`,
    assignSkuId: 'new-sku',
    removeSkuIds: ['old-sku'],
    observed: { skuIds: ['old-sku'] },
    desired: { skuIds: ['new-sku'] },
  };
}

function customer(id: string): CustomerPlan {
  return { customerId: id, displayName: id, file: `${id}.yaml`, desiredHash: 'h', fingerprint: 'f', actions: [move(id)], blockers: [], warnings: [] };
}

describe('an unexpected error in one customer while another customer writes', () => {
  it('stops the run, waits for the running licence move, starts nothing queued and names the error', async () => {
    let openGate!: () => void;
    const gate = new Promise<void>((r) => (openGate = r));
    let bInFlight = false;
    let bEnded = false;
    const client = {
      updateLicenses: async (customerId: string) => {
        if (customerId === 'a') {
          while (!bInFlight) await new Promise((r) => setImmediate(r));
          throw new TypeError('boom');
        }
        bInFlight = true;
        await gate;
        bEnded = true;
        return {};
      },
    } as unknown as PartnerCenterClient;
    const halts: string[] = [];
    const deps: ExecutorDeps = { client, sleep: async () => {}, now: () => 0, userConcurrency: 1, pollMs: 1, maxPollMs: 1, stopping: () => false };
    const plan: Plan = { formatVersion: 3, pcsyncVersion: 't', createdAt: 't', desiredHash: 'h', actionsHash: 'x', customers: [customer('a'), customer('b'), customer('c')] };

    let settled = false;
    const running = applyPlan(plan, deps, new RecordingSink(), { concurrency: 2, onHalt: (reason) => halts.push(reason) }).finally(() => (settled = true));
    running.catch(() => {});
    for (let i = 0; i < 1000 && halts.length === 0 && !settled; i++) await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false); // b's licence move is still in flight
    openGate();
    const report = await running;

    expect(bEnded).toBe(true);
    expect(halts).toHaveLength(1);
    expect(halts[0]).toMatch(/internal error .*TypeError: boom/);
    expect(report.halted).toBe(halts[0]);
    const by = Object.fromEntries(report.customers.map((c) => [c.customerId, c]));
    expect(by.a?.outcome).toBe('failed-transient');
    expect(by.a?.message).toMatch(/TypeError: boom.*the run was stopped/);
    expect(by.b?.outcome).toBe('applied');
    expect(by.c?.outcome).toBe('not-started');
    expect(applyExitCode(report)).toBe(4);
  });
});
