/** Shared wire shapes: links, collections, etags (API reference §0). */

export interface Link {
  uri: string;
  method: string;
  headers: { key: string; value: string }[];
}

export function link(uri: string, headers: { key: string; value: string }[] = [], method = 'GET'): Link {
  return { uri, method, headers };
}

export interface CollectionBody<T> {
  totalCount: number;
  items: T[];
  continuationToken?: string;
  links: { self: Link; next?: Link };
  attributes: { objectType: 'Collection' };
}

/** A collection envelope; `totalCount` is the number of items in this page, as Partner Center sends it. */
export function collection<T>(items: T[], selfUri: string, next?: Link, continuationToken?: string): CollectionBody<T> {
  const body: CollectionBody<T> = { totalCount: items.length, items, links: { self: link(selfUri) }, attributes: { objectType: 'Collection' } };
  if (continuationToken !== undefined) body.continuationToken = continuationToken;
  if (next) body.links.next = next;
  return body;
}

/** Base64 of `{"id":"<lower-case id>","version":n}`. */
export function etagOf(id: string, version: number): string {
  return Buffer.from(JSON.stringify({ id: id.toLowerCase(), version }), 'utf8').toString('base64');
}

export function enc(s: string): string {
  return encodeURIComponent(s);
}
