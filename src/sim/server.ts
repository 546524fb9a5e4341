import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../core/errors.js';
import { checkCommitFaults, type CommitFaults } from './after-commit.js';
import { AuditLog } from './audit.js';
import { checkBehaviours } from './behaviours/check.js';
import { simBehaviours, type BehaviourOptions } from './behaviours/index.js';
import { compose, type Middleware, type SimContext } from './context.js';
import { buildPipeline } from './pipeline.js';
import { loadScenario } from './scenarios/index.js';
import type { Scenario } from './scenarios/types.js';
import { checkForeignOrders, type ForeignOrder } from './foreign-orders.js';
import type { ReadGaps } from './read-gaps.js';
import { SimState, type AsyncPatch, type PagingStyle, type PriceChange, type ResolvedSimOptions } from './state.js';
import type { SimGdapOptions } from './gdap.js';
import { startAuthority, type SimAuthOptions, type SimAuthority } from './token-server.js';

/** Scenario-independent settings; the behaviours (throttling, faults, reshaped replies) are in BehaviourOptions. */
export interface SimOptions extends BehaviourOptions {
  /** Page size for seek-based collections (customers, users). Default 100. */
  pageSize?: number;
  /** Milliseconds after an order before its new subscriptions become visible (GET sub → 404 code 20000 until then,
   *  and absent from the subscriptions list / subscribedskus). Default 0. */
  provisioningDelayMs?: number;
  /** Country served by GET /v1/offers. Default scenario.country. */
  country?: string;
  /** Faults after commit: drop the connection once a write is applied, someone else taking seats. */
  faults?: CommitFaults;
  /** Per customer id, overriding `provisioningDelayMs` for orders of that customer. */
  provisioningDelayByCustomer?: Record<string, number>;
  /**
   * While an order is pending (its subscription still provisioning), its lines carry no `subscriptionId` and no
   * subscription link, in the order's 201 reply too — the documented order status `pending` does not promise them
   * (partner-center-api.md §4); once provisioned, the order names it.
   */
  pendingLinesUnnamed?: boolean;
  /** How seek-based pages point at the next one (uri with or without `/v1`, token in a header or the body). */
  paging?: PagingStyle;
  /** Replies that leave a client short of facts: omitted SKUs, refused catalogue reads, lagging counts, deleted users. */
  readGaps?: ReadGaps;
  /** Orders someone else placed whose subscriptions are still provisioning (SPEC.md "Foreign orders"). */
  foreignOrders?: ForeignOrder[];
  /** Subscription PATCHes answer 202 Accepted + Location, no body, and take effect `delayMs` later (SPEC.md). */
  asyncPatch?: AsyncPatch;
  /** The current availability id of every new-commerce product (Partner Center reissues them); default `AV0001`. */
  availabilityId?: string;
  /**
   * GDAP (SPEC.md "GDAP"): relationships, access assignments and the signed-in user's groups, served by the
   * Graph routes; when set, licence updates are refused (403 900308) for a customer whose access cannot write licences.
   */
  gdap?: SimGdapOptions;
  /**
   * Customer ids still listed by `GET /v1/customers` whose own requests all answer 403 20002 "no commerce
   * relationship" (a reseller relationship that ended; microsoft/Partner-Smart-Office#12).
   */
  relationshipEnded?: string[];
  /**
   * Customer ids that have not accepted the Microsoft Customer Agreement: their agreements list is empty and an
   * order or cart checkout answers 403 13605 (learn `get-confirmation-of-customer-agreement`, error table).
   */
  customerAgreementMissing?: string[];
  /**
   * Subscription fields (`autoRenewEnabled`, `scheduledActions`, `quantity`, `status`) a PATCH answers 200 for,
   * echoing the subscription, without changing them (microsoft/Partner-Center-PowerShell#115: auto-renew left on).
   */
  ignoredPatchFields?: string[];
  /** Offer ids the price sheet leaves out (price-sheet.ts), to model an offer with no price. */
  priceSheetOmit?: string[];
  /**
   * How far the service's clock runs ahead of the client's, in ms (negative = behind). Every date the simulator
   * decides by — a cancellation window, provisioning, "now" in replies — uses its own clock, as Partner Center's
   * does: a deadline the client thinks open may already have passed. Default 0.
   */
  clockSkewMs?: number;
  /** The real new-commerce sheet: legacy offers (every offer with a GUID id) are left out (SPEC.md "Price sheet"). */
  priceSheetNewCommerceOnly?: boolean;
  /** Price changes within the sheet's month: rows up to `from` keep the old price, rows from `from` have the new one. */
  priceSheetChanges?: PriceChange[];
  /**
   * New-commerce subscriptions renew on the simulator's clock at `commitmentEndDate`, taking their scheduled
   * next-term instructions (renewals.ts; SPEC.md "Renewals"). Off by default: seeded terms often ended long ago.
   */
  renewals?: boolean;
}

export interface StartedSim {
  /** e.g. http://127.0.0.1:54321 (client appends /v1/...). */
  url: string;
  /** Live reference, grows as requests come in. */
  audit: AuditLog;
  /** Live reference to the mutable state. */
  state: SimState;
  /** The token endpoint (HTTPS on loopback, self-signed certificate): authority URL, CA, issued tokens. */
  auth: SimAuthority;
  close(): Promise<void>;
}

function resolveOptions(o: SimOptions | undefined, scenario: Scenario): ResolvedSimOptions {
  const pageSize = o?.pageSize ?? 100;
  const provisioningDelayMs = o?.provisioningDelayMs ?? 0;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new UserError('sim.options', `Simulator pageSize must be a whole number ≥ 1 (got ${pageSize}).`);
  if (!Number.isFinite(provisioningDelayMs) || provisioningDelayMs < 0) {
    throw new UserError('sim.options', `Simulator provisioningDelayMs must be ≥ 0 (got ${provisioningDelayMs}).`);
  }
  const byCustomer: Record<string, number> = {};
  for (const [id, ms] of Object.entries(o?.provisioningDelayByCustomer ?? {})) {
    if (!Number.isFinite(ms) || ms < 0) throw new UserError('sim.options', `Simulator provisioningDelayByCustomer.${id} must be ≥ 0 (got ${ms}).`);
    byCustomer[id.toLowerCase()] = ms;
  }
  checkBehaviours(o ?? {});
  const asyncPatch = o?.asyncPatch;
  if (asyncPatch && !(Number.isFinite(asyncPatch.delayMs) && asyncPatch.delayMs >= 0)) {
    throw new UserError('sim.options', `Simulator asyncPatch.delayMs must be ≥ 0 (got ${asyncPatch.delayMs}).`);
  }
  return {
    pageSize,
    provisioningDelayMs,
    country: o?.country ?? scenario.country,
    provisioningDelayByCustomer: byCustomer,
    ...(o?.paging && { paging: { ...o.paging } }),
    ...(o?.readGaps && { readGaps: structuredClone(o.readGaps) }),
    faults: checkCommitFaults(o?.faults),
    foreignOrders: checkForeignOrders(o?.foreignOrders, (cid, oid) =>
      scenario.customers.some((c) => c.id.toLowerCase() === cid.toLowerCase()) && scenario.offers.some((x) => x.id.toLowerCase() === oid.toLowerCase()),
    ),
    ...(asyncPatch && { asyncPatch: { delayMs: asyncPatch.delayMs } }),
    ...(o?.availabilityId && { availabilityId: o.availabilityId }),
    ...(o?.priceSheetOmit && { priceSheetOmit: [...o.priceSheetOmit] }),
    ...(o?.gdap && { gdap: structuredClone(o.gdap) }),
    ...(o?.relationshipEnded && { relationshipEnded: [...o.relationshipEnded] }),
    ...(o?.customerAgreementMissing && { customerAgreementMissing: [...o.customerAgreementMissing] }),
    ...(o?.ignoredPatchFields && { ignoredPatchFields: [...o.ignoredPatchFields] }),
    ...(o?.clockSkewMs !== undefined && { clockSkewMs: checkedSkew(o.clockSkewMs) }),
    ...(o?.priceSheetNewCommerceOnly && { priceSheetNewCommerceOnly: true }),
    ...(o?.renewals === true && { renewals: true }),
    ...(o?.pendingLinesUnnamed === true && { pendingLinesUnnamed: true }),
    ...(o?.priceSheetChanges && { priceSheetChanges: o.priceSheetChanges.map((c) => ({ ...c })) }),
  };
}

function checkedSkew(ms: number): number {
  if (!Number.isFinite(ms)) throw new UserError('sim.options', `Simulator clockSkewMs must be a number of milliseconds (got ${ms}).`);
  return ms;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function write(ctx: SimContext, res: ServerResponse): void {
  if (ctx.detached || res.writableEnded || res.destroyed) return;
  const { status, body, raw, headers } = ctx.reply;
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (payload === undefined) {
    res.writeHead(status).end();
    return;
  }
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.writeHead(status).end(payload);
}

/** Builds the per-request context and runs the pipeline. */
function handler(state: SimState, audit: AuditLog, steps: Middleware[]) {
  const run = compose(steps);
  return (req: IncomingMessage, res: ServerResponse): void => {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawQuery = q < 0 ? '' : target.slice(q + 1);
    const first = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const ctx: SimContext = {
      req,
      res,
      method: (req.method ?? 'GET').toUpperCase(),
      path: q < 0 ? target : target.slice(0, q),
      rawQuery,
      query: new URLSearchParams(rawQuery),
      // Partner Center's MS-RequestId, or Graph's client-request-id (the GDAP routes)
      requestId: first('ms-requestid') ?? first('client-request-id'),
      correlationId: first('ms-correlationid'),
      state,
      audit,
      params: {},
      reply: { status: 200, headers: {} },
      detached: false,
    };
    run(ctx).then(
      () => write(ctx, res),
      () => {
        ctx.reply = { status: 500, body: { code: 800003, description: 'Simulator pipeline failed.', data: [], source: 'PartnerFD' }, headers: ctx.reply.headers };
        write(ctx, res);
      },
    );
  };
}

/** Starts the simulator on a real loopback socket (port 0 = any free port). */
export async function startSim(opts: {
  scenario: Scenario | string;
  port?: number;
  host?: string;
  options?: SimOptions;
  /** App registration and refresh token the simulated token endpoint accepts. */
  auth?: SimAuthOptions;
}): Promise<StartedSim> {
  const scenario = typeof opts.scenario === 'string' ? loadScenario(opts.scenario) : opts.scenario;
  const state = new SimState(scenario, resolveOptions(opts.options, scenario));
  const audit = new AuditLog();
  const server = createServer(handler(state, audit, buildPipeline(simBehaviours(opts.options ?? {}))));
  const host = opts.host ?? '127.0.0.1';
  // The token endpoint always stays on loopback, whatever interface the API listens on.
  const auth = await startAuthority(state, host === '::1' || host === '::' ? '::1' : '127.0.0.1', opts.auth);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await auth.close();
    throw err;
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.all([
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
      auth.close(),
    ]).then(() => undefined);
    return closing;
  };
  return { url: `http://${urlHost(host)}:${port}`, audit, state, auth, close };
}
