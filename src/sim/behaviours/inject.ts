import type { Middleware, SimContext } from '../context.js';
import { Code } from '../faults.js';
import { customerOf, faultPicker } from './select.js';
import type { FaultRule } from './types.js';

type Fault = 'server-error' | 'dropped' | 'slow';

function note(ctx: SimContext, fault: Fault, delayMs?: number): void {
  const named = customerOf(ctx.path);
  ctx.audit.record({
    type: 'fault',
    fault,
    method: ctx.method,
    path: ctx.path,
    ...(ctx.requestId !== undefined && { requestId: ctx.requestId }),
    ...(named !== undefined && { customerId: ctx.state.customer(named)?.id ?? named }),
    ...(delayMs !== undefined && { delayMs }),
  });
}

/** A 5xx ApiFault (code 800003) instead of processing the request: nothing changes. */
export function serverErrors(rule: FaultRule & { status?: number }, seed: number): Middleware {
  const hit = faultPicker(rule, seed);
  return async (ctx, next) => {
    if (!hit(ctx)) return next();
    note(ctx, 'server-error');
    ctx.reply.status = rule.status ?? 503;
    ctx.reply.body = { code: Code.unexpected, description: 'The service is temporarily unavailable (injected by the simulator).', data: [], source: 'PartnerFD' };
  };
}

/** The connection is destroyed before the request is processed: no reply at all, nothing changes. */
export function dropConnections(rule: FaultRule, seed: number): Middleware {
  const hit = faultPicker(rule, seed);
  return async (ctx, next) => {
    if (!hit(ctx)) return next();
    note(ctx, 'dropped');
    ctx.detached = true;
    ctx.reply.status = 0;
    ctx.req.socket.destroy();
  };
}

/** The request is held for `ms` before it is processed (a slow Partner Center, or a client timeout). */
export function slowReplies(rule: FaultRule & { ms: number }, seed: number): Middleware {
  const hit = faultPicker(rule, seed);
  return async (ctx, next) => {
    if (!hit(ctx)) return next();
    note(ctx, 'slow', rule.ms);
    await new Promise((resolve) => setTimeout(resolve, rule.ms));
    return next();
  };
}
