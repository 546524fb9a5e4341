import { Agent, request } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { isLoopbackHost } from './endpoint.js';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * msal's network client for a loopback authority (the simulator's token endpoint): trusts exactly the given
 * certificate, and only for loopback hosts — every other URL is refused. TLS checking stays on; nothing global
 * changes. Errors carry the failure kind only, never a request body (which holds the secret or refresh token).
 */
export class LoopbackNetworkClient implements INetworkModule {
  readonly #agent: Agent;

  constructor(ca: string) {
    this.#agent = new Agent({ ca, keepAlive: false });
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>('POST', url, options);
  }

  #send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeout = DEFAULT_TIMEOUT_MS): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    if (target.protocol !== 'https:' || !isLoopbackHost(target.hostname)) {
      return Promise.reject(new Error(`refused to send sign-in traffic to ${target.host}: the simulator's certificate is trusted for loopback only`));
    }
    return new Promise((resolve, reject) => {
      const req = request(target, { method, headers: options?.headers ?? {}, agent: this.#agent, timeout }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', () => reject(new Error('the sign-in response was cut off')));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          try {
            resolve({ headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T, status: res.statusCode ?? 0 });
          } catch {
            reject(new Error(`the sign-in endpoint answered HTTP ${res.statusCode ?? '?'} without JSON`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err: NodeJS.ErrnoException) => reject(new Error(`cannot reach ${target.host} (${err.code ?? err.message})`)));
      if (method === 'POST') req.end(options?.body ?? '');
      else req.end();
    });
  }
}
