/**
 * The two kinds of Partner Center access. User and licence endpoints accept only App+User (delegated)
 * tokens; most others also accept app-only tokens.
 */
export type AuthMode = 'app+user' | 'app';

/** Hands out bearer tokens. Implementations cache and refresh; callers never keep a token. */
export interface TokenProvider {
  /** A bearer token for `mode`. */
  getToken(mode: AuthMode): Promise<string>;
  /** Which modes this provider can serve, for messages and `doctor`. */
  readonly modes: readonly AuthMode[];
}
