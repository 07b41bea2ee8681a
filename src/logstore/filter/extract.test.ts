import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from './filter-pattern.js';
import { splitFields } from './delimited.js';
import { delimitedPattern, jsonPattern, message, termPattern } from './patterns.fixtures.js';

describe('the values a match binds', () => {
  it('are there exactly when the pattern matches', () => {
    let matched = 0;
    fc.assert(
      fc.property(fc.oneof(jsonPattern, termPattern, delimitedPattern), fc.array(message, { maxLength: 8 }), (pattern, messages) => {
        const compiled = compileFilterPattern(pattern);
        for (const m of messages) {
          const extracted = compiled.extract(m);
          expect(extracted !== undefined, `${pattern} on ${m}`).toBe(compiled.matches(m));
          if (extracted) matched++;
        }
      }),
      { numRuns: 400 },
    );
    expect(matched).toBeGreaterThan(100);
  });

  it('name every field of a space-delimited pattern, with values that are fields of the message', () => {
    fc.assert(
      fc.property(delimitedPattern, fc.array(message, { maxLength: 8 }), (pattern, messages) => {
        const compiled = compileFilterPattern(pattern);
        const names = [...pattern.matchAll(/\b(f\d)\b/g)].map((m) => `$${m[1]}`);
        for (const m of messages) {
          const extracted = compiled.extract(m);
          if (!extracted) continue;
          expect(Object.keys(extracted).sort()).toEqual([...new Set(names)].sort());
          const fields = splitFields(m);
          for (const value of Object.values(extracted)) expect(fields).toContain(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('are the selectors of a JSON pattern that the document has, scalars as text', () => {
    const compiled = compileFilterPattern('{ $.a = 1 || $.b.c IS NULL || $.d[0] = "x" || $.e NOT EXISTS }');
    expect(compiled.extract('{"a": 1, "b": {"c": 2}, "d": ["x"], "f": true}')).toEqual({ '$.a': '1', '$.b.c': '2', '$.d[0]': 'x' });
    expect(compiled.extract('{"a": 2, "b": {"c": null}}')).toEqual({ '$.a': '2', '$.b.c': 'null' });
    expect(compiled.extract('{"a": 2, "b": {"c": 3}, "e": 0}')).toBeUndefined();
  });
});
