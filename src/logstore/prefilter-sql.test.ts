import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../lib/errors.js';
import { compileFilterPattern } from './filter/filter-pattern.js';
import type { Prefilter } from './filter/prefilter.js';
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

// Small alphabets, so that generated patterns and messages often meet.
const KEYS = ['a', 'b', 'c-d', 'e_f'];
const WORDS = ['x', 'xy', 'ab', 'a b', '1', '12', 'true', 'null', '', 'é', 'q"t', 'back\\slash'];

const scalar = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0.5, -1.25, 1e3, 12.0),
  fc.boolean(),
  fc.constant(null),
);
const jsonValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const flat = fc.dictionary(fc.constantFrom(...KEYS), scalar, { minKeys: 2, maxKeys: 4 });
const message = fc.oneof(
  flat.map((o) => JSON.stringify(o)),
  flat.map((o) => JSON.stringify({ ...o, a: [o.b ?? 1, o.a ?? 'x'], b: { a: o.a ?? null, 'c-d': o['c-d'] ?? 2 } })),
  fc.dictionary(fc.constantFrom(...KEYS), jsonValue, { maxKeys: 4 }).map((o) => JSON.stringify(o)),
  fc.dictionary(fc.constantFrom(...KEYS), jsonValue, { maxKeys: 4 }).map((o) => JSON.stringify(o, null, 1)),
  jsonValue.map((v) => JSON.stringify(v)),
  fc.array(fc.constantFrom(...WORDS, 'ERROR', 'WARN', '"x y"', '[a b]', '{', '}'), { maxLength: 6 }).map((w) => w.join(' ')),
  fc.constantFrom('{"a": 1', '{"a": "\\u0078"}', '{"a": 1, "a": 2}', '[1, 2]', 'plain'),
);

const path = fc
  .tuple(fc.constantFrom(...KEYS), fc.option(fc.oneof(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 2 })), { nil: undefined }))
  .map(([k, next]) => `$.${k}${next === undefined ? '' : typeof next === 'number' ? `[${next}]` : `.${next}`}`);
const stringValue = fc.oneof(
  fc.constantFrom('x', 'xy', 'ab', '1', '12', 'true', '*', 'x*', '*y', '*b*', 'é'),
  fc.constantFrom('x', 'a b', '', '*', 'q\\"t', 'x*', '1', '12', 'true', 'false', '-1', '0.5').map((s) => `"${s}"`),
  fc.constantFrom('%x%', '%^a%', '%\\d%'),
);
const numberValue = fc.constantFrom('1', '-1', '12', '0.5', '1e3', '+20', '12.0');
const leaf = fc.oneof(
  fc.tuple(path, fc.constantFrom('=', '!='), stringValue).map(([p, op, v]) => `${p} ${op} ${v}`),
  fc.tuple(path, fc.constantFrom('=', '!=', '<', '<=', '>', '>='), numberValue).map(([p, op, v]) => `${p} ${op} ${v}`),
  fc.tuple(path, fc.constantFrom('IS NULL', 'NOT EXISTS', 'IS TRUE', 'IS FALSE')).map(([p, k]) => `${p} ${k}`),
);
const condition = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.tuple(tie('expr'), fc.constantFrom('&&', '||'), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('expr').map((e) => `(${e})`),
  ),
})).expr;
const jsonPattern = condition.map((c) => `{ ${c} }`);
const termPattern = fc
  .array(fc.tuple(fc.constantFrom('', '-', '?'), fc.constantFrom('ERROR', 'WARN', 'x', 'ab', '"a b"', '"x y"', '""', '%x.%')), {
    minLength: 1,
    maxLength: 4,
  })
  .map((terms) => terms.map(([m, t]) => m + t).join(' '));
const delimitedPattern = fc
  .array(fc.oneof(fc.constant('...'), fc.constantFrom('f1', 'f2 = x*', 'f3 != ab', 'f4 > 1', 'f5 = "a b"', 'f6 = *b*')), {
    minLength: 1,
    maxLength: 4,
  })
  .map((slots) => `[${slots.join(', ')}]`);

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
