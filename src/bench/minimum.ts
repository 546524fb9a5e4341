import type { Scenario, ScenarioCustomer } from '../sim/index.js';

/** Retired licence SKUs of a customer's subscriptions, and the retired offer ids seen (added to `seen`). */
function retiredSkus(scenario: Scenario, c: ScenarioCustomer, seen?: Set<string>): Set<string> {
  return new Set(
    c.subscriptions
      .map((s) => scenario.offers.find((o) => o.id.toLowerCase() === s.offerId.toLowerCase()))
      .filter((o) => o && !o.isAvailableForPurchase)
      .map((o) => {
        seen?.add(o!.id.toLowerCase());
        return o!.productId.toLowerCase();
      }),
  );
}

const holdersOf = (scenario: Scenario, c: ScenarioCustomer): number => {
  const skus = retiredSkus(scenario, c);
  return c.users.filter((u) => u.licenses.some((l) => skus.has(l.toLowerCase()))).length;
};

/**
 * The fewest Partner Center calls a safe migration of `scenario` can make: the design card's model
 * (`designCardMinimumCalls`) plus two calls per customer that model misses and a safe migration must make —
 * - the orders list in the read: a foreign order still pending for the same product must block in the plan,
 *   or the apply would buy twice (issue 10; partner-center-api.md "Additions and corrections (2026-11)"); and
 * - the GET of the old subscription just before its suspend PATCH: the PATCH body is the subscription resource
 *   as read just before, with only the status changed (partner-center-api.md §5).
 */
export function minimumCalls(scenario: Scenario, usersPageSize: number): number {
  return designCardMinimumCalls(scenario, usersPageSize) + 2 * scenario.customers.length;
}

/**
 * The fewest calls by the design's performance model (DESIGN.md), kept as a second figure: per run the offer
 * catalogue (1) and one look-up per retired offer id (not in the catalogue list); per customer 3 reads
 * (customer, subscriptions, subscribed SKUs) + the users pages + one licence read per holder, then 1 order,
 * 2 calls for one provisioning check (subscription, seats), one licence update per holder, and the suspend:
 * the consumed-units guard read and the PATCH.
 */
export function designCardMinimumCalls(scenario: Scenario, usersPageSize: number): number {
  const retiredOfferIds = new Set<string>();
  let total = 1;
  for (const c of scenario.customers) {
    retiredSkus(scenario, c, retiredOfferIds);
    const holders = holdersOf(scenario, c);
    const pages = Math.max(1, Math.ceil(c.users.length / usersPageSize));
    total += 3 + pages + holders + 1 + 2 + holders + 2;
  }
  return total + retiredOfferIds.size;
}

export interface SerialPathOptions {
  /** One call's latency, in the clock the result is wanted in. */
  readonly latencyMs: number;
  /** How long a purchase takes to provision, same clock. */
  readonly provisioningMs: number;
  /** Licence reads and updates of one customer at once (pcsync.yaml `userConcurrency`). */
  readonly userConcurrency: number;
  readonly usersPageSize: number;
}

/**
 * The longest time any one customer needs on its own, whatever the rate limit: its calls that must follow one
 * another — the reads (customer, subscriptions, orders, subscribed SKUs, the users pages one after another, the
 * licence reads `userConcurrency` at a time), the order, provisioning and its check, the licence moves
 * `userConcurrency` at a time, the suspend guard, the GET of the subscription and its PATCH (the PATCH body is
 * the resource read just before, partner-center-api.md §5) — each taking `latencyMs`.
 */
export function longestSerialPathMs(scenario: Scenario, o: SerialPathOptions): number {
  let longest = 0;
  for (const c of scenario.customers) {
    const waves = Math.ceil(holdersOf(scenario, c) / o.userConcurrency);
    const pages = Math.max(1, Math.ceil(c.users.length / o.usersPageSize));
    const calls = 4 + pages + waves + 1 + 2 + waves + 3;
    longest = Math.max(longest, calls * o.latencyMs + o.provisioningMs);
  }
  return longest;
}
