import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from './filter-pattern.js';

// The filter pattern syntax guide's JSON examples, on its sample events.
const TRAIL = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
});
const USERS = JSON.stringify({
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
});

const matches = (pattern: string, message: string) => compileFilterPattern(pattern).matches(message);

describe('JSON patterns: the guide examples', () => {
  it.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ['{ $.eventType = UpdateTrail }', true],
    ['{ $.eventType = "GetTrail" }', false],
    ['{ $.sourceIPAddress != 123.123.* }', true],
    ['{ $.sourceIPAddress != 111.111.* }', false],
    ['{ $.arrayKey[0] = "value" }', true],
    ['{ $.arrayKey[1] = "value" }', false],
    ['{ $.objectList[1].id = 2 }', true],
    ['{ $.objectList[1].id = 1 }', false],
    ['{ $.SomeObject IS NULL }', true],
    ['{ $.eventType IS NULL }', false],
    ['{ $.SomeOtherObject NOT EXISTS }', true],
    ['{ $.SomeObject NOT EXISTS }', false],
    ['{ $.ThisFlag IS TRUE }', true],
    ['{ $.ThisFlag IS FALSE }', false],
    ['{ $.eventType = *Trail }', true],
    ['{ $.eventType = Update* }', true],
    ['{ $.eventType = *date* }', true],
    ['{ $.eventType = Up*Trail }', false],
  ])('%s on the trail event → %s', (pattern, expected) => {
    expect(matches(pattern, TRAIL)).toBe(expected);
  });

  it.each([
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', true],
    ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', false],
    ['{ $.coordinates[2][0] = 7 }', true],
  ])('%s on the users event → %s', (pattern, expected) => {
    expect(matches(pattern, USERS)).toBe(expected);
  });
});

describe('JSON patterns: comparisons', () => {
  const event = JSON.stringify({ latency: 750, code: '404', ratio: 0.25, ok: false, tags: [1, 2, 3], nested: { a: 1 } });

  it('compares numbers with every operator, signs, decimals and exponents', () => {
    expect(matches('{ $.latency >= 500 }', event)).toBe(true);
    expect(matches('{ $.latency > 750 }', event)).toBe(false);
    expect(matches('{ $.latency <= 750 }', event)).toBe(true);
    expect(matches('{ $.latency < 10e3 }', event)).toBe(true);
    expect(matches('{ $.ratio < 10e-3 }', event)).toBe(false);
    expect(matches('{ $.ratio = 0.25 }', event)).toBe(true);
    expect(matches('{ $.latency != 500 }', event)).toBe(true);
    expect(matches('{ $.latency > +700 }', event)).toBe(true);
    expect(matches('{ $.latency > -1 }', event)).toBe(true);
  });

  it('compares numbers only with JSON numbers', () => {
    expect(matches('{ $.code = 404 }', event)).toBe(false);
    expect(matches('{ $.code = "404" }', event)).toBe(true);
    expect(matches('{ $.code > 1 }', event)).toBe(false);
  });

  it('compares strings with numbers and booleans as JSON writes them', () => {
    expect(matches('{ $.latency = "750" }', event)).toBe(true);
    expect(matches('{ $.latency = 7* }', event)).toBe(true);
    expect(matches('{ $.ok = false }', event)).toBe(true);
  });

  it('never matches arrays, objects, null or missing values with = or !=', () => {
    for (const path of ['$.tags', '$.nested', '$.missing', '$.nested.b', '$.tags[5]', '$.code[0]', '$.latency.x']) {
      expect(matches(`{ ${path} = 1 }`, event), path).toBe(false);
      expect(matches(`{ ${path} != 1 }`, event), path).toBe(false);
      expect(matches(`{ ${path} != "x" }`, event), path).toBe(false);
    }
    expect(matches('{ $.x != "a" }', '{"x": null}')).toBe(false);
  });

  it('treats a value of only stars as "any scalar"', () => {
    expect(matches('{ $.latency = * }', event)).toBe(true);
    expect(matches('{ $.code = "*" }', event)).toBe(true);
    expect(matches('{ $.missing = * }', event)).toBe(false);
    expect(matches('{ $.tags = * }', event)).toBe(false);
    expect(matches('{ $.code != * }', event)).toBe(false);
  });

  it('matches %regex% values inside strings', () => {
    expect(matches('{ $.code = %^4\\d\\d$% }', event)).toBe(true);
    expect(matches('{ $.code != %^4% }', event)).toBe(false);
    expect(matches('{ $.latency = %5% }', event)).toBe(true);
  });

  it('reads keys with dashes and underscores, and operators without spaces', () => {
    expect(matches('{$.request-id="r_1"}', '{"request-id":"r_1"}')).toBe(true);
    expect(matches('{ $.a_b.c-d[0]=1 }', '{"a_b":{"c-d":[1]}}')).toBe(true);
  });

  it('accepts lower-case keywords', () => {
    expect(matches('{ $.x is null }', '{"x": null}')).toBe(true);
    expect(matches('{ $.y not exists }', '{"x": null}')).toBe(true);
  });

  it('only matches JSON messages', () => {
    expect(matches('{ $.a NOT EXISTS }', 'plain text')).toBe(false);
    expect(matches('{ $.a NOT EXISTS }', '{"b": 1} trailing')).toBe(false);
    expect(matches('{ $.a NOT EXISTS }', '{"b": 1}')).toBe(true);
  });
});

describe('JSON patterns: malformed', () => {
  it.each([
    '{ $.a = 1',
    '{ }',
    '{ $.a }',
    '{ $.a = }',
    '{ a = 1 }',
    '{ $ = 1 }',
    '{ $. = 1 }',
    '{ $.a[x] = 1 }',
    '{ $.a > "x" }',
    '{ $.a < abc }',
    '{ $.a IS MAYBE }',
    '{ $.a NOT THERE }',
    '{ ($.a = 1 }',
    '{ $.a = 1 && }',
    '{ $.a = 1 $.b = 2 }',
    '{ $.a = "open }',
    '{ $.a = %(x)% }',
  ])('%s is refused', (pattern) => {
    expect(() => compileFilterPattern(pattern)).toThrow(/Invalid|must end with/);
  });

  it('names the missing closing brace', () => {
    expect(() => compileFilterPattern('{ $.a = 1')).toThrow("If a filter pattern starts with '{' it must end with '}'");
  });
});

describe('JSON patterns: prefilter', () => {
  it('asks for the raw text of a string value (or an escape) before any JSON is parsed', () => {
    expect(compileFilterPattern('{ $.logType = "ErrorLog" }').prefilter).toEqual({
      kind: 'and',
      parts: [
        {
          kind: 'or',
          parts: [
            { kind: 'contains', text: 'ErrorLog' },
            { kind: 'contains', text: '\\' },
          ],
        },
        { kind: 'json', test: { kind: 'text', path: ['logType'], op: '=', value: 'ErrorLog' } },
      ],
    });
  });

  it('lets numbers and booleans through where the value could be how JSON writes them', () => {
    expect(compileFilterPattern('{ $.code = "404" }').prefilter).toEqual({
      kind: 'json',
      test: {
        kind: 'or',
        parts: [
          { kind: 'text', path: ['code'], op: '=', value: '404' },
          { kind: 'type', path: ['code'], types: ['integer', 'real', 'true', 'false'] },
        ],
      },
    });
  });

  it('combines conditions as the pattern does', () => {
    expect(compileFilterPattern('{ $.a[0] > 5 && ($.b IS NULL || $.c NOT EXISTS) }').prefilter).toEqual({
      kind: 'json',
      test: {
        kind: 'and',
        parts: [
          { kind: 'number', path: ['a', 0], op: '>', value: 5 },
          {
            kind: 'or',
            parts: [
              { kind: 'type', path: ['b'], types: ['null'] },
              { kind: 'type', path: ['c'], types: ['missing'] },
            ],
          },
        ],
      },
    });
    expect(compileFilterPattern('{ $.b IS NULL && $.c IS TRUE }').prefilter).toMatchObject({
      kind: 'and',
      parts: [{ kind: 'and', parts: [{ kind: 'contains', text: 'null' }, { kind: 'contains', text: 'true' }] }, { kind: 'json' }],
    });
  });
});
