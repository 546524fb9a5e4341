import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { join } from 'node:path';
import { isSuccess } from './outcomes.js';
import type { JournalRecord } from './journal.js';

/** What earlier runs' journals say, as far as the executor needs it. Live state stays the judge. */
export interface PriorRuns {
  /** Nicknames of purchases earlier runs started for this action, at customers not finished successfully since. */
  purchaseTags(actionId: string): readonly string[];
  /** The same for every purchase action of one customer, by action id (for its re-plan: plan/pending-orders.ts). */
  purchaseTagsAt?(customerId: string): Readonly<Record<string, readonly string[]>>;
  /** The run that finished this action of this plan successfully, if any. */
  finishedBy(planHash: string, actionId: string): string | undefined;
  /** Whether an earlier run of this plan started any action at this customer. */
  touched(planHash: string, customerId: string): boolean;
  /**
   * The latest licence write Partner Center refused for the partner's roles at this customer (journal time and
   * pcsync's sentence), unless a later licence move there succeeded. Absent: none remembered.
   */
  licenceRefusal?(customerId: string): { readonly at: string; readonly message: string } | undefined;
  /** The latest run, when it has no run-end line (killed, crashed, aborted — or still running elsewhere). */
  readonly unfinished?: { readonly run: string; readonly started: number; readonly ended: number; readonly pid?: number; readonly host?: string };
}

/**
 * For a re-run of an approved plan an earlier run may have started without leaving its journal (a CI runner lost
 * mid-run: the state directory was saved before the apply began, never after): every customer counts as possibly
 * started by this plan. A customer whose re-plan differs is then resumed — only if everything left is an approved
 * action with the same parameters (resumeApproved) — instead of refused as stale. Purchases stay exactly-once: each
 * carries its nickname and request id in the plan itself, and pcsync finds its own order by them before ordering.
 */
export function assumingStarted(prior: PriorRuns): PriorRuns {
  return { ...prior, touched: () => true };
}

const NO_PRIOR: PriorRuns = { purchaseTags: () => [], finishedBy: () => undefined, touched: () => false };

/**
 * Reads every journal in `dir` (oldest first, by name) into PriorRuns. Unreadable lines (a torn last line) are
 * skipped. Records are folded as they are read, one file in memory at a time: a state directory collects a
 * journal per run, and materialising all of them cost tens of MB at every start. An entry named `*.jsonl` that
 * is not a file (a directory, a dangling link) is not a journal: `warn` names it and it is passed over. A journal
 * file that exists but cannot be read is a UserError — its purchase tags are what keeps a purchase from happening
 * twice, so apply does not run without them.
 */
export function readPriorRuns(dir: string, warn: (message: string) => void = () => {}): PriorRuns {
  if (!existsSync(dir)) return NO_PRIOR;
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  const journals = files.filter((f) => {
    const kind = entryKind(join(dir, f));
    if (kind !== 'file') warn(`${join(dir, f)} is ${kind}, not a journal file; it is ignored (remove it).`);
    return kind === 'file';
  });
  return foldJournal(recordsOf(dir, journals));
}

function entryKind(path: string): 'file' | 'a directory' | 'a dangling or looping link' | 'not a regular file' {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'a directory' : 'not a regular file';
  } catch {
    return 'a dangling or looping link';
  }
}

function* recordsOf(dir: string, files: readonly string[]): Generator<JournalRecord> {
  for (const f of files) {
    const path = join(dir, f);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UserError('apply.journal-unreadable', `cannot read the journal ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); apply needs it to never buy twice — fix its permissions or move it away deliberately.`);
    }
    yield* parseLines(text);
  }
}

function* parseLines(text: string): Generator<JournalRecord> {
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(start, end);
    start = end + 1;
    if (!line.trim()) continue;
    let r: JournalRecord | undefined;
    try {
      r = JSON.parse(line) as JournalRecord;
    } catch {
      // a line cut short by a kill: the action it describes is re-checked against live state anyway
    }
    if (r && typeof r === 'object' && typeof r.type === 'string' && wellFormed(r)) yield r;
  }
}

/**
 * The fields the fold reads have the types it reads them as. A line without them (hand-edited, or written by
 * something else) is skipped like a line cut short: one bad line must not stop every customer's plan and apply.
 */
function wellFormed(r: JournalRecord): boolean {
  const text = (v: unknown) => typeof v === 'string';
  const rec = r as unknown as Record<string, unknown>;
  // every record belongs to a run: the fold groups them by it
  if (!text(rec.run)) return false;
  switch (r.type) {
    case 'action-start':
      return text(rec.customerId) && text(rec.actionId) && (rec.tag === undefined || text(rec.tag));
    case 'action-end':
      // a refused licence write is remembered by its time and sentence (the plan's warning)
      return text(rec.customerId) && text(rec.actionId) && text(rec.kind) && (rec.licenceWritesRefused !== true || (text(rec.at) && text(rec.message)));
    case 'customer-end':
      return text(rec.customerId);
    default:
      return true;
  }
}

/** Folds records in order; pure, so it is tested on its own. */
export function foldJournal(records: Iterable<JournalRecord>): PriorRuns {
  const tags = new Map<string, { customerId: string; tags: Set<string> }>();
  const finished = new Map<string, string>();
  const touched = new Set<string>();
  const refusals = new Map<string, { at: string; message: string }>();
  let last: { run: string; started: number; ended: number; closed: boolean; pid?: number; host?: string } | undefined;
  for (const r of records) {
    if (last?.run !== r.run) last = { run: r.run, started: 0, ended: 0, closed: false };
    switch (r.type) {
      case 'run-start':
        last.pid = r.pid;
        last.host = r.host;
        break;
      case 'action-start': {
        last.started++;
        touched.add(`${r.planHash}|${r.customerId}`);
        if (r.tag) {
          const entry = tags.get(r.actionId) ?? { customerId: r.customerId, tags: new Set<string>() };
          entry.tags.add(r.tag);
          tags.set(r.actionId, entry);
        }
        break;
      }
      case 'action-end':
        last.ended++;
        if (isSuccess(r.outcome)) finished.set(`${r.planHash}|${r.actionId}`, r.run);
        if (r.kind === 'reassign' && r.licenceWritesRefused) refusals.set(r.customerId.toLowerCase(), { at: r.at, message: r.message });
        else if (r.kind === 'reassign' && r.outcome === 'applied') refusals.delete(r.customerId.toLowerCase());
        break;
      case 'customer-end':
        if (isSuccess(r.outcome)) for (const [id, e] of tags) if (e.customerId.toLowerCase() === r.customerId.toLowerCase()) tags.delete(id);
        break;
      case 'run-end':
        last.closed = true;
        break;
      default:
        break;
    }
  }
  // per customer, made on the first look-up: a killed fleet run leaves a tag per customer, and each is looked up
  let byCustomer: Map<string, Record<string, string[]>> | undefined;
  const tagsAt = (customerId: string) => {
    if (!byCustomer) {
      byCustomer = new Map();
      for (const [id, e] of tags) {
        const key = e.customerId.toLowerCase();
        byCustomer.set(key, { ...byCustomer.get(key), [id]: [...e.tags] });
      }
    }
    return byCustomer.get(customerId.toLowerCase()) ?? {};
  };
  return {
    purchaseTags: (actionId) => [...(tags.get(actionId)?.tags ?? [])],
    purchaseTagsAt: tagsAt,
    finishedBy: (planHash, actionId) => finished.get(`${planHash}|${actionId}`),
    touched: (planHash, customerId) => touched.has(`${planHash}|${customerId}`),
    licenceRefusal: (customerId) => refusals.get(customerId.toLowerCase()),
    ...(last && !last.closed ? { unfinished: { run: last.run, started: last.started, ended: last.ended, ...(last.pid !== undefined ? { pid: last.pid, host: last.host } : {}) } } : {}),
  };
}
