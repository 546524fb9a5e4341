import { deterministicUuid } from '../core/hash.js';
import type { CommitFaults, LaggedChange, ReadGaps, SimGdapOptions } from './options.js';
import type { ForeignOrder } from './foreign-orders.js';
import { addOneYear, isoSeconds, sameId, type SimCustomer, type SimSubscription, type SimUser, type StoredReply } from './model.js';
import { checkScenario } from './scenarios/validate.js';
import type { Scenario, ScenarioCustomer, ScenarioOffer, ScenarioSku, ScenarioUser } from './scenarios/types.js';

export interface ResolvedSimOptions {
  pageSize: number;
  provisioningDelayMs: number;
  country: string;
  /** Faults after commit (after-commit.ts); none by default. */
  faults?: CommitFaults;
  /** Per lower-case customer id, overriding `provisioningDelayMs`. */
  provisioningDelayByCustomer?: Readonly<Record<string, number>>;
  /** How seek-based pages point at the next one (default: `/v1` uris with the token header). */
  paging?: PagingStyle;
  /** Replies that leave the client short of facts (read-gaps.ts); none by default. */
  readGaps?: ReadGaps;
  /** How far the service's clock runs ahead of the client's (ms; negative = behind). Default 0. */
  clockSkewMs?: number;
  /** Orders someone else placed, still provisioning (foreign-orders.ts); none by default. */
  foreignOrders?: readonly ForeignOrder[];
  /** Subscription PATCHes that change something answer 202 + Location and take effect `delayMs` later. */
  asyncPatch?: AsyncPatch;
  /** The availability id new-commerce products are sold under now (they are reissued); default `AV0001`. */
  availabilityId?: string;
  /** Subscription fields a PATCH answers 200 for but does not change (`autoRenewEnabled`, `scheduledActions`, `quantity`, `status`). */
  ignoredPatchFields?: readonly string[];
  /** Customer ids that have not accepted the Microsoft Customer Agreement (agreements.ts): orders get 403 13605. */
  customerAgreementMissing?: readonly string[];
  /** Customer ids still listed by GET /v1/customers whose every own request answers 403 20002 (relationship gone). */
  relationshipEnded?: readonly string[];
  /** GDAP relationships and the signed-in user's groups (gdap.ts); licence writes are checked only when set. */
  gdap?: SimGdapOptions;
  /** Offer ids left out of the price sheet (a price the partner cannot find). */
  priceSheetOmit?: readonly string[];
  /** Leave legacy offers out of the price sheet, as the real new-commerce sheet does. */
  priceSheetNewCommerceOnly?: boolean;
  /** Price changes within the sheet's month (price-sheet.ts). */
  priceSheetChanges?: readonly PriceChange[];
  /** New-commerce subscriptions renew at their term end on the simulator's clock (renewals.ts). */
  renewals?: boolean;
  /** While an order is pending, its lines name no subscription yet (SPEC.md "Provisioning delay"). */
  pendingLinesUnnamed?: boolean;
}

/** A price that changes at `from` (ISO): the sheet then has rows for the old price until just before it and the new one from it. */
export interface PriceChange {
  readonly offerId: string;
  /** New partner price of one seat per month, USD. */
  readonly unitPrice: number;
  readonly from: string;
}

/** Documented slow path of a subscription PATCH (API reference §5): accepted now, visible later. */
export interface AsyncPatch {
  /** How long after the 202 the change shows (GET and subscribedskus still show the old values until then). */
  delayMs: number;
}

/** The shape of `links.next` on a seek-based page that is not the last. */
export interface PagingStyle {
  /** Link uris start with `/v1` (default true; Partner Center sends both forms). */
  v1Prefix?: boolean;
  /**
   * `with-token-header` (default): uri + `MS-ContinuationToken` header; `without-headers`: uri only, the token
   * is in the body's `continuationToken`; `none`: no `links.next`, only `continuationToken`.
   */
  nextLink?: 'with-token-header' | 'without-headers' | 'none';
}

const DEFAULT_CREATION = '2020-01-01T00:00:00Z';

/**
 * Everything the simulator knows, seeded from a scenario and mutated by requests. Handlers change it
 * synchronously, so each request's change is atomic. `reset()` restores the seed in place (references stay live).
 */
export class SimState {
  readonly scenario: Scenario;
  readonly options: ResolvedSimOptions;
  /** Customers by lower-case id, in scenario order. */
  readonly customers = new Map<string, SimCustomer>();
  /** Offers by lower-case id. */
  readonly offers = new Map<string, ScenarioOffer>();
  /** Licence SKUs by lower-case id. */
  readonly skus = new Map<string, ScenarioSku>();
  /** Stored order replies by `customerId|MS-RequestId` (lower case). */
  readonly replays = new Map<string, StoredReply>();
  /** Licence changes not yet visible in consumedUnits, by lower-case customer id (`readGaps.consumedLagReads`). */
  readonly lagged = new Map<string, LaggedChange[]>();

  constructor(scenario: Scenario, options: ResolvedSimOptions) {
    checkScenario(scenario);
    this.scenario = structuredClone(scenario);
    this.options = options;
    this.reset();
  }

  /** The simulator's clock (epoch ms): the machine's, shifted by `clockSkewMs`. */
  now(): number {
    return Date.now() + (this.options.clockSkewMs ?? 0);
  }

  reset(): void {
    this.customers.clear();
    this.offers.clear();
    this.skus.clear();
    this.replays.clear();
    this.lagged.clear();
    for (const o of this.scenario.offers) this.offers.set(o.id.toLowerCase(), { ...o });
    for (const s of this.scenario.skus) this.skus.set(s.skuId.toLowerCase(), { ...s });
    for (const c of this.scenario.customers) this.customers.set(c.id.toLowerCase(), this.#seedCustomer(c));
    seedForeignOrders(this, this.options.foreignOrders ?? []);
  }

  customer(id: string): SimCustomer | undefined {
    return this.customers.get(id.toLowerCase());
  }

  offer(id: string): ScenarioOffer | undefined {
    return this.offers.get(id.toLowerCase());
  }

  /**
   * Changes an offer's price (USD per seat per month; `undefined` takes it off the price sheet), as a new month's
   * price sheet does: the price sheet served from now on shows it. Orders are not priced by the simulator.
   */
  setUnitPrice(offerId: string, unitPrice: number | undefined): void {
    const o = this.offer(offerId);
    if (!o) throw new Error(`no offer ${offerId} in the simulator's catalogue`);
    this.offers.set(offerId.toLowerCase(), { ...o, unitPrice });
  }

  sku(id: string): ScenarioSku | undefined {
    return this.skus.get(id.toLowerCase());
  }

  /** The availability id new-commerce products are sold under now (option `availabilityId`, default `AV0001`). */
  availabilityId(): string {
    return this.options.availabilityId ?? 'AV0001';
  }

  /** Licence SKU id granted by a subscription (its offer's product id). */
  skuOf(sub: SimSubscription): string {
    return this.offer(sub.offerId)?.productId ?? sub.offerId;
  }

  /** How long subscriptions ordered for this customer stay invisible. */
  provisioningDelayFor(customerId: string): number {
    return this.options.provisioningDelayByCustomer?.[customerId.toLowerCase()] ?? this.options.provisioningDelayMs;
  }

  isVisible(sub: SimSubscription): boolean {
    return sub.visibleFrom <= this.now();
  }

  /** Subscriptions a client can see now (provisioned ones). */
  visibleSubscriptions(c: SimCustomer): SimSubscription[] {
    return c.subscriptions.filter((s) => this.isVisible(s));
  }

  user(c: SimCustomer, id: string): SimUser | undefined {
    return c.users.find((u) => sameId(u.id, id));
  }

  /** JSON-ready copy of the mutable state (GET /_sim/state). */
  snapshot(): unknown {
    return {
      scenario: this.scenario.name,
      options: this.options,
      now: this.now(),
      customers: [...this.customers.values()].map((c) => structuredClone(c)),
    };
  }

  #seedCustomer(c: ScenarioCustomer): SimCustomer {
    return {
      id: c.id,
      companyName: c.companyName,
      domain: c.domain,
      subscriptions: c.subscriptions.map((s) => {
        const creationDate = s.creationDate ?? DEFAULT_CREATION;
        return {
          id: s.id,
          offerId: this.offer(s.offerId)?.id ?? s.offerId,
          quantity: s.quantity,
          status: s.status ?? 'active',
          autoRenewEnabled: s.autoRenewEnabled ?? true,
          friendlyName: s.friendlyName ?? this.offer(s.offerId)?.name ?? s.offerId,
          creationDate,
          effectiveStartDate: creationDate,
          commitmentEndDate: s.commitmentEndDate ?? addOneYear(creationDate),
          billingCycle: s.billingCycle ?? 'monthly',
          termDuration: s.termDuration ?? 'P1Y',
          cancellationAllowedUntilDate: s.cancellationAllowedUntilDate ?? null,
          cancelAtTermEnd: false,
          billingStoppedAt: null,
          orderId: null,
          version: 1,
          visibleFrom: 0,
          ...(s.offerId.includes(':') && { availabilityId: this.availabilityId() }),
        };
      }),
      users: c.users.map((u) => seedUser(c.id, u, this.options.readGaps?.deletedUsers ?? [])),
      orders: [],
    };
  }
}

function seedUser(customerId: string, u: ScenarioUser, deletedUpns: readonly string[]): SimUser {
  const local = u.upn.split('@')[0] ?? u.upn;
  const displayName = u.displayName ?? local.charAt(0).toUpperCase() + local.slice(1);
  const [firstName = '', ...rest] = displayName.split(/\s+/);
  return {
    id: u.id ?? deterministicUuid(`sim-user:${customerId.toLowerCase()}:${u.upn.toLowerCase()}`),
    upn: u.upn,
    displayName,
    firstName,
    lastName: rest.join(' '),
    usageLocation: u.usageLocation ?? null,
    ...(deletedUpns.some((d) => d.toLowerCase() === u.upn.toLowerCase()) && { deleted: true }),
    licenses: [...new Set([...u.licenses, ...(u.groupLicenses ?? [])])],
    groupLicenses: [...(u.groupLicenses ?? [])],
    disabledPlans: Object.fromEntries(Object.entries(u.disabledPlans ?? {}).map(([sku, ids]) => [sku.toLowerCase(), ids.map((id) => id.toLowerCase())])),
  };
}

const HOUR = 3_600_000;

/** Adds each foreign order and its (not yet visible) subscription to its customer; called on every reset. */
function seedForeignOrders(state: SimState, list: readonly ForeignOrder[]): void {
  const now = state.now();
  list.forEach((o, i) => {
    const c: SimCustomer | undefined = state.customer(o.customerId);
    const offer = state.offer(o.offerId);
    if (!c || !offer) return;
    const orderId = deterministicUuid(`sim-foreign-order:${c.id.toLowerCase()}:${i}`);
    const subscriptionId = deterministicUuid(`sim-foreign-subscription:${c.id.toLowerCase()}:${i}`).toUpperCase();
    const creationDate = isoSeconds(now);
    const friendlyName = o.friendlyName ?? offer.name;
    const nce = offer.id.includes(':') ? { availabilityId: state.availabilityId() } : {};
    c.subscriptions.push({
      id: subscriptionId,
      offerId: offer.id,
      quantity: o.quantity,
      status: 'active',
      autoRenewEnabled: true,
      friendlyName,
      creationDate,
      effectiveStartDate: creationDate,
      commitmentEndDate: addOneYear(creationDate),
      billingCycle: 'monthly',
      termDuration: 'P1Y',
      cancellationAllowedUntilDate: null,
      cancelAtTermEnd: false,
      billingStoppedAt: null,
      orderId,
      version: 1,
      visibleFrom: now + (o.provisioningDelayMs ?? HOUR),
      ...nce,
    });
    c.orders.push({ id: orderId, billingCycle: 'monthly', creationDate, lineItems: [{ lineItemNumber: 0, offerId: offer.id, quantity: o.quantity, friendlyName, subscriptionId, ...nce }] });
  });
}
