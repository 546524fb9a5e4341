import pLimit from 'p-limit';
import { findRetired } from '../catalog/index.js';
import { AppUserRequiredError, credentialFailure } from '../partner-center/auth-errors.js';
import { ApiError } from '../partner-center/errors.js';
import { toSku, toSubscription, type LiveReader } from '../live/read.js';
import type { LiveSubscription } from '../live/types.js';
import type { WireCustomer } from '../partner-center/wire.js';
import type { RenewalFacts } from './types.js';
import type { WasteFacts } from './waste.js';

/** What the report needs of one customer. */
export interface CustomerFacts {
  readonly id: string;
  readonly companyName: string;
  readonly domain?: string;
  /** Its subscriptions whose offer name is a retired offer's, in any status, with their licence SKU. */
  readonly retired: readonly LiveSubscription[];
  /** `consumedUnits` by SKU id (lower case); read only for customers with a retired subscription in use. */
  readonly consumed?: Readonly<Record<string, number>>;
  /** Why `consumed` could not be read, when it could not. */
  readonly consumedProblem?: string;
  /** Why the customer's subscriptions could not be read (nothing is known about it then), when they could not. */
  readonly readProblem?: string;
}

/** Statuses under which a retired subscription no longer needs migrating. */
export const MIGRATED_STATUSES: ReadonlySet<string> = new Set(['suspended', 'deleted']);

/**
 * Every customer (all pages), each one's subscriptions, and — only where a retired subscription is still in
 * use — its subscribed SKUs. Read-only; customers are read `concurrency` at a time.
 */
export async function readReportFacts(reader: LiveReader, concurrency: number): Promise<CustomerFacts[]> {
  const customers = await reader.client.listCustomers();
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(customers.map((c) => limit(() => readOne(reader, c))));
}

async function readOne(reader: LiveReader, c: WireCustomer): Promise<CustomerFacts> {
  const { client, catalog } = reader;
  const base = { id: c.id, companyName: c.companyProfile?.companyName ?? c.id, domain: c.companyProfile?.domain };
  let wire;
  try {
    wire = await client.listSubscriptions(c.id);
  } catch (err) {
    // One customer that cannot be read is named as such; the others are still reported (and the run exits 1).
    if (!(err instanceof ApiError) || credentialFailure(err)) throw err;
    return { ...base, retired: [], readProblem: `its subscriptions could not be read: ${err.userMessage}` };
  }
  const retired = await Promise.all(wire.filter((s) => s.offerName && findRetired(catalog, s.offerName)).map((s) => toSubscription(reader, s, c.id)));
  if (!retired.some((s) => !MIGRATED_STATUSES.has(s.status))) return { ...base, retired };
  try {
    const skus = (await client.listSubscribedSkus(c.id)).map(toSku).filter((s) => s !== undefined);
    return { ...base, retired, consumed: Object.fromEntries(skus.map((s) => [s.skuId, s.consumedUnits])) };
  } catch (err) {
    if (err instanceof AppUserRequiredError) {
      return { ...base, retired, consumedProblem: 'assigned users need App+User credentials (PARTNER_CENTER_REFRESH_TOKEN); only app-only ones are configured' };
    }
    if (!(err instanceof ApiError)) throw err;
    return { ...base, retired, consumedProblem: `assigned users could not be read: ${err.userMessage}` };
  }
}

/**
 * Every customer (all pages) with every subscription, for the renewal report. Read-only. A customer whose
 * subscriptions cannot be read (e.g. 403 20002: the relationship ended) is named with why (`readProblem`), and
 * the others are still read; a refused credential still ends the run (it would fail every customer).
 */
export async function readRenewalFacts(reader: LiveReader, concurrency: number): Promise<RenewalFacts[]> {
  const customers = await reader.client.listCustomers();
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(
    customers.map((c) =>
      limit(async () => {
        const base = { id: c.id, companyName: c.companyProfile?.companyName ?? c.id };
        try {
          return { ...base, subscriptions: await Promise.all((await reader.client.listSubscriptions(c.id)).map((s) => toSubscription(reader, s, c.id))) };
        } catch (err) {
          if (!(err instanceof ApiError) || credentialFailure(err)) throw err;
          return { ...base, subscriptions: [], readProblem: `its subscriptions could not be read: ${err.userMessage}` };
        }
      }),
    ),
  );
}

/**
 * Every customer (all pages) with every subscription (and its licence SKU) and the consumed units per SKU, for
 * `report --waste`. Read-only. A customer that cannot be read is named with why; a refused credential ends the run.
 */
export async function readWasteFacts(reader: LiveReader, concurrency: number): Promise<WasteFacts[]> {
  const customers = await reader.client.listCustomers();
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(
    customers.map((c) =>
      limit(async (): Promise<WasteFacts> => {
        const base = { id: c.id, companyName: c.companyProfile?.companyName ?? c.id };
        try {
          const wire = await reader.client.listSubscriptions(c.id);
          const subscriptions = await Promise.all(wire.map((s) => toSubscription(reader, s, c.id)));
          if (!subscriptions.some((s) => s.status !== 'deleted')) return { ...base, subscriptions, consumed: {} };
          const skus = (await reader.client.listSubscribedSkus(c.id)).map(toSku).filter((s) => s !== undefined);
          return { ...base, subscriptions, consumed: Object.fromEntries(skus.map((s) => [s.skuId, s.consumedUnits])) };
        } catch (err) {
          if (err instanceof AppUserRequiredError) return { ...base, subscriptions: [], readProblem: 'assigned users need App+User credentials (PARTNER_CENTER_REFRESH_TOKEN); only app-only ones are configured' };
          if (!(err instanceof ApiError) || credentialFailure(err)) throw err;
          return { ...base, subscriptions: [], readProblem: `its subscriptions or licences could not be read: ${err.userMessage}` };
        }
      }),
    ),
  );
}
