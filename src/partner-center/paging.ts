import { ApiError } from './errors.js';
import type { Collection, Link } from './wire.js';
import type { HttpRequest, HttpResponse } from './http.js';

/** The most pages pcsync follows before deciding the server is looping. */
const MAX_PAGES = 10_000;

/**
 * Reads a collection to the end: follows `links.next` (uri with or without the `/v1` prefix, plus its headers,
 * e.g. `MS-ContinuationToken`) until a page has none. A page with a top-level `continuationToken` but no
 * `links.next` is followed too (first path + `seekOperation=Next` + the token header). Works for seek-based
 * and offset-based collections. A server that loops (same next page twice, or endless pages) is an error,
 * never a silently partial list.
 */
export async function readAllPages<T>(
  send: (req: HttpRequest) => Promise<HttpResponse>,
  first: HttpRequest,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let req: HttpRequest | undefined = first;
  for (let page = 0; req; page++) {
    const res = await send(req);
    const body = (res.body ?? {}) as Collection<T>;
    items.push(...(body.items ?? []));
    req = nextRequest(first, body);
    const key = req && `${req.path}|${JSON.stringify(req.headers ?? {})}`;
    if (key !== undefined && (seen.has(key) || page + 1 >= MAX_PAGES)) {
      const description = `Partner Center kept sending next-page links (paging loop after ${page + 1} pages)`;
      throw new ApiError('GET', first.path.split('?')[0]!, res.status, undefined, description, 'terminal', res.requestId, undefined, { kind: 'bad-response' });
    }
    if (key !== undefined) seen.add(key);
  }
  return items;
}

function nextRequest<T>(first: HttpRequest, body: Collection<T>): HttpRequest | undefined {
  const next: Link | undefined = body.links?.next;
  const token = body.continuationToken;
  if (!next?.uri && !token) return undefined;
  const headers: Record<string, string> = {};
  for (const h of next?.headers ?? []) if (h?.key) headers[h.key] = String(h.value ?? '');
  if (token && !Object.keys(headers).some((k) => k.toLowerCase() === 'ms-continuationtoken')) headers['MS-ContinuationToken'] = token;
  const path = next?.uri ? withV1(next.uri) : withSeekNext(first.path);
  return { method: 'GET', path, headers, auth: first.auth };
}

/** The first page's path with `seekOperation=Next` (replacing any earlier value). */
function withSeekNext(path: string): string {
  const [base, query = ''] = path.split('?') as [string, string?];
  const params = new URLSearchParams(query);
  params.set('seekOperation', 'Next');
  return `${base}?${params.toString()}`;
}

/** Link uris come as `/v1/customers?…`, `/customers?…` or `customers?…`; the SDK prepends `/v1` when missing. */
export function withV1(uri: string): string {
  const path = uri.replace(/^https?:\/\/[^/]+/i, '');
  const rooted = path.startsWith('/') ? path : `/${path}`;
  return /^\/v1(\/|$|\?)/i.test(rooted) ? rooted : `/v1${rooted}`;
}
