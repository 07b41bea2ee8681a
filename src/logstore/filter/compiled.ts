import type { Prefilter } from './prefilter.js';

/** A filter pattern compiled once per request: the exact test, and a cheaper necessary condition. */
export interface CompiledPattern {
  /** Whether a log event's message matches the pattern. */
  matches(message: string): boolean;
  /** A condition every matching message meets, for the store to test before `matches`. */
  readonly prefilter: Prefilter;
}
