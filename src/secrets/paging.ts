import type { DomainError } from '../lib/errors.js';
import { decodeToken, encodeToken, type Page } from '../lib/pagination.js';

/**
 * Paging over keyed rows computed in memory (sorted or filtered listings): the token is the key of
 * the last row returned, bound to its listing, and each API answers a bad token with its own error.
 */

/** The resume key of `token` for `listing`, or `invalid()` when the token is not one of ours. */
export function resumeAfter(listing: string, token: string | undefined, invalid: () => DomainError): string | undefined {
  try {
    return decodeToken(listing, token);
  } catch {
    throw invalid();
  }
}

/** The first `max` rows, and a token when more follow. */
export function pageRows<T>(listing: string, rows: ReadonlyArray<{ key: string; value: T }>, max: number): Page<T> {
  if (rows.length <= max) return { items: rows.map((r) => r.value) };
  const page = rows.slice(0, max);
  return { items: page.map((r) => r.value), nextToken: encodeToken(listing, page[page.length - 1]!.key) };
}
