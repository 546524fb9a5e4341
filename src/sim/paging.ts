import { header, type SimContext } from './context.js';
import { invalidInput } from './faults.js';
import { collection, link, type CollectionBody } from './wire.js';

/** Parses a non-negative whole-number query parameter; absent → undefined; garbage → 400 800002. */
export function queryInt(ctx: SimContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw invalidInput(`Query parameter ${name} must be a non-negative whole number.`);
  return Number(raw);
}

function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset }), 'utf8').toString('base64url');
}

function decodeToken(token: string, scope: string, max: number): number {
  const bad = () => invalidInput('The continuation token is not valid for this collection.');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const { s, o } = (parsed ?? {}) as { s?: unknown; o?: unknown };
  if (s !== scope || typeof o !== 'number' || !Number.isInteger(o) || o < 0 || o > max) throw bad();
  return o;
}

/**
 * A seek-based page (customers, users): page size = min(size, pageSize), size 0/absent → pageSize. Later pages
 * need `seekOperation=Next` plus the `MS-ContinuationToken` header from the previous page.
 */
export function seekPage<T>(ctx: SimContext, all: readonly T[], scope: string, basePath: string): CollectionBody<T> {
  const requested = queryInt(ctx, 'size');
  const pageSize = ctx.state.options.pageSize;
  const size = requested && requested > 0 ? Math.min(requested, pageSize) : pageSize;
  let offset = 0;
  const seek = ctx.query.get('seekOperation');
  if (seek !== null) {
    if (seek.toLowerCase() !== 'next') throw invalidInput(`seekOperation "${seek}" is not supported (use Next).`);
    const token = header(ctx, 'MS-ContinuationToken');
    if (!token) throw invalidInput('seekOperation=Next needs the MS-ContinuationToken header.');
    offset = decodeToken(token, scope, all.length);
  }
  const items = all.slice(offset, offset + size);
  const end = offset + items.length;
  const sizeText = String(requested ?? size);
  const self = `${basePath}?size=${sizeText}`;
  if (end >= all.length) return collection(items, self);
  const token = encodeToken(scope, end);
  const style = ctx.state.options.paging ?? {};
  const uri = `${style.v1Prefix === false ? basePath.replace(/^\/v1/, '') : basePath}?size=${sizeText}&seekOperation=Next`;
  const nextLink = style.nextLink ?? 'with-token-header';
  if (nextLink === 'none') return collection(items, self, undefined, token);
  return collection(items, self, link(uri, nextLink === 'without-headers' ? [] : [{ key: 'MS-ContinuationToken', value: token }]), token);
}

/** An offset-based page (offers): `offset` (default 0) and `size` (0/absent = everything left). */
export function offsetPage<T>(ctx: SimContext, all: readonly T[], uriFor: (offset: number, size: number) => string): CollectionBody<T> {
  const offset = queryInt(ctx, 'offset') ?? 0;
  const requested = queryInt(ctx, 'size');
  const size = requested && requested > 0 ? requested : Math.max(all.length - offset, 0);
  const items = all.slice(offset, offset + size);
  const self = uriFor(offset, requested ?? size);
  const end = offset + items.length;
  return end < all.length ? collection(items, self, link(uriFor(end, size))) : collection(items, self);
}
