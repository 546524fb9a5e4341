import { UserError } from '../core/errors.js';

/** Where Partner Center lives unless told otherwise. */
export const DEFAULT_ENDPOINT = 'https://api.partnercenter.microsoft.com';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks an endpoint given by the user: a valid URL, https unless the host is loopback (a bearer token must
 * never travel in clear text over a network), no path beyond an optional trailing slash.
 * Returns the normalised origin without a trailing slash.
 */
export function parseEndpoint(raw: string, origin = '--endpoint'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError('config.endpoint', `${origin}: "${raw}" is not a URL (expected e.g. ${DEFAULT_ENDPOINT}).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError('config.endpoint', `${origin}: only https:// endpoints are supported, got "${url.protocol}".`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UserError(
      'config.endpoint',
      `${origin}: refusing plain http:// to ${url.hostname}; tokens would travel unencrypted. Use https:// (http is allowed only for loopback, e.g. the simulator).`,
    );
  }
  if (url.username || url.password) {
    throw new UserError('config.endpoint', `${origin}: credentials in the URL are not allowed; use environment variables.`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path === '/v1' ? '' : path}`;
}
