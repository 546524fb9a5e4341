import { randomUUID } from 'node:crypto';
import { UserError } from '../core/errors.js';
import { PartnerCenterClient } from '../partner-center/client.js';
import { DEFAULT_ENDPOINT, parseEndpoint } from '../partner-center/endpoint.js';
import { readAuthSettings } from '../partner-center/auth-config.js';
import { providerFor } from '../partner-center/auth-provider.js';
import { AuthAwareTransport } from '../partner-center/auth-transport.js';
import type { TokenProvider } from '../partner-center/auth.js';
import { tuningFromEnv } from '../partner-center/tuning.js';
import { FreshReads } from '../partner-center/fresh-reads.js';
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
  const endpoint = endpointOf(io, opts.endpoint);
  const correlationId = randomUUID();
  const { freshReadMs, ...tuning } = tuningFromEnv(io.env, endpoint);
  const transport = new AuthAwareTransport({ endpoint, tokens: tokenProvider(io), correlationId, readOnly: opts.readOnly, ...tuning });
  return { client: new PartnerCenterClient(transport, undefined, new FreshReads(freshReadMs)), endpoint, correlationId };
}

/** `--endpoint`, else PARTNER_CENTER_ENDPOINT, else Partner Center itself; checked (https unless loopback). */
export function endpointOf(io: CliIo, flag: string | undefined): string {
  if (flag) return parseEndpoint(flag, '--endpoint');
  const env = io.env.PARTNER_CENTER_ENDPOINT;
  return env ? parseEndpoint(env, 'PARTNER_CENTER_ENDPOINT') : DEFAULT_ENDPOINT;
}

/** The token provider for the configured variables; the first configuration problem stops the run. */
function tokenProvider(io: CliIo): TokenProvider {
  const { settings, problems } = readAuthSettings(io.env);
  const first = problems[0];
  if (first) throw new UserError(first.code, `${first.message}: ${first.fix}.`);
  return providerFor(settings);
}
