import { ModeTokenProvider, staticSource } from '../../src/partner-center/auth-provider.js';
import { PartnerCenterClient } from '../../src/partner-center/client.js';
import { Transport, type TransportOptions } from '../../src/partner-center/http.js';
import type { RetryInfo } from '../../src/partner-center/retry.js';

/**
 * The real client and transport pointed at a simulator, with short backoffs. Every retry the transport makes
 * is recorded in `retries` (the waits are real, so the simulator sees honest timing).
 */
export function realClient(url: string, opts: Partial<TransportOptions> = {}) {
  const retries: RetryInfo[] = [];
  const transport = new Transport({
    endpoint: url,
    tokens: new ModeTokenProvider({ appUser: staticSource('test-token') }),
    correlationId: 'test-correlation',
    readOnly: false,
    ...opts,
    retry: { baseDelayMs: 5, maxDelayMs: 200, onRetry: (r) => void retries.push(r), ...opts.retry },
  });
  return { client: new PartnerCenterClient(transport), transport, retries };
}

/** The rejection of `p` (fails the test if it resolves). */
export async function rejection<T = unknown>(p: Promise<unknown>): Promise<T> {
  try {
    await p;
  } catch (err) {
    return err as T;
  }
  throw new Error('expected the promise to reject');
}
