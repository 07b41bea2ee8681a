import type { Prefilter } from './filter/prefilter.js';

/**
 * Translates a prefilter into a PostgreSQL condition on the bytea `message` column (UTF-8), so
 * that events that cannot match are skipped inside the server. Terms become byte searches with
 * `position`, which are case-sensitive, as CloudWatch's terms are; a substring of valid UTF-8 is
 * found as bytes exactly where it is found as characters. JSON tests are not translated: a
 * message would have to be parsed as jsonb, which raises an error on the first event that is not
 * JSON (PostgreSQL 15 has no `IS JSON` test), so they let everything through and the compiled
 * pattern decides. Every translation is exact or wider than the prefilter, never narrower.
 *
 * Parameters are appended to `params` and named by position (`$n`), so the condition can be
 * joined with other conditions of the same query.
 */
export function prefilterPostgres(prefilter: Prefilter, params: unknown[], column = 'message'): string {
  switch (prefilter.kind) {
    case 'any':
    case 'json':
      return 'TRUE';
    case 'and':
    case 'or':
      return `(${prefilter.parts.map((part) => prefilterPostgres(part, params, column)).join(prefilter.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'contains':
    case 'lacks':
      params.push(Buffer.from(prefilter.text, 'utf8'));
      return `position($${params.length}::bytea in ${column}) ${prefilter.kind === 'contains' ? '>' : '='} 0`;
  }
}
