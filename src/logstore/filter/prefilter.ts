/**
 * Prefilters: a necessary condition on a log event's message, derived from a compiled filter
 * pattern, that a store can test without handing every message to JavaScript (SQLite tests it with
 * `instr` and its JSON functions). A prefilter may let through messages the pattern rejects — the
 * compiled matcher has the last word — but it must never reject a message the pattern matches.
 */

/** A path into a JSON document: object keys and array indexes, from the root. */
export type JsonPath = readonly (string | number)[];

/** The JSON value types a store can tell apart (SQLite's `json_type`), and `missing` for no value. */
export type JsonType = 'null' | 'true' | 'false' | 'integer' | 'real' | 'text' | 'array' | 'object' | 'missing';

/** The numeric comparison operators of filter patterns. */
export type NumericOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A necessary condition on a JSON message's content; only tested on messages that are valid JSON. */
export type JsonPrefilter =
  | { readonly kind: 'any' }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly JsonPrefilter[] }
  /** The value at `path` has one of these types. */
  | { readonly kind: 'type'; readonly path: JsonPath; readonly types: readonly JsonType[] }
  /** The value at `path` is a string equal (or not equal) to `value`. */
  | { readonly kind: 'text'; readonly path: JsonPath; readonly op: '=' | '!='; readonly value: string }
  /** The value at `path` is a string that contains `text`. */
  | { readonly kind: 'textContains'; readonly path: JsonPath; readonly text: string }
  /** The value at `path` is a number that compares with `value` as `op` says. */
  | { readonly kind: 'number'; readonly path: JsonPath; readonly op: NumericOperator; readonly value: number };

/** A necessary condition on a message. */
export type Prefilter =
  | { readonly kind: 'any' }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly Prefilter[] }
  /** The message contains `text` (case-sensitive). */
  | { readonly kind: 'contains'; readonly text: string }
  /** The message does not contain `text`; only used where the pattern excludes exactly that. */
  | { readonly kind: 'lacks'; readonly text: string }
  /** The message is valid JSON and `test` holds. */
  | { readonly kind: 'json'; readonly test: JsonPrefilter };

/** The prefilter that lets every message through. */
export const ANY: Prefilter = { kind: 'any' };

/** The JSON prefilter that lets every JSON message through. */
export const ANY_JSON: JsonPrefilter = { kind: 'any' };

/** All of `parts`; `any` parts are dropped, since they add nothing. */
export function allOf(parts: readonly Prefilter[]): Prefilter {
  const kept = parts.filter((p) => p.kind !== 'any');
  if (kept.length === 0) return ANY;
  return kept.length === 1 ? kept[0]! : { kind: 'and', parts: kept };
}

/** One of `parts`; a single `any` part makes the whole `any`. */
export function oneOf(parts: readonly Prefilter[]): Prefilter {
  if (parts.length === 0 || parts.some((p) => p.kind === 'any')) return ANY;
  return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
}

/** All of `parts`, for JSON tests. */
export function allOfJson(parts: readonly JsonPrefilter[]): JsonPrefilter {
  const kept = parts.filter((p) => p.kind !== 'any');
  if (kept.length === 0) return ANY_JSON;
  return kept.length === 1 ? kept[0]! : { kind: 'and', parts: kept };
}

/** One of `parts`, for JSON tests. */
export function oneOfJson(parts: readonly JsonPrefilter[]): JsonPrefilter {
  if (parts.length === 0 || parts.some((p) => p.kind === 'any')) return ANY_JSON;
  return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
}

/**
 * The literal pieces of a wildcard value (`*` already split out): a message that holds the value
 * contains the longest piece. Returns `any` when there is no piece worth testing.
 */
export function containsLongest(pieces: readonly string[]): Prefilter {
  const longest = pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest === '' ? ANY : { kind: 'contains', text: longest };
}
