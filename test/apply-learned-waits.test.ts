import { describe, expect, it } from 'vitest';
import { awaitProvisioning } from '../src/apply/actions.js';
import { CustomerRunState, type ExecutorDeps } from '../src/apply/context.js';
import { LearnedWait, LearnedWaits } from '../src/apply/provisioning-times.js';
import { changeSubscription } from '../src/apply/subscription-change.js';
import { nobodyHolds } from '../src/apply/suspend-guard.js';
import type { AwaitProvisioningAction } from '../src/plan/types.js';

/**
 * Issue 27, "Provisioning waits": what one apply run learns of how long Partner Center takes — provisioning a
 * purchase, showing a change it accepted with 202, catching consumed units up with licence moves — lies between
 * the last check that found "not yet" and the first that found "ready", and may go down. Everything here runs on
 * an injected clock: `sleep` advances it, nothing waits for real, no assertion depends on wall time.
 */

/** The await-provisioning action of customer `c<i>`'s purchase. */
const action = (i: number): AwaitProvisioningAction => ({
  kind: 'await-provisioning',
  id: `c${i}/await-provisioning/new`,
  customerId: `c${i}`,
  dependsOn: [`c${i}/purchase/new`],
  reason: 'new-subscription-provisioning',
  reasonText: 'test',
  irreversible: false,
  handle: 'new',
  purchaseActionId: `c${i}/purchase/new`,
  minAvailableUnits: 1,
  timeoutSeconds: 600,
});

/** A fake clock and the waits of one run. */
function run(pollMs = 1000) {
  let now = 0;
  const sleeps: number[] = [];
  const deps = {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    userConcurrency: 1,
    pollMs,
    maxPollMs: 30_000,
    stopping: () => false,
    waits: new LearnedWaits(),
  };
  return { deps, sleeps, now: () => now };
}

describe('LearnedWait: an estimate between the last "not yet" and the first "ready" (pure)', () => {
  it('lies 3/4 through the bracket, not at the ready time a doubling check overshoots to', () => {
    const w = new LearnedWait();
    expect(w.estimateMs).toBeUndefined();
    w.observe({ notYetMs: 15_000, readyMs: 31_000 });
    expect(w.estimateMs).toBe(27_000);
    w.observe({ readyMs: Number.NaN });
    w.observe({ readyMs: -1 });
    expect(w.estimateMs).toBe(27_000);
  });

  it('goes down: ready at the first check moves it towards the last "not yet"; a new bracket replaces the old', () => {
    const w = new LearnedWait();
    w.observe({ notYetMs: 15_000, readyMs: 31_000 });
    w.observe({ readyMs: 27_000 });
    expect(w.estimateMs).toBe(24_000);
    w.observe({ notYetMs: 4000, readyMs: 6000 });
    expect(w.estimateMs).toBe(5500);
  });

  it('after 8 waits in a row found ready at once, it probes below the last "not yet" (Partner Center got faster)', () => {
    const w = new LearnedWait();
    w.observe({ notYetMs: 15_000, readyMs: 31_000 });
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      w.observe({ readyMs: w.estimateMs! });
      seen.push(w.estimateMs!);
    }
    expect(seen.slice(0, 7).every((ms) => ms > 15_000)).toBe(true);
    expect(seen[7]).toBeLessThan(15_000);
  });
});

describe('await-provisioning learns provisioning times on the injected clock', () => {
  /** Orders one purchase per provisioning time, one after another, and returns the check times of each. */
  async function purchases(provisioningMs: readonly number[], r = run()) {
    const ordered = new Map<string, { at: number; takes: number }>();
    const checks = new Map<string, number[]>();
    const client = {
      // the provisioning check lists the customer's subscriptions (one call, as a GET of the one would be)
      listSubscriptions: async (customerId: string) => {
        const id = `sub-${customerId.slice(1)}`;
        const o = ordered.get(id)!;
        checks.get(customerId)!.push(r.now() - o.at);
        return [{ id, status: r.now() - o.at >= o.takes ? 'active' : 'pending', quantity: 1 }];
      },
    } as unknown as ExecutorDeps['client'];
    const deps: ExecutorDeps = { ...r.deps, client };
    const outcomes: string[] = [];
    for (const [i, takes] of provisioningMs.entries()) {
      const a = action(i);
      ordered.set(`sub-${i}`, { at: r.now(), takes });
      checks.set(a.customerId, []);
      const state = new CustomerRunState();
      state.subscriptionByPurchase.set(a.purchaseActionId, `sub-${i}`);
      state.orderedAt.set(a.purchaseActionId, r.now());
      outcomes.push((await awaitProvisioning(a, deps, state)).outcome);
    }
    return { checks: [...checks.values()], outcomes, learned: r.deps.waits.provisioning };
  }

  it('16 s provisioning, checks from 1 s doubling: learns 27 s from (15 s, 31 s], then first checks at 27, 24, 21.75 … s', async () => {
    const { checks, outcomes, learned } = await purchases([16_000, 16_000, 16_000, 16_000, 16_000]);
    expect(outcomes.every((o) => o === 'applied')).toBe(true);
    expect(checks[0]).toEqual([0, 1000, 3000, 7000, 15_000, 31_000]);
    // each later purchase: one check, earlier each time (the old rule kept checking at 31 s)
    expect(checks.slice(1)).toEqual([[27_000], [24_000], [21_750], [20_062.5]]);
    expect(learned.estimateMs).toBe(18_796.875);
  });

  it('when provisioning gets faster (16 s → 4 s) the estimate falls below the last "not yet" (15 s)', async () => {
    const { checks, outcomes, learned } = await purchases([16_000, ...Array<number>(12).fill(4000)]);
    expect(outcomes.every((o) => o === 'applied')).toBe(true);
    expect(learned.estimateMs!).toBeLessThan(15_000);
    expect(checks.slice(1).every((c) => c.length <= 2)).toBe(true);
  });
});

describe('purchases placed before anything was learned follow one probe instead of each checking (issue 24)', () => {
  /** A virtual clock for waits that overlap: each sleep ends in time order; nothing waits for real. */
  function virtualClock() {
    let now = 0;
    const sleepers: { at: number; wake: () => void }[] = [];
    const sleep = (ms: number) => new Promise<void>((wake) => sleepers.push({ at: now + ms, wake }));
    /** Runs until every task settled: wakes the earliest sleeper whenever all tasks are blocked on sleeps. */
    async function drive<T>(tasks: Promise<T>[]): Promise<T[]> {
      let settled = false;
      const all = Promise.all(tasks).finally(() => (settled = true));
      while (!settled) {
        await new Promise((r) => setImmediate(r));
        if (settled || sleepers.length === 0) continue;
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift()!;
        now = Math.max(now, next.at);
        next.wake();
      }
      return all;
    }
    return { now: () => now, sleep, drive };
  }

  /** `n` purchases ordered `gapMs` apart, each taking `takesMs` to provision; the check times of each (ms since its order). */
  async function fleet(n: number, takesMs: (i: number) => number, gapMs = 100, learn = true) {
    const clock = virtualClock();
    const ordered = new Map<string, number>();
    const checks = new Map<string, number[]>();
    const client = {
      listSubscriptions: async (customerId: string) => {
        const i = Number(customerId.slice(1));
        const since = clock.now() - ordered.get(customerId)!;
        checks.get(customerId)!.push(since);
        return [{ id: `sub-${i}`, status: since >= takesMs(i) ? 'active' : 'pending', quantity: 1 }];
      },
    } as unknown as ExecutorDeps['client'];
    const deps: ExecutorDeps = { client, now: clock.now, sleep: clock.sleep, userConcurrency: 1, pollMs: 1000, maxPollMs: 30_000, stopping: () => false, ...(learn && { waits: new LearnedWaits() }) };
    const one = async (i: number) => {
      await clock.sleep(i * gapMs);
      const a = action(i);
      ordered.set(a.customerId, clock.now());
      checks.set(a.customerId, []);
      const state = new CustomerRunState();
      state.subscriptionByPurchase.set(a.purchaseActionId, `sub-${i}`);
      state.orderedAt.set(a.purchaseActionId, clock.now());
      return (await awaitProvisioning(a, deps, state)).outcome;
    };
    const outcomes = await clock.drive(Array.from({ length: n }, (_, i) => one(i)));
    return { outcomes, checks: [...checks.values()] };
  }

  it('20 purchases 0.1 s apart, 16 s each: the first probes (6 checks), the others wait for what it learns and check about once', async () => {
    const { outcomes, checks } = await fleet(20, () => 16_000);
    expect(outcomes.every((o) => o === 'applied')).toBe(true);
    expect(checks[0]).toEqual([0, 1000, 3000, 7000, 15_000, 31_000]);
    const later = checks.slice(1).map((c) => c.length);
    console.log(`checks per purchase: ${checks.map((c) => c.length).join(', ')}`);
    expect(later.reduce((a, b) => a + b, 0) / later.length).toBeLessThanOrEqual(1.5);
    // without the probe every purchase pays the doubling schedule's "not yet" checks
    const alone = await fleet(20, () => 16_000, 100, false);
    expect(alone.checks.every((c) => c.length === 6)).toBe(true);
  });

  it('a probe stuck on a slow purchase holds the others at most maxPollMs, then they find out on their own', async () => {
    // the first purchase takes 10 minutes, the others 4 s
    const { outcomes, checks } = await fleet(5, (i) => (i === 0 ? 590_000 : 4000));
    expect(outcomes.every((o) => o === 'applied')).toBe(true);
    for (const c of checks.slice(1)) {
      expect(c[0]).toBeGreaterThanOrEqual(30_000 - 500);
      expect(c[0]).toBeLessThanOrEqual(30_000 + 500);
    }
  });
});

describe('202-accepted changes and consumed-unit re-checks learn their times too', () => {
  it('a change that showed after (3 s, 7 s] is first checked at 6 s the next time', async () => {
    const r = run();
    let patchedAt = 0;
    const client = {
      patchSubscription: async () => {
        patchedAt = r.now();
        return { accepted: true, status: 202 };
      },
      getSubscription: async (_c: string, id: string) => ({ id, quantity: r.now() - patchedAt >= 5000 ? 7 : 5 }),
    } as unknown as ExecutorDeps['client'];
    const deps: ExecutorDeps = { ...r.deps, client };
    const change = () => changeSubscription(deps, 'c', { id: 's', quantity: 5 } as never, { quantity: 7 }, (s) => s.quantity === 7, 'quantity 7');
    expect((await change()).shows).toBe(true);
    expect(r.sleeps).toEqual([1000, 2000, 4000]);
    expect(r.deps.waits.change.estimateMs).toBe(6000);
    r.sleeps.length = 0;
    expect((await change()).shows).toBe(true);
    expect(r.sleeps).toEqual([6000]);
  });

  it('consumed units that reached 0 after (1 s, 3 s] are re-read first after 2.5 s the next time', async () => {
    const r = run();
    let movedAt = 0;
    const client = {
      listSubscribedSkus: async () => [{ productSku: { id: 'sku' }, consumedUnits: r.now() - movedAt >= 2500 ? 0 : 2, activeUnits: 3 }],
    } as unknown as ExecutorDeps['client'];
    const deps: ExecutorDeps = { ...r.deps, client };
    const suspend = { customerId: 'c', skuId: 'sku' } as unknown as Parameters<typeof nobodyHolds>[0];
    expect(await nobodyHolds(suspend, deps, 3)).toBe(true);
    expect(r.sleeps).toEqual([1000, 2000]);
    expect(r.deps.waits.consumedUnits.estimateMs).toBe(2500);
    r.sleeps.length = 0;
    movedAt = r.now();
    expect(await nobodyHolds(suspend, deps, 3)).toBe(true);
    expect(r.sleeps).toEqual([2500]);
  });
});
