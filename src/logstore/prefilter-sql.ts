import type { JsonPath, JsonPrefilter, Prefilter } from './filter/prefilter.js';

/**
 * Translates a prefilter into an SQLite condition on the `message` column, so that events that
 * cannot match are skipped inside SQLite (with `instr` and the JSON functions) instead of being
 * handed to JavaScript one by one. Every translation is exact or wider than the prefilter, never
 * narrower: the compiled pattern re-checks what gets through.
 */

/** An SQL condition and its positional parameters. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** The SQLite JSON path of a selector path; keys never hold quotes (the selector grammar refuses them). */
export function sqlitePath(path: JsonPath): string {
  return '$' + path.map((step) => (typeof step === 'number' ? `[${step}]` : `."${step}"`)).join('');
}

/** The condition for a prefilter over the column `column`. */
export function prefilterSql(prefilter: Prefilter, column = 'message'): SqlCondition {
  const params: unknown[] = [];
  const sql = message(prefilter, column, params);
  return { sql, params };
}

function message(p: Prefilter, column: string, params: unknown[]): string {
  switch (p.kind) {
    case 'any':
      return '1';
    case 'and':
    case 'or':
      return `(${p.parts.map((part) => message(part, column, params)).join(p.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'contains':
      params.push(p.text);
      return `instr(${column}, ?) > 0`;
    case 'lacks':
      params.push(p.text);
      return `instr(${column}, ?) = 0`;
    case 'json':
      // The JSON functions raise an error on malformed JSON, so they only run on valid documents.
      return `(CASE WHEN json_valid(${column}) THEN ${json(p.test, column, params)} ELSE 0 END)`;
  }
}

/**
 * SQLite's JSON functions read the first of duplicate keys where JavaScript's JSON.parse (and so
 * the matcher) reads the last: a document in which a key of the path appears twice (as a quoted
 * name, the usual spelling) is let through for the matcher to decide.
 */
function json(p: JsonPrefilter, column: string, params: unknown[]): string {
  // Parameters are positional: the test's come first, as it comes first in the condition.
  const test = jsonTest(p, column, params);
  if (!('path' in p)) return test;
  const keys = p.path.filter((step): step is string => typeof step === 'string').map((k) => `"${k}"`);
  const repeated = keys.map((k) => {
    params.push(k, k, k);
    return `instr(substr(${column}, instr(${column}, ?) + length(?)), ?) > 0`;
  });
  return repeated.length === 0 ? test : `(${test} OR ${repeated.join(' OR ')})`;
}

function jsonTest(p: JsonPrefilter, column: string, params: unknown[]): string {
  switch (p.kind) {
    case 'any':
      return '1';
    case 'and':
    case 'or':
      return `(${p.parts.map((part) => json(part, column, params)).join(p.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'type': {
      const path = sqlitePath(p.path);
      const named = p.types.filter((t) => t !== 'missing');
      const tests: string[] = [];
      if (p.types.includes('missing')) {
        params.push(path);
        tests.push(`json_type(${column}, ?) IS NULL`);
      }
      if (named.length > 0) {
        params.push(path, ...named);
        tests.push(`json_type(${column}, ?) IN (${named.map(() => '?').join(', ')})`);
      }
      return tests.length === 0 ? '0' : `(${tests.join(' OR ')})`;
    }
    // One JSON function per test, since each is a lookup into the parsed message. Values of other
    // types may get through (arithmetic turns strings into numbers; arrays and objects come back
    // as their JSON text), which the matcher then rejects; missing values and nulls are SQL NULL,
    // which never gets through, as neither ever matches a comparison.
    case 'text':
      params.push(sqlitePath(p.path), p.value);
      return `json_extract(${column}, ?) ${p.op === '=' ? '=' : '<>'} ?`;
    case 'textContains':
      params.push(sqlitePath(p.path), p.text);
      return `instr(json_extract(${column}, ?), ?) > 0`;
    case 'number': {
      params.push(sqlitePath(p.path), p.value);
      const op = p.op === '!=' ? '<>' : p.op;
      // `* 1.0` compares as doubles, as JavaScript does, so large integers round the same way.
      return `json_extract(${column}, ?) * 1.0 ${op} ?`;
    }
  }
}
