import type { Middleware } from '../context.js';
import type { ReplyOptions } from './types.js';

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const SUBSCRIPTION_PATH = /^\/v1\/customers\/[^/]+\/subscriptions\/[^/]+\/?$/i;

/**
 * Reshapes JSON replies the way real Partner Center replies differ from the documented shape: values pcsync
 * does not know, `+00:00` dates and extra fields; PascalCase property names (everywhere, or only in the
 * subscription PATCH reply, as the real suspend reply); a UTF-8 BOM. Runs after the request was processed,
 * on a copy: the simulator's state is never touched.
 */
export function reshapeReplies(opts: ReplyOptions): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.detached || ctx.reply.body === undefined) return;
    if (opts.emptyWriteBodies && ctx.method !== 'GET' && ctx.reply.status < 300) {
      ctx.reply.body = undefined;
      return;
    }
    let body = rewriteValues(structuredClone(ctx.reply.body), opts);
    if (opts.pendingOrders && ctx.method === 'POST') body = pendingOrder(body);
    const pascal = opts.pascalCase === 'all' || (opts.pascalCase === 'patch' && ctx.method === 'PATCH' && SUBSCRIPTION_PATH.test(ctx.path));
    if (pascal) body = pascalKeys(body);
    ctx.reply.body = body;
    if (opts.bom) ctx.reply.raw = `\uFEFF${JSON.stringify(body)}`;
  };
}

function rewriteValues(value: unknown, opts: ReplyOptions): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteValues(v, opts));
  if (typeof value === 'string') return opts.offsetDates && ISO_Z.test(value) ? value.replace(/Z$/, '+00:00') : value;
  if (value === null || typeof value !== 'object') return value;
  const rec = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) out[k] = rewriteValues(v, opts);
  const type = (rec.attributes as { objectType?: unknown } | undefined)?.objectType;
  if (typeof type !== 'string' || type === 'Collection') return out;
  if (type === 'Subscription') {
    const status = Object.entries(opts.subscriptionStatus ?? {}).find(([id]) => id.toLowerCase() === String(rec.id).toLowerCase())?.[1];
    if (status !== undefined) out.status = status;
    if (opts.billingCycle !== undefined) out.billingCycle = opts.billingCycle;
  }
  if (type === 'CustomerUser' && opts.userState !== undefined) out.state = opts.userState;
  if (type === 'LicenseUpdate' && opts.licenseWarnings) out.licenseWarnings = structuredClone(opts.licenseWarnings);

  if (type === 'Customer' && opts.relationship !== undefined) out.relationshipToPartner = opts.relationship;
  return { ...out, ...opts.extraFields };
}

/** A new order's reply as "pending": its line items do not name their subscriptions yet. */
function pendingOrder(body: unknown): unknown {
  const order = body as { attributes?: { objectType?: unknown }; lineItems?: unknown };
  if (order?.attributes?.objectType !== 'Order' || !Array.isArray(order.lineItems)) return body;
  const lineItems = order.lineItems.map((l: Record<string, unknown>) => {
    const { subscriptionId: _id, links: _links, ...rest } = l;
    return rest;
  });
  return { ...order, status: 'pending', lineItems };
}

function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.charAt(0).toUpperCase() + k.slice(1)] = pascalKeys(v);
  return out;
}
