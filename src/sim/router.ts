import { reply, type Middleware, type Route } from './context.js';
import { Code, SimFault } from './faults.js';

export type { Route, RouteAuth, RouteReply } from './context.js';

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

/** A route pattern (`/v1/customers/:customerId`) as a case-insensitive regex, and its parameter names. */
export function patternRegex(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(seg.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`, 'i'), names };
}

function compile(route: Route): Compiled {
  return { route, ...patternRegex(route.pattern) };
}

/**
 * Resolves the route (sets `ctx.route` and `ctx.params`): unknown path → 404 ApiFault 1000, known path with
 * another method → 405. Runs before the body is read, so later middlewares can look at `ctx.route.auth`.
 */
export function resolveRoute(routes: readonly Route[]): Middleware {
  const table = routes.map(compile);
  return async (ctx, next) => {
    const hits = table.filter((c) => c.regex.test(ctx.path));
    if (hits.length === 0) throw new SimFault(404, Code.notFound, `The requested resource ${ctx.path} was not found.`);
    const hit = hits.find((c) => c.route.method === ctx.method);
    if (!hit) {
      const allow = [...new Set(hits.map((c) => c.route.method))].join(', ');
      throw new SimFault(405, Code.invalidInput, `Method ${ctx.method} is not allowed on ${ctx.path}.`, [], { Allow: allow });
    }
    const values = hit.regex.exec(ctx.path)?.slice(1) ?? [];
    const params: Record<string, string> = {};
    hit.names.forEach((n, i) => {
      params[n] = safeDecode(values[i] ?? '');
    });
    ctx.route = hit.route;
    ctx.params = params;
    await next();
  };
}

/** Runs the resolved route's handler and puts its answer in the reply. */
export const dispatch: Middleware = async (ctx) => {
  if (!ctx.route) throw new SimFault(404, Code.notFound, `The requested resource ${ctx.path} was not found.`);
  const out = ctx.route.handle(ctx, ctx.params);
  reply(ctx, out.status, out.body);
};

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
