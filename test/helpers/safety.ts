import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry, StartedSim } from '../../src/sim/index.js';
import type { JournalRecord } from '../../src/apply/journal.js';
import type { ChildProcess } from 'node:child_process';
import { SKU } from './demo.js';
import { repoRoot, runCli, type CliResult } from './sim.js';

/** The demo's interchangeable licences (retired → replacement), for usersEverUnlicensed. */
export const DEMO_SKU_GROUPS = [
  [SKU.oldSales, SKU.salesPro],
  [SKU.oldCep, SKU.cep],
];

/** A fresh apply state directory (journal + locks) a test keeps across CLI runs. */
export function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'pcsync-safety-'));
}

/** Every journal record under `<dir>/journal`, oldest run first. */
export function journal(dir: string): JournalRecord[] {
  const jdir = join(dir, 'journal');
  return readdirSync(jdir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(join(jdir, f), 'utf8').split('\n').filter((l) => l.trim()))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as JournalRecord];
      } catch {
        return [];
      }
    });
}

/** Calls `fn` synchronously right after the simulator records an entry (while the request is being handled). */
export function onAudit(sim: StartedSim, fn: (entry: AuditEntry) => void): () => void {
  const audit = sim.audit;
  const original = audit.record.bind(audit);
  audit.record = ((entry: Parameters<typeof original>[0]) => {
    const stamped = original(entry);
    fn(stamped as AuditEntry);
    return stamped;
  }) as typeof audit.record;
  return () => {
    audit.record = original as typeof audit.record;
  };
}

/**
 * Runs the CLI with `args` and sends it SIGINT at the first simulator entry `when` picks (checked synchronously, while
 * that request is being handled). Returns the run and when the signal was sent (0: never).
 */
export async function runInterrupted(
  sim: StartedSim,
  args: readonly string[],
  opts: { env: Record<string, string>; cwd?: string },
  when: (entry: AuditEntry) => boolean,
): Promise<{ res: CliResult; signalledAt: number }> {
  let child: ChildProcess | undefined;
  let signalledAt = 0;
  const stop = onAudit(sim, (e) => {
    if (signalledAt === 0 && when(e)) {
      signalledAt = Date.now();
      child?.kill('SIGINT');
    }
  });
  try {
    const res = await runCli(args, { env: opts.env, cwd: opts.cwd ?? repoRoot, timeoutMs: 120_000, onSpawn: (c) => (child = c) });
    return { res, signalledAt };
  } finally {
    stop();
  }
}

/** Licence SKU ids (lower case) per UPN of one customer, from the simulator's state. */
export function licences(sim: StartedSim, customerId: string): Map<string, string[]> {
  const c = sim.state.customer(customerId);
  return new Map((c?.users ?? []).map((u) => [u.upn.toLowerCase(), u.licenses.map((l) => l.toLowerCase())]));
}

/** POST requests to one path suffix (e.g. `/orders`). */
export function posts(sim: StartedSim, suffix: string) {
  return sim.audit.requests().filter((e) => e.method === 'POST' && e.path.endsWith(suffix));
}

/**
 * Checks every write request (not GET) the moment the simulator receives it: the customer's lock is held, the
 * journal on disk has an action of that customer started and not yet ended, and the run has not ended. Returns
 * what was wrong, one line per write (empty = every write ran under journal and lock), and a stop function.
 */
export function watchWritesUnderJournalAndLock(sim: StartedSim, state: string): { violations: string[]; stop: () => void } {
  const violations: string[] = [];
  const stop = onAudit(sim, (e) => {
    if (e.type !== 'request' || e.method === 'GET') return;
    const who = `${e.method} ${e.path}`;
    const cid = (e.customerId ?? '').toLowerCase();
    if (!existsSync(join(state, 'locks', `${cid}.lock`))) violations.push(`${who}: customer lock not held`);
    const records = existsSync(join(state, 'journal')) ? journal(state) : [];
    if (records.some((r) => r.type === 'run-end')) violations.push(`${who}: after the journal's run-end`);
    const ended = new Set(records.filter((r) => r.type === 'action-end').map((r) => r.type === 'action-end' && r.actionId));
    const open = records.filter((r) => r.type === 'action-start' && r.customerId.toLowerCase() === cid && !ended.has(r.actionId));
    if (open.length === 0) violations.push(`${who}: no action of the customer journaled as started`);
  });
  return { violations, stop };
}

/** Lock files left in a state directory. */
export function locksLeft(state: string): string[] {
  const dir = join(state, 'locks');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lock')) : [];
}
