/**
 * The two kinds of Partner Center access. User and licence endpoints accept only App+User (delegated)
 * tokens; most others also accept app-only tokens.
 */
export type AuthMode = 'app+user' | 'app';

/** Hands out bearer tokens. Implementations cache and refresh; callers never keep a token. */
export interface TokenProvider {
  /** A bearer token for `mode`. */
  getToken(mode: AuthMode): Promise<string>;
  /**
   * Forget `token` (it was refused with 401) so the next `getToken(mode)` signs in again. True when a new token
   * can be obtained that way (msal sources); false for a pre-obtained token, which cannot be renewed.
   */
  invalidate?(mode: AuthMode, token: string): boolean;
  /** Which modes this provider can serve, for messages and `doctor`. */
  readonly modes: readonly AuthMode[];
}
