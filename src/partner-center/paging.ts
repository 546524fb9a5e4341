import type { Collection, Link } from './wire.js';
import type { HttpRequest, HttpResponse } from './http.js';

/** The most pages pcsync follows before deciding the server is looping. */
const MAX_PAGES = 10_000;

/**
 * Reads a collection to the end: follows `links.next` (uri with or without the `/v1` prefix, its headers,
 * e.g. `MS-ContinuationToken`) until a page has none. Works for seek-based and offset-based collections.
 */
export async function readAllPages<T>(
  send: (req: HttpRequest) => Promise<HttpResponse>,
  first: HttpRequest,
): Promise<T[]> {
  const items: T[] = [];
  let req: HttpRequest | undefined = first;
  const seen = new Set<string>();
  for (let page = 0; req && page < MAX_PAGES; page++) {
    const res = await send(req);
    const body = (res.body ?? {}) as Collection<T>;
    items.push(...(body.items ?? []));
    req = nextRequest(first, body);
    if (req) {
      const key = `${req.path}|${JSON.stringify(req.headers ?? {})}`;
      if (seen.has(key)) throw new Error(`paging loop on ${first.path}: the server returned the same next page twice`);
      seen.add(key);
    }
  }
  return items;
}

function nextRequest<T>(first: HttpRequest, body: Collection<T>): HttpRequest | undefined {
  const next: Link | undefined = body.links?.next;
  if (!next?.uri) return undefined;
  const headers: Record<string, string> = {};
  for (const h of next.headers ?? []) if (h?.key) headers[h.key] = String(h.value ?? '');
  if (body.continuationToken && !Object.keys(headers).some((k) => k.toLowerCase() === 'ms-continuationtoken')) {
    headers['MS-ContinuationToken'] = body.continuationToken;
  }
  return { method: 'GET', path: withV1(next.uri), headers, auth: first.auth };
}

/** Link uris come as `/v1/customers?…`, `/customers?…` or `customers?…`; the SDK prepends `/v1` when missing. */
export function withV1(uri: string): string {
  const path = uri.replace(/^https?:\/\/[^/]+/i, '');
  const rooted = path.startsWith('/') ? path : `/${path}`;
  return /^\/v1(\/|$|\?)/i.test(rooted) ? rooted : `/v1${rooted}`;
}
