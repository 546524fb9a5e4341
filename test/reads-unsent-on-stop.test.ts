import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../src/cli/connect.js';
import { onStopSignals } from '../src/apply/signals.js';
import { StoppedBeforeSending } from '../src/partner-center/errors.js';
import { EventEmitter } from 'node:events';
import { startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO } from './helpers/demo.js';
import type { CliIo } from '../src/cli/io.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** A client on the simulator, as `apply` builds it (real HTTP over loopback). */
function clientOn(env: Record<string, string>) {
  const io = { env: { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', ...env }, cwd: process.cwd(), stdout: () => {}, stderr: () => {} } as unknown as CliIo;
  return connect(io, { readOnly: false }).client;
}

/**
 * `apply --auto-approve` reads the customers it has not planned yet through `client.stoppingWith(watch)`: once the
 * run stops those reads end unsent, even while waiting for their turn (issue 24: reading and applying are one
 * stream). Each read registers a wake-up with the run's stop and must forget it when it ends — a fleet makes
 * ~60 reads per customer, and wake-ups kept per read grew the heap by ~120 MB at 1,000 customers in the bench.
 */
describe('reads that end unsent once the run stops', () => {
  it('a read that ended forgets its wake-up: none is left after 200 reads', async () => {
    sim = await startSim({ scenario: 'demo' });
    let registered = 0;
    let forgotten = 0;
    const watch = {
      stopping: () => false,
      onStop: () => {
        registered++;
        return () => void forgotten++;
      },
    };
    const client = clientOn({}).stoppingWith(watch, { reads: true });
    for (let i = 0; i < 50; i++) await Promise.all([client.getCustomer(CONTOSO), client.listSubscriptions(CONTOSO), client.listOrders(CONTOSO), client.listSubscribedSkus(CONTOSO)]);
    expect(registered).toBe(200);
    expect(forgotten).toBe(registered);
  });

  it('reads queued behind a slow rate limit end at once with StoppedBeforeSending when the run stops; nothing more reaches Partner Center', async () => {
    sim = await startSim({ scenario: 'demo' });
    const signals = new EventEmitter();
    const stop = onStopSignals({ first: () => {}, second: () => {} }, signals);
    // 30 a minute: the 10 reads below would take ~18 s to get their turns
    const client = clientOn({ PCSYNC_RATE_PER_MINUTE: '30' }).stoppingWith({ stopping: stop.stopping, onStop: stop.onStop }, { reads: true });
    const reads = Array.from({ length: 10 }, () => client.listSubscriptions(CONTOSO).then(() => 'read', (err: unknown) => err));
    await new Promise((r) => setTimeout(r, 100));
    const before = sim.audit.requests().length;
    const stoppedAt = Date.now();
    signals.emit('SIGINT', 'SIGINT');
    const outcomes = await Promise.all(reads);
    stop.dispose();
    const ended = Date.now() - stoppedAt;
    console.log(`  ${outcomes.filter((o) => o === 'read').length} read(s) answered before the stop, the rest ended ${ended} ms after it`);
    expect(outcomes.filter((o) => o instanceof StoppedBeforeSending).length).toBeGreaterThanOrEqual(8);
    expect(outcomes.every((o) => o === 'read' || o instanceof StoppedBeforeSending)).toBe(true);
    expect(sim.audit.requests()).toHaveLength(before);
  });

  it('once the run is stopping, a read is not sent at all', async () => {
    sim = await startSim({ scenario: 'demo' });
    const client = clientOn({}).stoppingWith({ stopping: () => true, onStop: (wake) => (wake(), () => {}) }, { reads: true });
    await expect(client.listSubscriptions(CONTOSO)).rejects.toBeInstanceOf(StoppedBeforeSending);
    expect(sim.audit.requests()).toHaveLength(0);
  });
});
