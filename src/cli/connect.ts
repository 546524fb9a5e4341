import { randomUUID } from 'node:crypto';
import { UserError } from '../core/errors.js';
import { PartnerCenterClient } from '../partner-center/client.js';
import { DEFAULT_ENDPOINT, parseEndpoint } from '../partner-center/endpoint.js';
import { StaticTokenProvider, type TokenProvider } from '../partner-center/auth.js';
import { Transport } from '../partner-center/http.js';
import { tuningFromEnv } from '../partner-center/tuning.js';
import type { CliIo } from './io.js';

export interface ConnectOptions {
  /** `--endpoint`, overriding PARTNER_CENTER_ENDPOINT. */
  readonly endpoint?: string;
  /** Plan, report and drift construct the client read-only: any write is refused before it is sent. */
  readonly readOnly: boolean;
}

export interface Connection {
  readonly client: PartnerCenterClient;
  readonly endpoint: string;
  readonly correlationId: string;
}

/** Builds the Partner Center client from flags and environment variables (never from files). */
export function connect(io: CliIo, opts: ConnectOptions): Connection {
  const endpoint = opts.endpoint
    ? parseEndpoint(opts.endpoint, '--endpoint')
    : io.env.PARTNER_CENTER_ENDPOINT
      ? parseEndpoint(io.env.PARTNER_CENTER_ENDPOINT, 'PARTNER_CENTER_ENDPOINT')
      : DEFAULT_ENDPOINT;
  const correlationId = randomUUID();
  const transport = new Transport({ endpoint, tokens: tokenProvider(io), correlationId, readOnly: opts.readOnly, ...tuningFromEnv(io.env, endpoint) });
  return { client: new PartnerCenterClient(transport), endpoint, correlationId };
}

function tokenProvider(io: CliIo): TokenProvider {
  const token = io.env.PARTNER_CENTER_TOKEN;
  if (token !== undefined) return new StaticTokenProvider(token);
  throw new UserError(
    'auth.missing',
    'No Partner Center credentials. Set PARTNER_CENTER_TOKEN to an App+User access token for https://api.partnercenter.microsoft.com ' +
      '(for the simulator any value works, e.g. PARTNER_CENTER_TOKEN=sim).',
  );
}
