import { decodeToken, encodeToken } from '../lib/pagination.js';

/** One page of an IAM listing: the items, and the Marker of the next page when IsTruncated. */
export interface MarkerPage<T> {
  items: T[];
  marker?: string;
}

/** IAM's default MaxItems. */
export const DEFAULT_MAX_ITEMS = 100;

/**
 * Cuts one page from rows in key order: after the key the Marker names, at most `maxItems`. The
 * Marker is opaque and tied to its listing; a forged or foreign one is InvalidInput.
 */
export function pageByMarker<T>(
  listing: string,
  rows: ReadonlyArray<{ key: string; value: T }>,
  marker: string | undefined,
  maxItems: number | undefined,
): MarkerPage<T> {
  const after = decodeToken(listing, marker);
  const max = maxItems ?? DEFAULT_MAX_ITEMS;
  const rest = after === undefined ? rows : rows.filter((r) => r.key > after);
  if (rest.length <= max) return { items: rest.map((r) => r.value) };
  const page = rest.slice(0, max);
  return { items: page.map((r) => r.value), marker: encodeToken(listing, page[page.length - 1]!.key) };
}

/** Whether an entity's path starts with the PathPrefix (IAM's default `/` takes every path). */
export const underPath = (path: string, prefix: string | undefined): boolean => prefix === undefined || path.startsWith(prefix);
