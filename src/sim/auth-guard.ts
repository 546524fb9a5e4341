import type { Middleware, SimContext } from './context.js';
import { Code, SimFault } from './faults.js';
import { looksLikeJwt, PARTNER_CENTER_AUDIENCE, verifyToken } from './token-jwt.js';
import { verifierFor } from './token-server.js';

/** Partner Center's "the supplied role does not have the rights to perform the requested operation". */
const ROLE_LACKS_RIGHTS = 900150;

function unauthorized(description: string): SimFault {
  return new SimFault(401, Code.tokenMissing, description, [], { 'WWW-Authenticate': 'OAuth realm=urn:cpsvc:cpid:sim' });
}

/** The kind of the request's bearer token; JWT-shaped tokens must be ours, valid now and for Partner Center. */
function tokenKind(ctx: SimContext): 'app' | 'app+user' | 'plain' {
  const token = ctx.token ?? '';
  if (!looksLikeJwt(token)) return 'plain';
  const verifier = verifierFor(ctx.state);
  const claims = verifier ? verifyToken(token, verifier.key) : undefined;
  if (!claims) throw unauthorized('The access token is not valid: its signature does not match.');
  const audience = ctx.route?.audience ?? PARTNER_CENTER_AUDIENCE;
  if (claims.aud !== audience) {
    throw unauthorized(`The access token is for audience "${String(claims.aud)}", not ${audience}.`);
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) throw unauthorized('The access token has expired.');
  return claims.idtyp === 'app' && claims.scp === undefined ? 'app' : 'app+user';
}

/**
 * Checks the bearer token against the route's `auth`: app-only tokens are refused on App+User endpoints (users,
 * licences, licence updates, subscribed SKUs) with 403, as Partner Center does. Plain, non-JWT tokens (`sim`,
 * `test-token`) count as App+User so hand-made requests keep working. Runs after the route is resolved.
 */
export const requireTokenKind: Middleware = async (ctx, next) => {
  const kind = tokenKind(ctx);
  if (kind === 'app' && ctx.route?.auth === 'app+user') {
    throw new SimFault(403, ROLE_LACKS_RIGHTS, "This resource can't be accessed by application credentials.", [
      'App+User (delegated) authentication is required for this operation.',
    ]);
  }
  verifierFor(ctx.state)?.authority.uses.push({ method: ctx.method, path: ctx.path, kind });
  await next();
};
