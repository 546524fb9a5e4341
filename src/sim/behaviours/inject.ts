import type { Middleware } from '../context.js';
import { Code } from '../faults.js';
import { faultBehaviour } from './select.js';
import type { FaultRule } from './types.js';

/** A 5xx ApiFault (code 800003) instead of processing the request: nothing changes. */
export function serverErrors(rule: FaultRule & { status?: number }, seed: number): Middleware {
  return faultBehaviour(rule, seed, 'server-error', (ctx) => {
    ctx.reply.status = rule.status ?? 503;
    ctx.reply.body = { code: Code.unexpected, description: 'The service is temporarily unavailable (injected by the simulator).', data: [], source: 'PartnerFD' };
  });
}

/** The connection is destroyed before the request is processed: no reply at all, nothing changes. */
export function dropConnections(rule: FaultRule, seed: number): Middleware {
  return faultBehaviour(rule, seed, 'dropped', (ctx) => {
    ctx.detached = true;
    ctx.reply.status = 0;
    ctx.req.socket.destroy();
  });
}

/** The request is held for `ms` before it is processed (a slow Partner Center, or a client timeout). */
export function slowReplies(rule: FaultRule & { ms: number }, seed: number): Middleware {
  return faultBehaviour(
    rule,
    seed,
    'slow',
    async (_ctx, next) => {
      await new Promise((resolve) => setTimeout(resolve, rule.ms));
      return next();
    },
    rule.ms,
  );
}
