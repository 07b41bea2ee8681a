import type { Prefilter } from './prefilter.js';

/** A filter pattern compiled once per request: the exact test, and a cheaper necessary condition. */
export interface CompiledPattern {
  /** Whether a log event's message matches the pattern. */
  matches(message: string): boolean;
  /**
   * The values a matching message binds, keyed as TestMetricFilter's `extractedValues` shows
   * them (`$name` for space-delimited fields, `$.path` for the selectors of a JSON pattern, none
   * for terms); undefined when the message does not match.
   */
  extract(message: string): Record<string, string> | undefined;
  /** A condition every matching message meets, for the store to test before `matches`. */
  readonly prefilter: Prefilter;
}
