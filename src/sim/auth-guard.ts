import { header, type Middleware, type SimContext } from './context.js';
import { Code, SimFault } from './faults.js';
import { looksLikeJwt, PARTNER_CENTER_AUDIENCE, verifyToken } from './token-jwt.js';
import { verifierFor } from './token-server.js';

/** Partner Center's "the supplied role does not have the rights to perform the requested operation". */
const ROLE_LACKS_RIGHTS = 900150;
/** App+User token without an MFA claim, once MFA is enforced (partner-center-2026.md §1). */
export const MFA_REQUIRED = 900421;

function unauthorized(description: string, code: number = Code.tokenMissing): SimFault {
  return new SimFault(401, code, description, [], { 'WWW-Authenticate': 'OAuth realm=urn:cpsvc:cpid:sim' });
}

interface TokenInfo {
  readonly kind: 'app' | 'app+user' | 'plain';
  /** App+User tokens: whether the user signed in with MFA. Plain tokens count as compliant. */
  readonly mfa: boolean;
}

/** The kind of the request's bearer token; JWT-shaped tokens must be ours, valid now and for Partner Center. */
function tokenInfo(ctx: SimContext): TokenInfo {
  const token = ctx.token ?? '';
  if (!looksLikeJwt(token)) return { kind: 'plain', mfa: true };
  const verifier = verifierFor(ctx.state);
  const claims = verifier ? verifyToken(token, verifier.key) : undefined;
  if (!verifier || !claims) throw unauthorized('The access token is not valid: its signature does not match.');
  const audience = ctx.route?.audience ?? PARTNER_CENTER_AUDIENCE;
  if (claims.aud !== audience) {
    throw unauthorized(`The access token is for audience "${String(claims.aud)}", not ${audience}.`);
  }
  const now = Date.now() + verifier.clockSkewSeconds * 1000;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) throw unauthorized('The access token has expired.');
  if (claims.idtyp === 'app' && claims.scp === undefined) return { kind: 'app', mfa: false };
  return { kind: 'app+user', mfa: Array.isArray(claims.amr) && claims.amr.includes('mfa') };
}

/**
 * Checks the bearer token against the route's `auth`: app-only tokens are refused on App+User endpoints (users,
 * licences, licence updates, subscribed SKUs) with 403, as Partner Center does. Plain, non-JWT tokens (`sim`,
 * `test-token`) count as App+User with MFA so hand-made requests keep working. App+User requests with
 * `ValidateMfa: true` get an `isMfaCompliant` reply header; with `enforceMfa`, an App+User token without the
 * MFA claim gets 401 / 900421. Runs after the route is resolved.
 */
export const requireTokenKind: Middleware = async (ctx, next) => {
  const { kind, mfa } = tokenInfo(ctx);
  if (kind === 'app' && ctx.route?.auth === 'app+user') {
    throw new SimFault(403, ROLE_LACKS_RIGHTS, "This resource can't be accessed by application credentials.", [
      'App+User (delegated) authentication is required for this operation.',
    ]);
  }
  if (kind !== 'app' && /^true$/i.test(header(ctx, 'ValidateMfa') ?? '')) ctx.reply.headers.isMfaCompliant = String(mfa);
  if (kind === 'app+user' && !mfa && verifierFor(ctx.state)?.enforceMfa) {
    throw unauthorized('Multi-factor authentication is required: the App+User access token has no MFA claim.', MFA_REQUIRED);
  }
  verifierFor(ctx.state)?.authority.uses.push({ method: ctx.method, path: ctx.path, kind });
  await next();
};
