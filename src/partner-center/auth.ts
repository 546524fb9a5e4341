import { UserError } from '../core/errors.js';

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

/** A pre-obtained token from `PARTNER_CENTER_TOKEN`; treated as App+User (the mode a person's token has). */
export class StaticTokenProvider implements TokenProvider {
  readonly modes: readonly AuthMode[] = ['app+user', 'app'];
  readonly #token: string;

  constructor(token: string) {
    if (!token.trim()) throw new UserError('auth.token-empty', 'PARTNER_CENTER_TOKEN is set but empty.');
    this.#token = token.trim();
  }

  async getToken(): Promise<string> {
    return this.#token;
  }

  toJSON(): string {
    return '[StaticTokenProvider]';
  }
}
