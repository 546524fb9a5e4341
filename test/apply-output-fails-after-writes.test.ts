import { describe, expect, it } from 'vitest';
import { applyPlan, applyExitCode } from '../src/apply/run.js';
import type { ApplyEvent, EventSink } from '../src/apply/events.js';
import type { ExecutorDeps } from '../src/apply/context.js';
import type { PartnerCenterClient } from '../src/partner-center/client.js';
import type { CustomerPlan, Plan, ReassignAction } from '../src/plan/types.js';

/**
 * A closed or failed output stream (the terminal or --json reader gone, EPIPE thrown by a write) after a
 * customer's writes were sent must never make the apply report claim that customer was not started: its written
 * actions keep their outcome, the run stops as on the first Ctrl-C, and "not-started" still means nothing was sent.
 */
function move(customerId: string, user: string): ReassignAction {
  return {
    kind: 'reassign',
    id: `${customerId}/reassign/${user}@x`,
    customerId,
    dependsOn: [],
    reason: 'holder-of-retiring-sku',
    reasonText: 'test',
    irreversible: false,
    userId: `${customerId}-${user}`,
    upn: `${user}@${customerId}`,
    assignSkuId: 'new-sku',
    removeSkuIds: ['old-sku'],
    observed: { skuIds: ['old-sku'] },
    desired: { skuIds: ['new-sku'] },
  };
}

const customer = (id: string, users: string[]): CustomerPlan => ({ customerId: id, displayName: id, file: `${id}.yaml`, desiredHash: 'h', fingerprint: 'f', actions: users.map((u) => move(id, u)), blockers: [], warnings: [] });

describe('an output that fails after writes', () => {
  for (const [when, failOn] of [
    ['the first action-end (after the licence move was sent)', (e: ApplyEvent) => e.type === 'action-end'],
    ['the customer-end', (e: ApplyEvent) => e.type === 'customer-end'],
  ] as const) {
    it(`at ${when}: the written action keeps its outcome, the customer is not "not-started", the run stops`, async () => {
      const sent: string[] = [];
      const client = { updateLicenses: async (customerId: string) => void sent.push(customerId) } as unknown as PartnerCenterClient;
      const halts: string[] = [];
      const deps: ExecutorDeps = { client, sleep: async () => {}, now: () => 0, userConcurrency: 1, pollMs: 1, maxPollMs: 1, stopping: () => false };
      const plan: Plan = { formatVersion: 2, pcsyncVersion: 't', createdAt: 't', desiredHash: 'h', actionsHash: 'x', customers: [customer('a', ['u1', 'u2'])] };
      let closed = false;
      const sink: EventSink = {
        emit: (e) => {
          if (closed || failOn(e)) {
            closed = true;
            throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
          }
        },
      };
      const report = await applyPlan(plan, deps, sink, { concurrency: 1, onHalt: (r) => halts.push(r) });
      expect(sent.length).toBeGreaterThan(0);
      const a = report.customers.find((c) => c.customerId === 'a')!;
      expect(a.outcome).not.toBe('not-started');
      // the licence move that was sent is counted as applied (kept() drops successful moves from the list, not the tally)
      expect(a.moves.applied).toBeGreaterThanOrEqual(1);
      expect(a.actions.find((x) => x.id === 'a/reassign/u1@x')?.outcome).not.toBe('not-started');
      expect(halts[0]).toMatch(/the output failed \(.*EPIPE/);
      expect(applyExitCode(report)).toBe(4);
    });
  }
});
