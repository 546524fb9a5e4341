import { basename, join, resolve } from 'node:path';
import { style } from '../render/style.js';
import { formatDiagnostic, hasErrors } from '../core/diagnostics.js';
import { ExitCode, UserError } from '../core/errors.js';
import { loadDesiredState } from '../desired/load.js';
import { buildCatalog } from '../catalog/index.js';
import { OfferCache } from '../live/offers.js';
import { readCustomer, readCustomerOrProblem, readEach, type LiveReader } from '../live/read.js';
import { readProgress } from './read-progress.js';
import { GdapReader } from '../live/gdap.js';
import { graphClientFor } from '../partner-center/graph.js';
import { finishPlan } from '../plan/index.js';
import { heldPlan } from '../apply/held-plan.js';
import { finalizeCustomer, planCustomer } from '../plan/customer.js';
import type { Remembered } from '../plan/context.js';
import { readPriorRuns, type PriorRuns } from '../apply/prior.js';
import { stateDirOf } from './state-dir.js';
import { connect, type Connection } from './connect.js';
import type { StopWatch } from '../partner-center/http.js';
import { recheckFromEnv } from './polling.js';
import type { Recheck } from '../live/holders.js';
import { priceSourceFor } from '../prices/index.js';
import { pcsyncVersion } from '../core/version.js';
import { inSelectedShard, type Shard } from './shard.js';
import type { Catalog } from '../catalog/types.js';
import type { DesiredCustomer, DesiredState } from '../desired/types.js';
import type { LiveCustomer } from '../live/types.js';
import { PLAN_FORMAT_VERSION, type CustomerPlan, type Plan } from '../plan/types.js';
import type { Replan } from '../apply/customer.js';
import { line, type CliIo } from './io.js';

export interface StateOptions {
  /** Desired-state directory (default `desired-state`). */
  readonly dir: string;
  /** Only these customer ids (default: all). */
  readonly customers?: readonly string[];
  /** Only the customers of this CI shard (`--shard i/n`). */
  readonly shard?: Shard;
  readonly endpoint?: string;
  /** What earlier applies' journals say, already read (apply's session): not read again, nor warned about twice. */
  readonly prior?: PriorRuns;
}

/** Loads and validates the desired state; prints every problem and stops with exit 1 on any error. */
export function loadDesired(io: CliIo, opts: StateOptions): { desired: DesiredState; selected: DesiredCustomer[] } {
  const { value, diagnostics } = loadDesiredState(resolve(io.cwd, opts.dir), { displayRoot: io.cwd });
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d, style(io.color?.stderr ?? false))}\n`);
  if (!value || hasErrors(diagnostics)) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    throw new UserError('desired.invalid', `${n} error(s) in ${opts.dir}; nothing was sent to Partner Center.`, ExitCode.error);
  }
  return { desired: value, selected: inSelectedShard(selectCustomers(value, opts.customers), opts.shard, opts.customers) };
}

/**
 * The customers `--customer` names. Each value may be a customer (tenant) id, the customer's `domain:`, or its
 * desired-state file name (`contoso`, `contoso.yaml` or a path ending in it); all compared case-insensitively.
 * Throws `UserError` naming every value that matches no customer, or more than one.
 */
export function selectCustomers(desired: DesiredState, keys: readonly string[] | undefined): DesiredCustomer[] {
  if (!keys || keys.length === 0) return [...desired.customers];
  const chosen = new Set<DesiredCustomer>();
  const problems: string[] = [];
  for (const key of keys) {
    const hits = desired.customers.filter((c) => customerKeys(c).includes(key.trim().toLowerCase()));
    if (hits.length === 1) chosen.add(hits[0]!);
    else if (hits.length === 0) problems.push(`${key}: no customer has this id, domain or file name`);
    else problems.push(`${key}: names ${hits.length} customers (${hits.map((c) => c.file).join(', ')}); use the customer id`);
  }
  if (problems.length > 0) {
    const known = desired.customers.map((c) => `${basename(c.file)} (${c.domain ?? c.id})`).join(', ');
    throw new UserError('cli.unknown-customer', `--customer ${problems.join('; ')}. Customers in ${desired.root}: ${known || 'none'}.`);
  }
  return desired.customers.filter((c) => chosen.has(c));
}

/** Lower-case names a customer answers to: id, domain, file name with and without extension. */
function customerKeys(c: DesiredCustomer): string[] {
  const file = basename(c.file).toLowerCase();
  const keys = [c.id.toLowerCase(), file, file.replace(/\.ya?ml$/, ''), c.file.toLowerCase()];
  if (c.domain) keys.push(c.domain.toLowerCase());
  return keys;
}

export interface Planned {
  readonly plan: Plan;
  readonly desired: DesiredState;
  readonly conn: Connection;
  readonly reader: LiveReader;
}

/** plan = load desired → connect → prices (when configured) → read live → catalogue → buildPlan. */
export async function makePlan(io: CliIo, opts: StateOptions & { readOnly: boolean }, now = new Date()): Promise<Planned> {
  return planLoaded(io, loadDesired(io, opts), opts, now);
}

/**
 * The part of `makePlan` after the desired state is loaded (apply takes its customer locks in between). Each
 * customer is planned as soon as it is read and only its plan is kept, packed (held-plan.ts): a fleet's live
 * state is never in memory all at once. Then the run-wide caps, hash and cost (`finishPlan`).
 */
export async function planLoaded(
  io: CliIo,
  loaded: { desired: DesiredState; selected: DesiredCustomer[] },
  opts: StateOptions & { readOnly: boolean; stopping?: () => boolean },
  now = new Date(),
): Promise<Planned> {
  const { desired, selected } = loaded;
  const conn = connect(io, { endpoint: opts.endpoint, readOnly: opts.readOnly });
  // Prices first: a bad price list stops the run before any Partner Center request.
  const prices = await priceSourceFor(desired.partner, opts.dir, io.env, io.cwd)?.read();
  const at = now.toISOString();
  const reader = liveReader(conn, desired, at, recheckFromEnv(io.env), io.env);
  const progress = readProgress(io);
  const prior = opts.prior ?? priorRunsFor(io);
  const planOne = async (customer: DesiredCustomer, live: LiveCustomer) => {
    return heldPlan(await planFromLive(reader, desired, customer, live, rememberedOf(prior, customer.id)));
  };
  let drafts: CustomerPlan[];
  try {
    drafts = await readEach(reader, selected, desired.partner.concurrency, { stopping: opts.stopping, progress: progress.update, onBound: progress.pace }, planOne);
  } finally {
    progress.finish();
  }
  const scoped: DesiredState = { ...desired, customers: selected };
  const plan = finishPlan(scoped, drafts, { now: at, pcsyncVersion: pcsyncVersion(), ...(prices ? { prices } : {}) });
  return { plan, desired, conn, reader };
}

/** What `planAsApplied` gives `apply --auto-approve`: a placeholder plan, the planner per customer, and the whole plan at the end. */
export interface PlannedAsApplied {
  /** Each selected customer's id and name, nothing planned: what the executor starts from. */
  readonly placeholder: Plan;
  /** Reads one customer and plans it (what `planLoaded` does per customer), keeping its plan for `finish`. */
  readonly planFirst: Replan;
  /** The plan of the customers planned so far, with the run-wide hash and cost (`finishPlan`), in id order. */
  finish(): Plan;
  readonly conn: Connection;
  readonly reader: LiveReader;
}

/**
 * True when `apply --auto-approve` may plan each customer as it applies it: no run-wide cap
 * (`policy.maxSeatsPerRun`, `policy.maxSpendPerRun`) needs the whole fleet's plan before the first write.
 */
export function mayPlanAsApplied(desired: DesiredState): boolean {
  return desired.partner.policy.maxSeatsPerRun === undefined && desired.partner.policy.maxSpendPerRun === undefined;
}

/**
 * `planLoaded` for `apply --auto-approve` without a run-wide cap (`mayPlanAsApplied`): instead of reading the whole
 * fleet and then applying, each customer is read and planned as the executor starts it (`applyPlan`'s `planFirst`),
 * so reading and applying are one stream under one controller and each purchase relies on a read made moments
 * before. The same reads, planner and time as `planLoaded`, so each customer's plan is the one `plan` shows.
 * Prices and the offer catalogue are read first, as there: a bad price list stops the run before any request.
 */
export async function planAsApplied(io: CliIo, loaded: { desired: DesiredState; selected: DesiredCustomer[] }, opts: StateOptions, watch?: StopWatch, now = new Date()): Promise<PlannedAsApplied> {
  const { desired, selected } = loaded;
  const conn = connect(io, { endpoint: opts.endpoint, readOnly: false });
  const prices = await priceSourceFor(desired.partner, opts.dir, io.env, io.cwd)?.read();
  const at = now.toISOString();
  const reader = liveReader(conn, desired, at, recheckFromEnv(io.env), io.env);
  // a customer's reads end unsent once the run stops (`watch`): it is not started then
  const customerReader: LiveReader = watch ? { ...reader, client: conn.client.stoppingWith(watch, { reads: true }) } : reader;
  const prior = opts.prior ?? priorRunsFor(io);
  if (selected.length > 0) await reader.offers.catalogue();
  const drafts = new Map<string, CustomerPlan>();
  const byId = new Map(selected.map((c) => [c.id, c]));
  const planFirst: Replan = async (customerId) => {
    const customer = byId.get(customerId);
    if (!customer) throw new UserError('plan.unknown-customer', `customer ${customerId} is not among the selected customers of ${desired.root}`);
    const live = await readCustomerOrProblem(customerReader, customer);
    const draft = await planFromLive(customerReader, desired, customer, live, rememberedOf(prior, customer.id));
    drafts.set(customer.id, heldPlan(draft));
    return finalizeCustomer(draft);
  };
  const placeholder: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    pcsyncVersion: pcsyncVersion(),
    createdAt: at,
    desiredHash: desired.contentHash,
    // the journal's key for this run's actions: no saved plan is resumed from it
    actionsHash: 'planned-as-applied',
    customers: selected.map((c) => ({ customerId: c.id, displayName: c.domain ?? c.id, file: c.file, desiredHash: c.contentHash, fingerprint: '', actions: [], blockers: [], warnings: [] })),
  };
  const scoped: DesiredState = { ...desired, customers: selected };
  const finish = () => finishPlan(scoped, [...drafts.values()], { now: at, pcsyncVersion: pcsyncVersion(), ...(prices ? { prices } : {}) });
  return { placeholder, planFirst, finish, conn, reader };
}

/** The reader of one run; `now` is the plan's time (apply's re-plan reads with the time of the plan it applies). */
export function liveReader(conn: Connection, desired: DesiredState, now: string, recheck?: Recheck, env?: CliIo['env']): LiveReader {
  const catalog: Catalog = buildCatalog(desired.partner.catalog);
  const gdap = env ? new GdapReader(graphClientFor(env, conn.endpoint)) : undefined;
  return { client: conn.client, catalog, offers: new OfferCache(conn.client, desired.partner.country), now, ...(recheck && { recheck }), ...(gdap && { gdap }) };
}

/**
 * One customer's plan from its live state, before the run-wide caps: the one function both the fleet's plan and
 * apply's re-plan use, so the same desired state, live state, catalogue and time give the same plan.
 */
async function planFromLive(reader: LiveReader, desired: DesiredState, customer: DesiredCustomer, live: LiveCustomer, remembered?: Remembered): Promise<CustomerPlan> {
  const catalogue = await reader.offers.catalogue();
  return planCustomer({ desired: customer, live, catalog: reader.catalog, catalogue, partner: desired.partner, now: reader.now ?? new Date().toISOString(), ...(remembered && { remembered }) });
}

/**
 * What earlier applies' journals in the state directory remember of one customer, for its plan: a licence write
 * refused (a warning) and the nicknames of purchases an interrupted run started (a pending order carrying one is
 * not someone else's: plan/pending-orders.ts). Undefined when they remember nothing.
 */
function rememberedOf(prior: PriorRuns | undefined, customerId: string): Remembered | undefined {
  const licenceRefusal = prior?.licenceRefusal?.(customerId);
  const purchaseTags = prior?.purchaseTagsAt?.(customerId) ?? {};
  const remembered: Remembered = { ...(licenceRefusal && { licenceRefusal }), ...(Object.keys(purchaseTags).length > 0 && { purchaseTags }) };
  return Object.keys(remembered).length > 0 ? remembered : undefined;
}

/**
 * What earlier applies' journals in the state directory (PCSYNC_STATE_DIR, default .pcsync) remember, for the
 * plan (rememberedOf); undefined when there is none or it cannot be read. The plan then says so on stderr and
 * goes on: an interrupted run's pending order shows as blocking, which is safe. Apply reads the same journals and
 * refuses to run without them.
 */
function priorRunsFor(io: CliIo): PriorRuns | undefined {
  const dir = join(stateDirOf(io, undefined), 'journal');
  const warn = (m: string) => line(io.stderr, `pcsync: warning: ${m}`);
  try {
    return readPriorRuns(dir, warn);
  } catch (err) {
    const why = err instanceof Error ? err.message : `${dir}: ${String(err)}`;
    warn(`cannot read the journals of earlier applies (${why}); this plan does not know which orders an interrupted apply placed, so such an order shows as blocking its customer.`);
    return undefined;
  }
}

/**
 * Plans one customer again from live state (read, then the pure planner) at the time of the plan being applied
 * (`reader.now`): the stale check and resume of `apply plan.json`. Reads the catalogue first, as the fleet's plan did.
 */
export function replanner(reader: LiveReader, desired: DesiredState, prior?: PriorRuns): Replan {
  return async (customerId: string) => {
    const customer = desired.customers.find((c) => c.id === customerId);
    if (!customer) throw new UserError('plan.unknown-customer', `the plan names customer ${customerId}, which is not in ${desired.root}`);
    await reader.offers.catalogue();
    const live = await readCustomer(reader, customer);
    return finalizeCustomer(await planFromLive(reader, desired, customer, live, rememberedOf(prior, customer.id)));
  };
}
