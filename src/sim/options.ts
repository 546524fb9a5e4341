/**
 * The simulator's behaviour options that SimState holds (state.ts): faults after commit (after-commit.ts), read
 * gaps (read-gaps.ts) and GDAP (gdap.ts). Plain types, below every file that reads them, so that state.ts
 * need not import the behaviours that import it.
 */

/** Write routes a fault can name, by the client's operation names. */
export type WriteRoute = 'order.create' | 'cart.create' | 'cart.checkout' | 'licenses.update' | 'subscription.patch';

/** The write is applied, then the connection is destroyed without a reply: the client cannot tell what happened. */
export interface DropAfterCommitRule {
  route: WriteRoute;
  /** Drop at most this many matching writes (default: no limit). */
  times?: number;
  /** Drop each matching write with this probability (default 1), drawn from a PRNG seeded with `seed` (default 1). */
  probability?: number;
  seed?: number;
  /** Only writes naming this customer. */
  customerId?: string;
  /** Hold the connection open this long before dropping it, like a reply that never comes before a timeout (default 0). */
  delayMs?: number;
  /** Instead of dropping the connection, answer this 5xx (ApiFault 800003): "failed" although the write happened. */
  status?: 500 | 502 | 503 | 504;
}

/**
 * Someone else assigns seats: right after the `after`-th licence change at the customer, `users` get `skuId` while
 * seats are free. `after: 0`: as soon as a subscription of `skuId` created by an order is provisioned (on the
 * first request naming the customer that sees it visible, before that request is handled) — another apply, or an
 * admin, using the seats a purchase brought while this one is still waiting for them.
 */
export interface SeatsTakenRule {
  customerId: string;
  skuId: string;
  after: number;
  /** User principal names, in order. */
  users: string[];
}

/** Faults that act once a write has been applied. */
export interface CommitFaults {
  dropAfterCommit?: DropAfterCommitRule | DropAfterCommitRule[];
  seatsTaken?: SeatsTakenRule;
}

/**
 * Replies where the real Partner Center leaves pcsync short of facts (see SPEC.md, "Read gaps"). All off by
 * default; each reproduces a documented or reported behaviour so tests can show pcsync treats the gap as unknown.
 */
export interface ReadGaps {
  /** SKU ids GET subscribedskus leaves out of its reply (a partial reply; the SKU is still granted and held). */
  omitSkus?: string[];
  /** GET /v1/offers for a country other than the served one: `empty` (default, an empty list) or `refuse` (403 2030). */
  otherCountry?: 'empty' | 'refuse';
  /** GET /v1/offers/{id} of a retired offer: `serve` (default) or `refuse` (403 2091). */
  retiredOfferById?: 'serve' | 'refuse';
  /** GET …/subscriptions/{sid}/provisioningstatus: `serve` (default) or `refuse` (403 900150). */
  provisioningStatus?: 'serve' | 'refuse';
  /** A licence change shows in consumedUnits only from the (n+1)-th GET subscribedskus of that customer after it. */
  consumedLagReads?: number;
  /** UPNs of users deleted in the customer's directory who still hold their licences (counted, never listed). */
  deletedUsers?: string[];
}

/** One licence change not yet visible in consumedUnits. */
export interface LaggedChange {
  readonly before: readonly string[];
  readonly after: readonly string[];
  reads: number;
}

/**
 * GDAP, as the simulator models it (SPEC.md "GDAP"): per customer one relationship with its access assignments
 * (security group → roles), and the groups of the signed-in partner user. Graph documents the shapes
 * (graph `resources/delegatedadminrelationship.md`, `resources/delegatedadminaccessassignment.md`);
 * partner-center-2026-12.md §1 says which roles `licenseupdates` needs and which code refuses it.
 */
export interface SimGdapOptions {
  /** Groups the signed-in partner user is (transitively) a member of. Default `[DEFAULT_GDAP_GROUP]`. */
  userGroups?: string[];
  /** False: `GET /v1.0/me/transitiveMemberOf` answers 403 (no permission to read memberships). Default true. */
  membershipReadable?: boolean;
  /** False: the relationships list answers 403 (no `DelegatedAdminRelationship.Read.All`). Default true. */
  relationshipsReadable?: boolean;
  /** Per customer id, its relationship; `null` = none. Customers not named get the default one. */
  customers?: Record<string, SimGdapRelationship | null>;
  /** The code licence writes are refused with: 900308 (default, [2nd]) or 900150 (documented). */
  refusalCode?: 900308 | 900150;
}

export interface SimGdapRelationship {
  /** Default `active`. */
  status?: string;
  /** Default `2099-01-01T00:00:00Z`; `null`: the relationship is listed without an `endDateTime` (no end known). */
  endDateTime?: string | null;
  /** Role template ids the relationship grants at most (default: those of the assignments). */
  roles?: string[];
  assignments: SimGdapAssignment[];
}

export interface SimGdapAssignment {
  /** Security group id (the access container). */
  group: string;
  /** Role template ids. */
  roles: string[];
  /** Default `active`. */
  status?: string;
}
