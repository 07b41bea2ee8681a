import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../lib/errors.js';
import { compileFilterPattern } from './filter/filter-pattern.js';
import type { Prefilter } from './filter/prefilter.js';
import { jsonPattern, message, termPattern, delimitedPattern } from './filter/patterns.fixtures.js';
import { prefilterSql, sqlitePath } from './prefilter-sql.js';

const db = new Database(':memory:');
afterAll(() => db.close());

/** Whether SQLite lets `message` through the prefilter. */
function passes(prefilter: Prefilter, message: string): boolean {
  const { sql, params } = prefilterSql(prefilter);
  // The condition's parameters come first: it stands before the subquery in the statement.
  const row = db.prepare(`SELECT (${sql}) AS ok FROM (SELECT ? AS message)`).get(...params, message) as { ok: number };
  return row.ok === 1;
}

describe('prefilters in SQLite', () => {
  it('let a document with a repeated key through, since SQLite reads the first where the matcher reads the last', () => {
    for (const [pattern, m] of [
      ['{ $.a != 1 }', '{"a": 1, "a": 2}'],
      ['{ $.a = 2 }', '{"a": 1, "a": 2}'],
      ['{ $.b.a = "x" }', '{"b": {"a": "y", "a": "x"}}'],
    ] as const) {
      const compiled = compileFilterPattern(pattern);
      expect(compiled.matches(m), pattern).toBe(true);
      expect(passes(compiled.prefilter, m), pattern).toBe(true);
    }
    // Without a repeated key the prefilter still rejects.
    expect(passes(compileFilterPattern('{ $.a = 2 }').prefilter, '{"a": 1, "b": 2}')).toBe(false);
  });

  it('never reject a message the pattern matches (JSON, terms, space-delimited)', () => {
    let matched = 0;
    fc.assert(
      fc.property(fc.oneof(jsonPattern, termPattern, delimitedPattern), fc.array(message, { maxLength: 8 }), (pattern, messages) => {
        const compiled = compileFilterPattern(pattern);
        for (const m of messages) {
          if (!compiled.matches(m)) continue;
          matched++;
          expect(passes(compiled.prefilter, m), `${pattern} on ${m}`).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
    // The property only says something if generated patterns often match generated messages.
    expect(matched).toBeGreaterThan(200);
  });

  it('are exact for patterns of plain terms', () => {
    fc.assert(
      fc.property(termPattern.filter((p) => !p.includes('%')), fc.array(message, { maxLength: 8 }), (pattern, messages) => {
        const compiled = compileFilterPattern(pattern);
        for (const m of messages) expect(passes(compiled.prefilter, m), `${pattern} on ${m}`).toBe(compiled.matches(m));
      }),
      { numRuns: 200 },
    );
  });

  it('cut down what JavaScript sees for a selective JSON pattern', () => {
    const compiled = compileFilterPattern('{ $.logType = "ErrorLog" }');
    expect(passes(compiled.prefilter, '{"logType":"InfoLog"}')).toBe(false);
    expect(passes(compiled.prefilter, '{"other":"ErrorLog"}')).toBe(false);
    expect(passes(compiled.prefilter, 'not json ErrorLog')).toBe(false);
    expect(passes(compiled.prefilter, '{"logType":"ErrorLog"}')).toBe(true);
    expect(passes(compiled.prefilter, '{"logType":"Error\\u004cog"}')).toBe(true);
  });
});

describe('compiling any text', () => {
  it('either compiles or fails with an InvalidParameter domain error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `{${s}}`), fc.string().map((s) => `[${s}]`)), (text) => {
        try {
          const compiled = compileFilterPattern(text);
          compiled.matches('some message {"a": 1}');
        } catch (err) {
          expect(isDomainError(err) && err.kind === 'InvalidArgument', String(err)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('sqlitePath', () => {
  it('quotes keys and writes indexes', () => {
    expect(sqlitePath(['a', 0, 'b-c'])).toBe('$."a"[0]."b-c"');
  });
});
