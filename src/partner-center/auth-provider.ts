import { AUTH_ENV, type AuthSettings } from './auth-config.js';
import { AppUserRequiredError } from './auth-errors.js';
import { msalSources, type AcquiredToken, type TokenSource } from './auth-msal.js';
import type { AuthMode, TokenProvider } from './auth.js';

/**
 * Tokens are renewed this long before they expire, so none runs out in flight; a token that lives less than four
 * times this is renewed once three quarters of its life are used.
 */
export const REFRESH_MARGIN_MS = 5 * 60_000;

interface Slot {
  current?: AcquiredToken;
  /** When `current` was obtained (this provider's clock). */
  acquiredAt?: number;
  pending?: Promise<AcquiredToken>;
}

/**
 * Serves each request the token its endpoint needs: App+User endpoints get the delegated token; the others
 * get the app-only token when one is configured, else the App+User one (which every endpoint accepts).
 * Tokens live in memory only and are renewed `REFRESH_MARGIN_MS` before expiry; concurrent callers share one
 * sign-in. Asked for App+User without delegated credentials, it refuses before anything is sent.
 */
export class ModeTokenProvider implements TokenProvider {
  readonly modes: readonly AuthMode[];
  readonly #slots = new Map<TokenSource, Slot>();

  constructor(
    readonly sources: { readonly appUser?: TokenSource; readonly app?: TokenSource },
    private readonly now: () => number = Date.now,
  ) {
    this.modes = [...(sources.appUser ? (['app+user'] as const) : []), ...(sources.app ? (['app'] as const) : [])];
  }

  async getToken(mode: AuthMode): Promise<string> {
    return (await this.#fresh(this.#sourceOf(mode))).token;
  }

  invalidate(mode: AuthMode, token: string): boolean {
    const source = this.#sourceOf(mode);
    if (!source.renewable) return false;
    const slot = this.#slots.get(source);
    if (slot?.current?.token === token) slot.current = undefined;
    return true;
  }

  #sourceOf(mode: AuthMode): TokenSource {
    const source = mode === 'app+user' ? this.sources.appUser : (this.sources.app ?? this.sources.appUser);
    if (!source) throw new AppUserRequiredError();
    return source;
  }

  #fresh(source: TokenSource): Promise<AcquiredToken> {
    let slot = this.#slots.get(source);
    if (!slot) this.#slots.set(source, (slot = {}));
    const cur = slot.current;
    if (cur && (cur.expiresOn === undefined || this.now() < cur.expiresOn - marginOf(cur, slot.acquiredAt))) return Promise.resolve(cur);
    const s = slot;
    s.pending ??= source.acquire().then(
      (t) => {
        s.current = t;
        s.acquiredAt = this.now();
        s.pending = undefined;
        return t;
      },
      (err: unknown) => {
        s.pending = undefined;
        throw err;
      },
    );
    return s.pending;
  }

  toJSON(): string {
    return `[ModeTokenProvider ${this.modes.join(',')}]`;
  }
}

function marginOf(t: AcquiredToken, acquiredAt: number | undefined): number {
  if (t.expiresOn === undefined || acquiredAt === undefined) return REFRESH_MARGIN_MS;
  return Math.min(REFRESH_MARGIN_MS, Math.max(0, t.expiresOn - acquiredAt) / 4);
}

/** A token obtained outside pcsync (`PARTNER_CENTER_TOKEN`): App+User by assumption, never refreshed. */
export function staticSource(token: string): TokenSource {
  return { mode: 'app+user', description: `pre-obtained token (${AUTH_ENV.token})`, acquire: async () => ({ token }) };
}

/** The provider for the configured variables (assumed already checked by `readAuthSettings`). */
export function providerFor(s: AuthSettings, now?: () => number): ModeTokenProvider {
  const msal = msalSources(s);
  return new ModeTokenProvider({ appUser: s.token ? staticSource(s.token) : msal.appUser, app: msal.app }, now);
}
