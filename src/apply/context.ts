import type { PartnerCenterClient } from '../partner-center/client.js';
import type { LiveGdap } from '../live/types.js';
import type { RunJournal } from './journal.js';
import type { PriorRuns } from './prior.js';
import type { LearnedWaits } from './provisioning-times.js';

/** What the per-customer executor needs from the outside world; injected so tests can drive it. */
export interface ExecutorDeps {
  readonly client: PartnerCenterClient;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Users of one customer whose licences move at once. */
  readonly userConcurrency: number;
  /** First poll interval of await-provisioning; doubles up to `maxPollMs`. */
  readonly pollMs: number;
  readonly maxPollMs: number;
  /** How long a subscription change Partner Center accepted (202) may take to show (default 300000). */
  readonly changeTimeoutMs?: number;
  /** Set by the first Ctrl-C: start nothing new, let running actions finish. */
  readonly stopping: () => boolean;
  /**
   * Stops the whole run as the first Ctrl-C does (start nothing new, let running actions finish), for an error
   * that is not one customer's: a token request or a journal write that failed, a bug. Default: none.
   */
  readonly halt?: (reason: string, cause?: unknown) => void;
  /** Write-ahead journal: a line before each action starts and after it ends (default: none). */
  readonly journal?: RunJournal;
  /** What earlier runs' journals say (default: nothing). */
  readonly prior?: PriorRuns;
  /**
   * What this run learned of provisioning, 202-accepted changes and consumed-unit lags, to time a later wait's
   * first check (applyPlan gives each run one; absent = nothing is learned, first checks as without it).
   */
  readonly waits?: LearnedWaits;
  /**
   * The read-only GDAP pre-check of one customer at a given time (ISO), for the check just before buying
   * (gdap-guard.ts); absent: not checked (no Graph pre-check in this run).
   */
  readonly licenceAccess?: (customerId: string, now: string) => Promise<LiveGdap | undefined>;
}

/** Values one action hands to later ones within a customer (e.g. the subscription a purchase created). */
export class CustomerRunState {
  readonly subscriptionByPurchase = new Map<string, string>();
  /** Nickname tags a new order was placed with, to find its subscription when the order reply did not name it. */
  readonly purchaseTags = new Map<string, readonly string[]>();
  /** The offer each purchase buys: a line or subscription carrying one of its tags is its own only for that product. */
  readonly purchaseOffer = new Map<string, string>();
  /** When (deps.now(), ms) the reply to a new order of this run came, by purchase action id; unset for orders found, not placed. */
  readonly orderedAt = new Map<string, number>();
}

