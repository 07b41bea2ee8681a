import type { CompiledPattern } from './compiled.js';
import { readSelector, resolve } from './json-selector.js';
import {
  allOf,
  allOfJson,
  ANY,
  oneOf,
  oneOfJson,
  type JsonPath,
  type JsonPrefilter,
  type JsonType,
  type Prefilter,
} from './prefilter.js';
import { invalidPattern, Scanner } from './scanner.js';
import { compareNumbers, globMatches, readValue, type ValuePattern } from './values.js';

/**
 * JSON patterns: `{ SELECTOR OPERATOR VALUE }` conditions combined with `&&`, `||` and parentheses
 * (`&&` binds tighter than `||`), plus `IS NULL`, `NOT EXISTS`, `IS TRUE` and `IS FALSE`. They
 * only match messages that are JSON documents.
 *
 * What a comparison applies to, where the guide is silent: a number (`= 400`, `> 1e3`) compares
 * with JSON numbers only; a string (`= "UpdateTrail"`, `!= 123.123.*`) or a `%regex%` with
 * strings, and with numbers and booleans as JSON writes them (`= "404"` matches `404`). A
 * comparison never matches a missing value, `null`, an object or an array: the guide's
 * `{ $.users != 1 }` does not match `{"users": [1, 2, 3]}`.
 */

type Condition =
  | { readonly kind: 'and' | 'or'; readonly parts: readonly Condition[] }
  | { readonly kind: 'compare'; readonly path: JsonPath; readonly op: string; readonly value: ValuePattern }
  | { readonly kind: 'is'; readonly path: JsonPath; readonly what: 'null' | 'true' | 'false' | 'missing' };

/** Compiles a JSON pattern; `text` starts with `{`. */
export function compileJsonPattern(text: string): CompiledPattern {
  const trimmed = text.trim();
  if (!trimmed.endsWith('}')) throw invalidPattern("If a filter pattern starts with '{' it must end with '}'");
  const scanner = new Scanner(trimmed.slice(1, -1));
  const condition = readOr(scanner);
  if (!scanner.atEnd()) throw invalidPattern();
  const selectors = new Map<string, JsonPath>();
  collectPaths(condition, selectors);
  return {
    matches(message: string): boolean {
      const document = parseDocument(message);
      return document !== NOT_JSON && evaluate(condition, document);
    },
    extract(message: string): Record<string, string> | undefined {
      const document = parseDocument(message);
      if (document === NOT_JSON || !evaluate(condition, document)) return undefined;
      const extracted: Record<string, string> = {};
      for (const [text, path] of selectors) {
        const value = resolve(document, path);
        if (value !== undefined) extracted[text] = typeof value === 'string' ? value : JSON.stringify(value);
      }
      return extracted;
    },
    prefilter: allOf([rawText(condition), { kind: 'json', test: prefilterOf(condition) }]),
  };
}

const NOT_JSON = Symbol('not JSON');

function parseDocument(message: string): unknown {
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** The selector text of a path, as a pattern writes it (`$.users[0].id`). */
export function selectorText(path: JsonPath): string {
  return '$' + path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
}

function collectPaths(condition: Condition, into: Map<string, JsonPath>): void {
  if ('parts' in condition) {
    for (const part of condition.parts) collectPaths(part, into);
  } else into.set(selectorText(condition.path), condition.path);
}

function readOr(scanner: Scanner): Condition {
  const parts = [readAnd(scanner)];
  while (scanner.take('||')) parts.push(readAnd(scanner));
  return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
}

function readAnd(scanner: Scanner): Condition {
  const parts = [readUnary(scanner)];
  while (scanner.take('&&')) parts.push(readUnary(scanner));
  return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
}

function readUnary(scanner: Scanner): Condition {
  if (scanner.take('(')) {
    const inner = readOr(scanner);
    scanner.expect(')');
    return inner;
  }
  const path = readSelector(scanner);
  if (scanner.takeKeyword('IS')) {
    for (const what of ['NULL', 'TRUE', 'FALSE'] as const) {
      if (scanner.takeKeyword(what)) return { kind: 'is', path, what: what.toLowerCase() as 'null' | 'true' | 'false' };
    }
    throw invalidPattern();
  }
  if (scanner.takeKeyword('NOT')) {
    if (!scanner.takeKeyword('EXISTS')) throw invalidPattern();
    return { kind: 'is', path, what: 'missing' };
  }
  const op = scanner.takeOperator();
  if (!op) throw invalidPattern();
  const value = readValue(scanner);
  // Ordering operators only make sense with numbers.
  if (op !== '=' && op !== '!=' && value.kind !== 'number') throw invalidPattern();
  return { kind: 'compare', path, op, value };
}

/** A scalar as JSON writes it, for string and regex comparisons. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function evaluate(condition: Condition, document: unknown): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.parts.every((p) => evaluate(p, document));
    case 'or':
      return condition.parts.some((p) => evaluate(p, document));
    case 'is': {
      const value = resolve(document, condition.path);
      if (condition.what === 'missing') return value === undefined;
      if (condition.what === 'null') return value === null;
      return value === (condition.what === 'true');
    }
    case 'compare':
      return compare(condition.op, condition.value, resolve(document, condition.path));
  }
}

function compare(op: string, pattern: ValuePattern, value: unknown): boolean {
  if (pattern.kind === 'number') return typeof value === 'number' && compareNumbers(op, value, pattern.value);
  const text = scalarText(value);
  if (text === undefined) return false;
  const equal = pattern.kind === 'regex' ? pattern.regex.test(text) : globMatches(pattern.glob, text);
  return op === '=' ? equal : !equal;
}

/**
 * Whether a string value could be (part of) how JSON writes a number or a boolean: only then can
 * a number or boolean match it, so only then must a prefilter let numbers and booleans through.
 */
function numberOrBooleanText(text: string): boolean {
  return /^[-+.\deE]+$/.test(text) || 'true'.includes(text) || 'false'.includes(text);
}

/**
 * What the raw message must contain for the condition to hold: a string value the pattern asks
 * for appears as written, unless the message escapes something (then it holds a backslash);
 * `null`, `true` and `false` always appear as written. Tested before any JSON is parsed.
 */
function rawText(condition: Condition): Prefilter {
  switch (condition.kind) {
    case 'and':
      return allOf(condition.parts.map(rawText));
    case 'or':
      return oneOf(condition.parts.map(rawText));
    case 'is':
      return condition.what === 'missing' ? ANY : { kind: 'contains', text: condition.what };
    case 'compare': {
      const { op, value } = condition;
      if (op !== '=' || value.kind !== 'string') return ANY;
      const { literal, anything } = value.glob;
      if (anything || literal === '' || numberOrBooleanText(literal)) return ANY;
      return oneOf([
        { kind: 'contains', text: literal },
        { kind: 'contains', text: '\\' },
      ]);
    }
  }
}

const SCALARS: readonly JsonType[] = ['text', 'integer', 'real', 'true', 'false'];
const NON_STRING_SCALARS: readonly JsonType[] = ['integer', 'real', 'true', 'false'];

function prefilterOf(condition: Condition): JsonPrefilter {
  switch (condition.kind) {
    case 'and':
      return allOfJson(condition.parts.map(prefilterOf));
    case 'or':
      return oneOfJson(condition.parts.map(prefilterOf));
    case 'is':
      return { kind: 'type', path: condition.path, types: [condition.what] };
    case 'compare':
      return comparePrefilter(condition.path, condition.op, condition.value);
  }
}

function comparePrefilter(path: JsonPath, op: string, value: ValuePattern): JsonPrefilter {
  if (value.kind === 'number') return { kind: 'number', path, op: op as '=', value: value.value };
  if (value.kind === 'regex') return { kind: 'type', path, types: SCALARS };
  const { glob } = value;
  if (glob.anything) return { kind: 'type', path, types: op === '=' ? SCALARS : [] };
  // Numbers and booleans are compared as JSON writes them, which a store does not do: when the
  // value could be such text, they get through to the matcher.
  const withOthers = (test: JsonPrefilter): JsonPrefilter =>
    numberOrBooleanText(glob.literal) ? oneOfJson([test, { kind: 'type', path, types: NON_STRING_SCALARS }]) : test;
  if (!glob.leading && !glob.trailing) return withOthers({ kind: 'text', path, op: op as '=', value: glob.literal });
  if (op === '=' && glob.literal !== '') return withOthers({ kind: 'textContains', path, text: glob.literal });
  return { kind: 'type', path, types: SCALARS };
}
