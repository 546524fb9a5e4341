import type { WireCustomer } from '../partner-center/wire.js';
import { ApiError } from '../partner-center/errors.js';
import { toSubscription, type LiveReader } from './read.js';
import { toSkus } from './sku.js';
import type { LiveSku, LiveSubscription } from './types.js';

/** What `pcsync undo` read for one customer (plan/undo.ts plans from it). `licences` by user id; absent: not read. */
export interface UndoLive {
  readonly found: boolean;
  readonly displayName?: string;
  readonly subscriptions: readonly LiveSubscription[];
  readonly skus: readonly LiveSku[];
  readonly licences: Readonly<Record<string, readonly string[] | undefined>>;
  /** Why this customer could not be read (the partner-readable reason). */
  readonly readError?: string;
}

/**
 * Reads what undoing a customer's purchases depends on, read-only: the customer (`GET /v1/customers/{id}`), its
 * subscriptions (status, nickname, `cancellationAllowedUntilDate`), subscribed SKUs (free and consumed seats) and
 * the licences of the users the applied plan moved (`GET …/users/{id}/licenses`). A customer Partner Center does
 * not know is `found: false`; any other failure after the client's retries is `readError` in its words.
 */
export async function readUndoLive(reader: LiveReader, customerId: string, userIds: readonly string[]): Promise<UndoLive> {
  const { client } = reader;
  let customer: WireCustomer;
  try {
    customer = await client.getCustomer(customerId);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.code === 20002)) return { found: false, subscriptions: [], skus: [], licences: {} };
    if (err instanceof ApiError) return { found: true, subscriptions: [], skus: [], licences: {}, readError: err.userMessage };
    throw err;
  }
  try {
    const [wire, skus] = await Promise.all([client.listSubscriptions(customerId), client.listSubscribedSkus(customerId)]);
    const subscriptions = await Promise.all(wire.map((s) => toSubscription(reader, s, customerId)));
    const licences: Record<string, readonly string[]> = {};
    for (const id of [...new Set(userIds)]) {
      const held = await client.getUserLicenses(customerId, id);
      licences[id] = held.map((l) => l.productSku?.id?.toLowerCase()).filter((x): x is string => !!x).sort();
    }
    const name = customer.companyProfile?.companyName ?? customer.companyProfile?.domain;
    return { found: true, ...(name && { displayName: name }), subscriptions, skus: toSkus(skus), licences };
  } catch (err) {
    if (err instanceof ApiError) return { found: true, subscriptions: [], skus: [], licences: {}, readError: err.userMessage };
    throw err;
  }
}
