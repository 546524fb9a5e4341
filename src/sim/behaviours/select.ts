import type { FaultEntry } from '../audit.js';
import type { Middleware, SimContext } from '../context.js';
import { mulberry32 } from '../random.js';
import { patternRegex } from '../router.js';
import type { FaultRule } from './types.js';

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/** Whether a request matches one of `specs` (see FaultRule.match); no specs = every request. */
export function matcher(specs: readonly string[] | undefined): (ctx: SimContext) => boolean {
  if (!specs || specs.length === 0) return () => true;
  const tests = specs.map((spec) => {
    const [first, second] = spec.trim().split(/\s+/) as [string, string?];
    const method = METHODS.has(first.toUpperCase()) ? first.toUpperCase() : undefined;
    const pattern = method ? second : first === '*' ? undefined : first;
    const regex = pattern ? patternRegex(pattern).regex : undefined;
    return (ctx: SimContext) => (!method || ctx.method === method) && (!regex || regex.test(ctx.path));
  });
  return (ctx) => tests.some((t) => t(ctx));
}

/**
 * Decides, request by request, whether a fault hits: the request matches, the `times` budget is not spent,
 * and the seeded generator says so (`rate`).
 */
export function faultPicker(rule: FaultRule, seed: number): (ctx: SimContext) => boolean {
  const matches = matcher(rule.match);
  const random = mulberry32(seed);
  const rate = rule.rate ?? 1;
  let hits = 0;
  return (ctx) => {
    if (!matches(ctx)) return false;
    if (rule.times !== undefined && hits >= rule.times) return false;
    if (rate < 1 && random() >= rate) return false;
    hits += 1;
    return true;
  };
}

/**
 * The rule engine of the injected faults (inject.ts, odd-replies.ts): a request `rule` picks is recorded in the
 * audit log as `fault` and handed to `act`, which answers it (or holds it and calls `next`); every other request
 * goes on untouched.
 */
export function faultBehaviour(
  rule: FaultRule,
  seed: number,
  fault: FaultEntry['fault'],
  act: (ctx: SimContext, next: () => Promise<void>) => Promise<void> | void,
  delayMs?: number,
): Middleware {
  const hit = faultPicker(rule, seed);
  return async (ctx, next) => {
    if (!hit(ctx)) return next();
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
    return act(ctx, next);
  };
}

/** The customer id a path names (as sent, decoded), if any. */
export function customerOf(path: string): string | undefined {
  const m = /^\/v1\/customers\/([^/]+)/i.exec(path);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}
