import { invalidParameter } from './errors.js';

/**
 * Opaque `nextToken`s: the key of the last item returned, so the next page starts after it.
 * Tokens carry a version tag so that a token from another listing or a forged one is refused.
 */
const TAG = 'mn1:';

/** Encodes the resume position of a listing as an opaque token. */
export function encodeToken(listing: string, lastKey: string): string {
  return Buffer.from(`${TAG}${listing}\n${lastKey}`, 'utf8').toString('base64url');
}

/** Decodes a token made by {@link encodeToken} for the same listing; throws InvalidParameter otherwise. */
export function decodeToken(listing: string, token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const prefix = `${TAG}${listing}\n`;
  if (!text.startsWith(prefix)) throw invalidParameter('Invalid nextToken value.');
  return text.slice(prefix.length);
}

/** One page of a listing and the token for the next, if more may follow. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * Cuts a page from keyed items fetched with limit `max + 1`: the extra item only tells that
 * another page exists.
 */
export function pageOf<T>(listing: string, rows: Array<{ key: string; value: T }>, max: number): Page<T> {
  if (rows.length <= max) return { items: rows.map((r) => r.value) };
  const page = rows.slice(0, max);
  return { items: page.map((r) => r.value), nextToken: encodeToken(listing, page[page.length - 1]!.key) };
}
