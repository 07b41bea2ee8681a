import { allOf, ANY, oneOf, type Prefilter } from './prefilter.js';
import { invalidPattern, Scanner } from './scanner.js';
import { compileRegex, invalidTerm } from './values.js';
import type { CompiledPattern } from './compiled.js';

/**
 * Patterns over unstructured text: terms, all of which must appear (`ERROR Exception`), quoted
 * phrases (`"Failed to process"`), exclusions (`-Exiting`, or the older `- "Exiting"`), OR terms
 * (`?ERROR ?WARN`: at least one must appear) and `%regex%` terms. Matching is case-sensitive and
 * by substring: the guide's `ERROR` matches "Exiting with ERRORCODE: -1".
 */

/** One term: how it is tested, and the text a message must contain when it is a plain term. */
interface Term {
  readonly test: (message: string) => boolean;
  readonly literal?: string;
}

// The guide asks for quotes around terms with characters other than letters, digits and
// underscores, and AWS refuses e.g. `user@example.com` unquoted. A few separators seen in
// unquoted terms in the wild (`.`, `:`, `/`, an inner `-`) are let through rather than refusing
// patterns that may well be valid.
const BARE_TERM = /^[\p{L}\p{N}_.:/-]+$/u;

/** Reads one term at the scanner's position. */
function readTerm(scanner: Scanner): Term {
  const c = scanner.peek();
  if (c === '"') {
    const phrase = scanner.readQuoted();
    return { test: (m) => m.includes(phrase), literal: phrase };
  }
  if (c === '%') {
    const regex = compileRegex(scanner.readRegex());
    return { test: (m) => regex.test(m) };
  }
  const bare = scanner.readUntil('');
  if (!BARE_TERM.test(bare)) throw invalidTerm(bare);
  return { test: (m) => m.includes(bare), literal: bare };
}

/** The message must contain `literal` ('' is in every message). */
const contains = (literal: string | undefined): Prefilter =>
  literal === undefined || literal === '' ? ANY : { kind: 'contains', text: literal };

/** Compiles a pattern of terms; `text` is neither empty nor a JSON or space-delimited pattern. */
export function compileTerms(text: string): CompiledPattern {
  const scanner = new Scanner(text);
  const required: Term[] = [];
  const excluded: Term[] = [];
  const optional: Term[] = [];
  while (!scanner.atEnd()) {
    let bucket = required;
    if (scanner.take('-')) bucket = excluded;
    else if (scanner.take('?')) bucket = optional;
    // A modifier standing alone applies to the next term; a modifier at the end is an error.
    if (bucket !== required && scanner.atEnd()) throw invalidPattern();
    bucket.push(readTerm(scanner));
  }
  const matches = (message: string): boolean =>
    required.every((t) => t.test(message)) &&
    !excluded.some((t) => t.test(message)) &&
    (optional.length === 0 || optional.some((t) => t.test(message)));
  const prefilter = allOf([
    ...required.map((t) => contains(t.literal)),
    // Exclusions are only exact for plain terms; a regex exclusion is left to the matcher.
    ...excluded.flatMap((t): Prefilter[] => (t.literal === undefined ? [] : [{ kind: 'lacks', text: t.literal }])),
    optional.length === 0 ? ANY : oneOf(optional.map((t) => contains(t.literal))),
  ]);
  return { matches, extract: (message) => (matches(message) ? {} : undefined), prefilter };
}
