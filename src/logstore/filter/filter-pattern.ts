import type { CompiledPattern } from './compiled.js';
import { compileDelimitedPattern } from './delimited.js';
import { compileJsonPattern } from './json-pattern.js';
import { ANY } from './prefilter.js';
import { compileTerms } from './terms.js';

export type { CompiledPattern } from './compiled.js';

/** The pattern that matches every event (an absent, empty or `""` filter pattern). */
export const MATCH_ALL: CompiledPattern = { matches: () => true, extract: () => ({}), prefilter: ANY };

/**
 * Compiles a CloudWatch Logs filter pattern (the syntax of metric filters, subscription filters
 * and FilterLogEvents): `{ … }` is a JSON pattern, `[ … ]` a space-delimited one, anything else
 * a list of terms. Throws an InvalidParameter domain error for a malformed pattern, with
 * CloudWatch's messages ("Invalid filter pattern", "Invalid character(s) in term '…'").
 */
export function compileFilterPattern(pattern: string | undefined): CompiledPattern {
  const text = (pattern ?? '').trim();
  if (text === '' || text === '""') return MATCH_ALL;
  if (text.startsWith('{')) return compileJsonPattern(text);
  if (text.startsWith('[')) return compileDelimitedPattern(text);
  return compileTerms(text);
}
