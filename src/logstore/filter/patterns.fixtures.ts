import fc from 'fast-check';

/**
 * Generators of filter patterns and log messages for property tests, over small alphabets so
 * that generated patterns and messages often meet.
 */

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
export const message = fc.oneof(
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
export const jsonPattern = condition.map((c) => `{ ${c} }`);
export const termPattern = fc
  .array(fc.tuple(fc.constantFrom('', '-', '?'), fc.constantFrom('ERROR', 'WARN', 'x', 'ab', '"a b"', '"x y"', '""', '%x.%')), {
    minLength: 1,
    maxLength: 4,
  })
  .map((terms) => terms.map(([m, t]) => m + t).join(' '));
export const delimitedPattern = fc
  .array(fc.oneof(fc.constant('...'), fc.constantFrom('f1', 'f2 = x*', 'f3 != ab', 'f4 > 1', 'f5 = "a b"', 'f6 = *b*')), {
    minLength: 1,
    maxLength: 4,
  })
  .map((slots) => `[${slots.join(', ')}]`);

