import type { Middleware } from '../context.js';
import { dropConnections, serverErrors, slowReplies } from './inject.js';
import { echoHeaders, emptyReplies, redirects } from './odd-replies.js';
import { reshapeReplies } from './reshape.js';
import { throttle } from './throttle.js';
import type { BehaviourOptions } from './types.js';

export type { BehaviourOptions, FaultRule, ReplyOptions, ThrottleOptions } from './types.js';

/**
 * The middlewares for the behaviours switched on in `opts`, outermost first: reshaping wraps everything (so a
 * 429 or an injected 5xx is reshaped too), then throttling (a refused request costs nothing else), then the
 * faults that stop or delay a request before it is processed. Each fault kind draws from its own seeded
 * generator, so switching one on does not change where another hits.
 */
export function simBehaviours(opts: BehaviourOptions): Middleware[] {
  const seed = opts.seed ?? 1;
  const steps: Middleware[] = [];
  if (opts.replies) steps.push(reshapeReplies(opts.replies));
  if (opts.throttle) steps.push(throttle(opts.throttle, opts.throttle.clock));
  if (opts.dropConnections) steps.push(dropConnections(opts.dropConnections, seed + 1));
  if (opts.serverErrors) steps.push(serverErrors(opts.serverErrors, seed + 2));
  if (opts.slowReplies) steps.push(slowReplies(opts.slowReplies, seed + 3));
  if (opts.redirects) steps.push(redirects(opts.redirects, seed + 4));
  if (opts.emptyReplies) steps.push(emptyReplies(opts.emptyReplies, seed + 5));
  if (opts.echoHeaders) steps.push(echoHeaders(opts.echoHeaders, seed + 6));
  return steps;
}
