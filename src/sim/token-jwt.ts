import { createHmac, timingSafeEqual } from 'node:crypto';

/** Audience of Partner Center tokens (API reference §1). */
export const PARTNER_CENTER_AUDIENCE = 'https://api.partnercenter.microsoft.com';

/**
 * Claims of a simulator-issued access token. Real Entra ID tokens say app-only with `idtyp: "app"` (and carry
 * no `scp`); delegated (App+User) tokens carry `scp`. The simulator uses exactly those two claims.
 */
export interface SimTokenClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  iat: number;
  nbf: number;
  exp: number;
  idtyp: 'app' | 'user';
  /** Delegated scope; present only on App+User tokens. */
  scp?: string;
  upn?: string;
  /** Authentication methods of the signed-in user (App+User only); `mfa` among them = MFA-compliant. */
  amr?: string[];
  oid: string;
  /** Unique token id: two tokens are never equal. */
  uti: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A compact JWS (HS256) over `claims`, JWT-shaped like the tokens Entra ID issues. */
export function signToken(claims: object, key: Buffer): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** True for three dot-separated base64url parts: a token that claims to be a JWT. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** The token's claims when its signature matches `key`; undefined for a forged, garbled or foreign token. */
export function verifyToken(token: string, key: Buffer): Record<string, unknown> | undefined {
  const [head, body, sig] = token.split('.');
  if (!head || !body || sig === undefined) return undefined;
  const want = createHmac('sha256', key).update(`${head}.${body}`).digest();
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
