import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogOffers } from '../src/sim/scenarios/catalog.js';
import { writeFleetDesiredState } from '../src/sim/scenarios/fleet-desired.js';
import { formatMoney } from '../src/render/plan-facts.js';
import { runInterrupted, stateDir } from './helpers/safety.js';
import { demoEnv } from './helpers/demo.js';
import { generateFleet, runCli, startSim, type StartedSim } from './helpers/sim.js';
import type { AuditEntry } from '../src/sim/index.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const CUSTOMERS = 50;
const STOP_AT_ORDER = 15;

/** What the summary says one customer got from the run. */
interface Said {
  outcome: string;
  seats: number;
  moved: number;
  retired: number;
  committed: string;
}

/**
 * Each customer's figures from the text summary: a block under "Needs attention" (`<outcome> Name (id): …` and its
 * `done:` line) or a row of the table of the others (`<outcome> Name <id prefix> seats moved retired committed bought`).
 */
function parseSummary(stdout: string, names: ReadonlyMap<string, string>): Map<string, Said> {
  const lines = stdout.slice(stdout.lastIndexOf('Apply summary')).split('\n');
  const out = new Map<string, Said>();
  lines.forEach((l, i) => {
    const block = /^ {2}(\S+) +(.+) \(([0-9a-f-]{36})\): /.exec(l);
    if (block) {
      const done = lines[i + 1]!;
      expect(done, l).toMatch(/^ {6}done: /);
      const seats = [...done.matchAll(/ordered (\d+) × /g)].reduce((n, m) => n + Number(m[1]), 0);
      const retired = (done.match(/(suspended|cancelled|set to end at term end) "/g) ?? []).length;
      out.set(block[3]!, { outcome: block[1]!, seats, moved: Number(/moved (\d+) of/.exec(done)?.[1] ?? 0), retired, committed: /— committed (.+)$/.exec(done)?.[1] ?? '—' });
      return;
    }
    const row = /^ {4}(\S+) +(.+?) +([0-9a-f]{8}) +(\d+) +(\d+) +(\d+) {2}(—|USD [\d,.]+) +(.*)$/.exec(l);
    if (row && row[1] !== 'outcome') {
      const id = [...names.keys()].find((k) => k.startsWith(row[3]!) && names.get(k) === row[2]);
      expect(id, l).toBeDefined();
      out.set(id!, { outcome: row[1]!, seats: Number(row[4]), moved: Number(row[5]), retired: Number(row[6]), committed: row[7]! });
    }
  });
  return out;
}

/** Per customer, the writes the simulator saw: seats ordered, licences moved, subscriptions retired. */
function auditWrites(entries: readonly AuditEntry[]): Map<string, { seats: number; moved: number; retired: number; committed: number }> {
  const price = new Map(catalogOffers().map((o) => [o.id.toLowerCase(), o.unitPrice ?? 0]));
  const out = new Map<string, { seats: number; moved: number; retired: number; committed: number }>();
  const of = (id: string) => out.get(id) ?? out.set(id, { seats: 0, moved: 0, retired: 0, committed: 0 }).get(id)!;
  for (const e of entries) {
    if (e.type === 'order-created') {
      for (const li of e.lineItems) {
        of(e.customerId).seats += li.quantity;
        of(e.customerId).committed += li.quantity * price.get(li.offerId.toLowerCase())! * 12;
      }
    }
    if (e.type === 'licenses-changed') of(e.customerId).moved++;
    if (e.type === 'subscription-changed' && e.field === 'status') of(e.customerId).retired++;
  }
  return out;
}

describe('the apply summary after Ctrl-C (issue 23, Done-when 2)', () => {
  it('a 50-customer saved-plan apply stopped by SIGINT mid-run: every customer with a write is reported with exactly those writes, with totals of seats and money', async () => {
    const scenario = generateFleet({ customers: CUSTOMERS, usersMin: 2, usersMax: 6, seed: 23 });
    sim = await startSim({ scenario, options: { provisioningDelayMs: 200 } });
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-stop-'));
    writeFleetDesiredState(scenario, dir, { concurrency: 4 });
    appendFileSync(join(dir, 'pcsync.yaml'), 'prices:\n  priceSheet: true\n');
    const planFile = join(dir, 'plan.json');
    const env = demoEnv(sim, { PCSYNC_STATE_DIR: stateDir(), PCSYNC_POLL_MS: '20', PARTNER_CENTER_PRICES_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'prices-token' });
    const plan = await runCli(['plan', '--dir', dir, '--out', planFile], { env });
    expect(plan.code, plan.stderr).toBe(2);
    const hash = String(JSON.parse(readFileSync(planFile, 'utf8')).actionsHash);

    let orders = 0;
    const { res } = await runInterrupted(sim, ['apply', planFile, '--dir', dir, '--approved-hash', hash], { env }, (e) => e.type === 'order-created' && ++orders === STOP_AT_ORDER);
    expect(res.code, res.stdout + res.stderr).toBe(130);

    const names = new Map(scenario.customers.map((c) => [c.id, c.companyName]));
    const said = parseSummary(res.stdout, names);
    const wrote = auditWrites(sim.audit.entries);
    expect(wrote.size).toBeGreaterThanOrEqual(STOP_AT_ORDER);
    expect(wrote.size).toBeLessThan(CUSTOMERS);
    // every customer is reported once; each one with a write exactly with those writes, and money at the sheet's price
    expect([...said.keys()].sort()).toEqual([...names.keys()].sort());
    for (const [id, w] of wrote) {
      const s = said.get(id)!;
      expect({ id, seats: s.seats, moved: s.moved, retired: s.retired, committed: s.committed }).toEqual({ id, seats: w.seats, moved: w.moved, retired: w.retired, committed: w.seats > 0 ? formatMoney('USD', w.committed) : '—' });
      expect(s.outcome, id).not.toBe('not-started');
    }
    // "not-started" only for customers with no write at all
    for (const [id, s] of said) if (!wrote.has(id)) expect({ id, outcome: s.outcome, seats: s.seats, moved: s.moved }).toEqual({ id, outcome: 'not-started', seats: 0, moved: 0 });
    // customers the stop caught between their order and their last action are partly applied, not "not-started"
    expect([...said.values()].some((s) => s.outcome === 'partly-applied')).toBe(true);

    // the totals: seats and money committed over the run, then customers by outcome
    const seats = [...wrote.values()].reduce((n, w) => n + w.seats, 0);
    const money = [...wrote.values()].reduce((n, w) => n + w.committed, 0);
    const purchases = sim.audit.entries.filter((e) => e.type === 'order-created').length;
    expect(purchases).toBeGreaterThanOrEqual(STOP_AT_ORDER);
    expect(res.stdout).toContain(`Bought: ${seats} seat(s) in ${purchases} purchase(s)`);
    expect(res.stdout).toMatch(new RegExp(`committed ${formatMoney('USD', money).replace(/[.$]/g, '\\$&')}`));
    const summary = res.stdout.slice(res.stdout.lastIndexOf('Apply summary'));
    expect(summary).toContain('Stopped on request; run apply again to continue where it left off.');
    // compact: the totals, the customers that need attention, one row for each other customer
    expect(summary.split('\n').length).toBeLessThan(CUSTOMERS + 60);
    // ordered by name in the table
    const rows = summary.split('\n').filter((l) => /^ {4}\S+ +Fleet Customer \d+ /.test(l)).map((l) => /Fleet Customer \d+/.exec(l)![0]);
    expect(rows).toEqual([...rows].sort());
  }, 180_000);
});
