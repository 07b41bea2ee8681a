import { invalidPattern, type Scanner } from './scanner.js';

/**
 * The right-hand side of a comparison in a JSON or space-delimited pattern (`= "x"`, `> 500`,
 * `= 4*`, `= %regex%`), and how it matches a value.
 */

/** CloudWatch Logs' answer to a term or regex with characters it does not accept. */
export const invalidTerm = (term: string) => invalidPattern(`Invalid character(s) in term '${term}'`);

/**
 * A string value with CloudWatch's wildcards: a `*` at the start or the end matches any text
 * there; a `*` inside the value is a literal star ("Ev*ent will only match the actual string
 * Ev*ent", in the filter pattern syntax guide). A value of only stars matches anything.
 */
export interface Glob {
  readonly literal: string;
  readonly leading: boolean;
  readonly trailing: boolean;
  /** True when the value is only stars. */
  readonly anything: boolean;
}

/** A comparison value: a string (with wildcards), a number, or a regex. */
export type ValuePattern =
  | { readonly kind: 'string'; readonly glob: Glob }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'regex'; readonly regex: RegExp };

/** Splits a string value into its wildcards and literal part. */
export function toGlob(value: string): Glob {
  if (/^\*+$/.test(value)) return { literal: '', leading: true, trailing: true, anything: true };
  const leading = value.startsWith('*');
  const trailing = value.length > 1 && value.endsWith('*');
  const literal = value.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  return { literal, leading, trailing, anything: false };
}

/** Whether `text` matches the wildcard value. */
export function globMatches(glob: Glob, text: string): boolean {
  if (glob.anything) return true;
  if (glob.leading && glob.trailing) return text.includes(glob.literal);
  if (glob.leading) return text.endsWith(glob.literal);
  if (glob.trailing) return text.startsWith(glob.literal);
  return text === glob.literal;
}

// An integer or decimal with an optional sign, optionally in scientific notation.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a pattern literal (or a space-delimited field) spells, or undefined. */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

// Parentheses are documented as unsupported and `%something!%` as rejected; the guide's lists of
// accepted symbols and operators end with "among others", so only these are refused.
const REGEX_REFUSED = /[()!]/;

/** Compiles the body of a `%regex%`; searched anywhere in the text it is applied to. */
export function compileRegex(body: string): RegExp {
  if (body === '' || REGEX_REFUSED.test(body)) throw invalidTerm(`%${body}%`);
  try {
    return new RegExp(body);
  } catch {
    throw invalidTerm(`%${body}%`);
  }
}

/** Characters that end a bare value: the pattern syntax around comparisons. */
const VALUE_STOPS = '(){}[],&|"=!<>';

/** Reads the value after a comparison operator. */
export function readValue(scanner: Scanner): ValuePattern {
  const c = scanner.peek();
  if (c === '"') return { kind: 'string', glob: toGlob(scanner.readQuoted()) };
  if (c === '%') return { kind: 'regex', regex: compileRegex(scanner.readRegex()) };
  const bare = scanner.readUntil(VALUE_STOPS);
  if (bare === '') throw invalidPattern();
  const value = parseNumber(bare);
  return value === undefined ? { kind: 'string', glob: toGlob(bare) } : { kind: 'number', value };
}

/** Compares two numbers as the operator says. */
export function compareNumbers(op: string, left: number, right: number): boolean {
  switch (op) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    default:
      return false;
  }
}
