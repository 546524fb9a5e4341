import { afterEach, describe, expect, it } from 'vitest';
import { startSim, runCli, type StartedSim } from './helpers/sim.js';
import { demoEnv, repoRoot } from './helpers/demo.js';
import { inShard, parseShard, shardOf } from '../src/cli/shard.js';
import { deterministicUuid } from '../src/core/hash.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const PHASE = ['purchase', 'await-provisioning', 'reassign', 'suspend'];

describe('apply --json progress events', () => {
  it('emits one JSON event per line, in order: run-start, per customer start → actions (start before end, phases in order) → end, run-end, summary', async () => {
    sim = await startSim({ scenario: 'demo' });
    const res = await runCli(['apply', '--auto-approve', '--json'], { env: demoEnv(sim), cwd: repoRoot });
    expect(res.code, res.stderr).toBe(0);
    const events = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; customerId?: string; actionId?: string; kind?: string });
    expect(events[0]!.type).toBe('run-start');
    expect(events.at(-2)!.type).toBe('run-end');
    expect(events.at(-1)!.type).toBe('summary');

    const customers = new Set(events.filter((e) => e.customerId).map((e) => e.customerId!));
    expect(customers.size).toBe(2);
    for (const id of customers) {
      const mine = events.map((e, i) => ({ ...e, i })).filter((e) => e.customerId === id);
      expect(mine[0]!.type).toBe('customer-start');
      expect(mine.at(-1)!.type).toBe('customer-end');
      const ends = mine.filter((e) => e.type === 'action-end');
      expect(ends.length).toBeGreaterThan(0);
      for (const end of ends) {
        const start = mine.find((e) => e.type === 'action-start' && e.actionId === end.actionId);
        expect(start, `start of ${end.actionId}`).toBeDefined();
        expect(start!.i).toBeLessThan(end.i);
      }
      const phases = ends.map((e) => PHASE.indexOf(e.kind!));
      expect(phases).toEqual([...phases].sort((a, b) => a - b));
    }
  });
});

describe('--shard i/n', () => {
  it('splits any set of customers with no overlap and no gaps, and adding a customer moves no other', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => deterministicUuid(`customer-${i}`));
    for (const n of [1, 2, 3, 7]) {
      const counts = new Array(n).fill(0);
      for (const id of ids) {
        const owners = Array.from({ length: n }, (_, i) => i + 1).filter((i) => inShard(id, { index: i, count: n }));
        expect(owners).toHaveLength(1);
        counts[owners[0]! - 1]++;
      }
      expect(counts.reduce((a, b) => a + b, 0)).toBe(ids.length);
      for (const c of counts) expect(c).toBeGreaterThan(ids.length / n / 2);
    }
    const before = ids.map((id) => shardOf(id, 4));
    const after = [...ids, deterministicUuid('new-customer')].map((id) => shardOf(id, 4)).slice(0, ids.length);
    expect(after).toEqual(before);
  });

  it('rejects malformed shards with a clear message', () => {
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
    expect(parseShard(' 2 / 4 ')).toEqual({ index: 2, count: 4 });
  });

  it('the real CLI plans disjoint customer sets per shard whose union is the whole plan', async () => {
    sim = await startSim({ scenario: 'demo' });
    const ids = async (extra: string[]) => {
      const res = await runCli(['plan', '--format', 'json', ...extra], { env: demoEnv(sim!), cwd: repoRoot });
      expect([0, 2]).toContain(res.code);
      return (JSON.parse(res.stdout) as { customers: { customerId: string }[] }).customers.map((c) => c.customerId);
    };
    const all = await ids([]);
    const shards = [await ids(['--shard', '1/2']), await ids(['--shard', '2/2'])];
    expect([...shards[0]!, ...shards[1]!].sort()).toEqual([...all].sort());
    expect(shards[0]!.filter((id) => shards[1]!.includes(id))).toEqual([]);
    const bad = await runCli(['plan', '--shard', '3/2'], { env: demoEnv(sim), cwd: repoRoot });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--shard "3\/2"/);
  });
});

describe('no wasted calls', () => {
  it('plan reads licences only for the users who move (8 of the 11 demo users) and every other resource once per customer', async () => {
    sim = await startSim({ scenario: 'demo' });
    const res = await runCli(['plan'], { env: demoEnv(sim), cwd: repoRoot });
    expect(res.code, res.stderr).toBe(2);
    const gets = sim.audit.requests().filter((r) => r.method === 'GET').map((r) => r.path);
    expect(gets.filter((p) => p.endsWith('/licenses'))).toHaveLength(8);
    for (const suffix of ['/subscriptions', '/subscribedskus', '/users']) {
      expect(gets.filter((p) => p.endsWith(suffix)), suffix).toHaveLength(2);
    }
    expect(gets.filter((p) => p === '/v1/offers')).toHaveLength(1);
  });
});
