import axios from 'axios';
import { randomUUID } from 'node:crypto';
import { UserError } from '../core/errors.js';
import { AUTH_ENV, readAuthSettings } from './auth-config.js';
import { msalAppUserSourceFor, type TokenSource } from './auth-msal.js';
import { DEFAULT_ENDPOINT, parseEndpoint } from './endpoint.js';
import { parsePriceCsv } from '../prices/csv.js';
import type { PriceSource } from '../prices/source.js';

/** The price sheet's own host and token audience (not Partner Center's): partner-center-2026.md §5. */
export const PRICE_SHEET_ENDPOINT = 'https://api.partner.microsoft.com';
export const PRICE_SHEET_RESOURCE = 'https://api.partner.microsoft.com';

/** Environment variables of the price sheet: its endpoint and a pre-obtained token for its audience. */
export const PRICE_ENV = { endpoint: 'PARTNER_CENTER_PRICES_ENDPOINT', token: 'PARTNER_CENTER_PRICES_TOKEN' } as const;

/** The view of licence-based (new commerce) prices. */
const VIEW = 'updatedlicensebased';

/**
 * Partner Center's price sheet API as a price source: `GET /v1.0/sales/pricesheets(Market='{cc}',
 * PricesheetView='updatedlicensebased')/$value?timeline=current`, a CSV stream (learn `developer/get-a-price-sheet`).
 * App+User only (Admin Agent or Sales Agent), with a token for `https://api.partner.microsoft.com`: either
 * PARTNER_CENTER_PRICES_TOKEN, or the refresh token exchanged by msal for that audience. Read-only; one GET.
 *
 * Prices are read where the credential allows it (partner-center-2026-12.md §2: a read-only plan credential, a
 * Helpdesk agent, cannot price): with no App+User credential for that audience, or a 401/403 reply, the book is
 * empty and its `source` says why, so every purchase shows "price unknown" with the reason and a spend cap blocks
 * (spend-unknown) — the plan itself goes on. Any other failure is an error: nothing is planned.
 */
export function priceSheetSource(env: Readonly<Record<string, string | undefined>>, market: string, timeoutMs = 60_000): PriceSource {
  const rawEndpoint = env[PRICE_ENV.endpoint]?.trim();
  // As for Graph: pointed at another Partner Center (the simulator, a test double), the price sheet comes from
  // there too, never from Microsoft's host with whatever token that other service accepts.
  const partner = env.PARTNER_CENTER_ENDPOINT?.trim() ? parseEndpoint(env.PARTNER_CENTER_ENDPOINT.trim(), 'PARTNER_CENTER_ENDPOINT') : DEFAULT_ENDPOINT;
  const endpoint = rawEndpoint ? parseEndpoint(rawEndpoint, PRICE_ENV.endpoint) : partner === DEFAULT_ENDPOINT ? PRICE_SHEET_ENDPOINT : partner;
  const description = `Partner Center price sheet (${market}, ${VIEW})`;
  const unread = (why: string) => ({ source: `${description}, not read: ${why}`, market, rows: [] });
  let tokens: TokenSource | undefined;
  let noToken = '';
  try {
    tokens = tokenSource(env);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    noToken = err.message;
  }
  const path = `/v1.0/sales/pricesheets(Market='${encodeURIComponent(market)}',PricesheetView='${VIEW}')/$value?timeline=current`;
  return {
    description,
    read: async () => {
      if (!tokens) return unread(noToken);
      const token = (await tokens.acquire()).token;
      let res;
      try {
        res = await axios.get<string>(`${endpoint}${path}`, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/csv', 'MS-RequestId': randomUUID(), 'MS-CorrelationId': randomUUID() },
          responseType: 'text',
          transformResponse: [(d: unknown) => d],
          validateStatus: () => true,
          maxRedirects: 0,
          proxy: false,
          timeout: timeoutMs,
        });
      } catch (err) {
        throw new UserError('prices.sheet', `GET ${path.split('?')[0]}: no reply from the price sheet (${(err as { code?: string }).code ?? 'network error'}); set prices.file in pcsync.yaml to plan from a downloaded price list instead.`);
      }
      if (res.status === 401 || res.status === 403) {
        return unread(`the price sheet answered HTTP ${res.status}: it needs an App+User token of an Admin agent or Sales agent for ${PRICE_SHEET_RESOURCE} (${PRICE_ENV.token}, or a refresh token of such a user); or set prices.file to a downloaded price list`);
      }
      if (res.status !== 200) {
        throw new UserError('prices.sheet', `GET ${path.split('?')[0]}: the price sheet answered HTTP ${res.status}; nothing was planned. Set prices.file in pcsync.yaml to plan from a downloaded price list instead.`);
      }
      return { source: description, market, rows: parsePriceCsv(String(res.data ?? ''), `price sheet ${market}`), newCommerceOnly: true };
    },
  };
}

function tokenSource(env: Readonly<Record<string, string | undefined>>): TokenSource {
  const token = env[PRICE_ENV.token]?.trim();
  if (token) return { mode: 'app+user', description: `pre-obtained token (${PRICE_ENV.token})`, acquire: async () => ({ token }) };
  const source = msalAppUserSourceFor(readAuthSettings(env).settings, PRICE_SHEET_RESOURCE);
  if (source) return source;
  throw new UserError(
    'prices.token',
    `no App+User token for ${PRICE_SHEET_RESOURCE} (the price sheet's own audience, not Partner Center's): set ${PRICE_ENV.token}, or ${AUTH_ENV.refreshToken} with ${AUTH_ENV.tenantId} and ${AUTH_ENV.clientId}; or use prices.file with a downloaded price list`,
  );
}
