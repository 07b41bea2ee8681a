import { invalidParameter } from '../../lib/errors.js';
import type { JsonPath } from '../filter/prefilter.js';
import { readSelector, resolve } from '../filter/json-selector.js';
import { Scanner } from '../filter/scanner.js';

/**
 * A metric filter's transformation, pure: checking `metricValue`, `defaultValue` and `dimensions`
 * against the filter pattern at PutMetricFilter, and turning a matching message into a value and
 * dimensions at ingestion. A field reference is `$.path` (JSON patterns, read from the document)
 * or `$name` (a named field of a space-delimited pattern); a value that is not a number, or a
 * dimension field that is absent, yields no datapoint, as CloudWatch Logs does.
 */

/** The transformation as the API carries it. */
export interface MetricTransformationInput {
  readonly metricName: string;
  readonly metricNamespace: string;
  readonly metricValue: string;
  readonly defaultValue?: number;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly unit?: string;
}

/** Where a value comes from. */
export type FieldRef =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'json'; readonly path: JsonPath }
  | { readonly kind: 'field'; readonly name: string };

/** The kind of pattern a transformation reads fields of. */
export type PatternKind = 'json' | 'delimited' | 'terms';

/** A checked transformation, ready to evaluate. */
export interface Transformation {
  readonly value: FieldRef;
  readonly dimensions: ReadonlyArray<{ readonly name: string; readonly ref: FieldRef }>;
}

/** At most this many dimensions per metric filter. */
export const MAX_DIMENSIONS = 3;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DELIMITED_FIELD = /^\$([\w-]+)$/;

/** Which kind of pattern the text is (as compileFilterPattern decides). */
export function patternKind(pattern: string): PatternKind {
  const text = pattern.trim();
  if (text.startsWith('{')) return 'json';
  if (text.startsWith('[')) return 'delimited';
  return 'terms';
}

/** The names of a space-delimited pattern's fields (`[ip, user, ..., status = 4*]`). */
function delimitedNames(pattern: string): Set<string> {
  const names = new Set<string>();
  for (const part of pattern.trim().slice(1, -1).split(',')) {
    const name = /^\s*\(?\s*([\w-]+)/.exec(part)?.[1];
    if (name) names.add(name);
  }
  return names;
}

function readRef(text: string, kind: PatternKind, names: ReadonlySet<string>, what: string): FieldRef {
  const trimmed = text.trim();
  if (NUMBER.test(trimmed)) return { kind: 'number', value: Number(trimmed) };
  if (trimmed.startsWith('$.')) {
    if (kind !== 'json') throw invalidParameter(`Invalid ${what}: ${text}. JSON selectors can only be used with a JSON filter pattern.`);
    const scanner = new Scanner(trimmed);
    let path: JsonPath;
    try {
      path = readSelector(scanner);
    } catch {
      throw invalidParameter(`Invalid ${what}: ${text}`);
    }
    if (!scanner.atEnd()) throw invalidParameter(`Invalid ${what}: ${text}`);
    return { kind: 'json', path };
  }
  const field = DELIMITED_FIELD.exec(trimmed)?.[1];
  if (field !== undefined) {
    if (kind !== 'delimited' || !names.has(field)) {
      throw invalidParameter(`Invalid ${what}: ${text}. The field must be a named field of the space-delimited filter pattern.`);
    }
    return { kind: 'field', name: field };
  }
  throw invalidParameter(`Invalid ${what}: ${text}`);
}

/** Checks a transformation against its filter pattern (already compiled, so well-formed). */
export function checkTransformation(pattern: string, input: MetricTransformationInput): Transformation {
  if (input.metricNamespace.startsWith('AWS/')) {
    throw invalidParameter(`Invalid metric namespace: ${input.metricNamespace}. Namespaces beginning with AWS/ are reserved for AWS.`);
  }
  if (input.metricName === '' || input.metricNamespace === '') {
    throw invalidParameter('metricName and metricNamespace must not be empty.');
  }
  const kind = patternKind(pattern);
  const names = kind === 'delimited' ? delimitedNames(pattern) : new Set<string>();
  const value = readRef(input.metricValue, kind, names, 'metric value');
  const entries = Object.entries(input.dimensions ?? {});
  if (entries.length > MAX_DIMENSIONS) {
    throw invalidParameter(`A metric filter can have at most ${MAX_DIMENSIONS} dimensions.`);
  }
  const dimensions = entries.map(([name, text]) => {
    const ref = readRef(text, kind, names, 'dimension value');
    if (ref.kind === 'number') throw invalidParameter(`Invalid dimension value: ${text}. A dimension value must be a field of the filter pattern.`);
    return { name, ref };
  });
  return { value, dimensions };
}

/** The text a field reference names in a message, or undefined when it has none. */
function fieldText(ref: FieldRef, document: unknown, fields: Readonly<Record<string, string>>): string | undefined {
  if (ref.kind === 'number') return String(ref.value);
  if (ref.kind === 'field') return fields[`$${ref.name}`];
  const value = resolve(document, ref.path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** What a matching message yields: a value and dimensions, or undefined (no datapoint). */
export function evaluateTransformation(
  t: Transformation,
  message: string,
  fields: Readonly<Record<string, string>>,
): { value: number; dimensions: Array<{ name: string; value: string }> } | undefined {
  const needsDocument = t.value.kind === 'json' || t.dimensions.some((d) => d.ref.kind === 'json');
  let document: unknown;
  if (needsDocument) {
    try {
      document = JSON.parse(message);
    } catch {
      return undefined;
    }
  }
  const text = fieldText(t.value, document, fields);
  if (text === undefined || !NUMBER.test(text.trim())) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const dimensions: Array<{ name: string; value: string }> = [];
  for (const d of t.dimensions) {
    const v = fieldText(d.ref, document, fields);
    if (v === undefined || v === '') return undefined;
    dimensions.push({ name: d.name, value: v });
  }
  return { value, dimensions };
}
