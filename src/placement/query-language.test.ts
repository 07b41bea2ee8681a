import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import { compileFilter, evaluate, formatExpression, parseExpression, parseQueryDate } from './query-language.js';
import { instance } from './testing.js';

/** The example expressions of the ECS developer guide's cluster query language page. */
const GUIDE_EXAMPLES = [
  'attribute:ecs.instance-type == t2.small',
  'attribute:ecs.availability-zone in [us-east-1a, us-east-1b]',
  'attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d',
  'task:group == service:production',
  'not(task:group == database)',
  'runningTasksCount == 1',
  'agentVersion < 1.14.5',
  'registeredAt < 2018-02-13',
  "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
  '(attribute:a == 1 or attribute:b == 2) and attribute:c exists',
];

const g2 = instance('a', { attributes: { 'ecs.instance-type': 'g2.2xlarge', 'ecs.availability-zone': 'us-east-1a' } });
const g2d = instance('b', { attributes: { 'ecs.instance-type': 'g2.2xlarge', 'ecs.availability-zone': 'us-east-1d' } });
const t2 = instance('c', { attributes: { 'ecs.instance-type': 't2.small', 'ecs.availability-zone': 'us-east-1b' } });

describe('cluster query language', () => {
  it('parses every example of the guide and prints it back to an equal tree', () => {
    for (const text of GUIDE_EXAMPLES) {
      const tree = parseExpression(text);
      expect(parseExpression(formatExpression(tree))).toEqual(tree);
    }
  });

  it('selects what the guide says each example selects', () => {
    const compound = compileFilter(GUIDE_EXAMPLES[2]!);
    expect([g2, g2d, t2].map(compound)).toEqual([true, false, false]);
    expect(compileFilter(GUIDE_EXAMPLES[0]!)(t2)).toBe(true);
    expect(compileFilter(GUIDE_EXAMPLES[0]!)(g2)).toBe(false);
    expect([g2, g2d, t2].map(compileFilter(GUIDE_EXAMPLES[1]!))).toEqual([true, false, true]);
    const prod = instance('p', { taskGroups: ['family:x', 'service:production'] });
    expect(compileFilter('task:group == service:production')(prod)).toBe(true);
    expect(compileFilter('task:group == service:production')(t2)).toBe(false);
    const db = instance('d', { taskGroups: ['database'] });
    expect(compileFilter('not(task:group == database)')(db)).toBe(false);
    expect(compileFilter('not(task:group == database)')(prod)).toBe(true);
    expect(compileFilter('runningTasksCount == 1')(instance('r', { runningTasksCount: 1 }))).toBe(true);
    expect(compileFilter('runningTasksCount == 1')(instance('r', { runningTasksCount: 2 }))).toBe(false);
    expect(compileFilter('agentVersion < 1.14.5')(instance('v', { agentVersion: '1.9.0' }))).toBe(true);
    expect(compileFilter('agentVersion < 1.14.5')(instance('v', { agentVersion: '1.14.10' }))).toBe(false);
    expect(compileFilter('registeredAt < 2018-02-13')(instance('t', { registeredAt: Date.UTC(2018, 1, 12, 23, 59) }))).toBe(true);
    expect(compileFilter('registeredAt < 2018-02-13')(instance('t', { registeredAt: Date.UTC(2018, 1, 13) }))).toBe(false);
    const ids = compileFilter(GUIDE_EXAMPLES[8]!);
    expect(ids(instance('abcd1234'))).toBe(true);
    expect(ids(instance('zz'))).toBe(false);
  });

  it('accepts the word forms and symbolic forms of every operator alike', () => {
    const i = instance('w', { attributes: { color: 'green', size: '10' }, agentConnected: false });
    const pairs: [string, string][] = [
      ['attribute:color == green', 'attribute:color equals green'],
      ['attribute:color != red', 'attribute:color not_equals red'],
      ['attribute:size > 9', 'attribute:size greater_than 9'],
      ['attribute:size >= 10', 'attribute:size greater_than_equal 10'],
      ['attribute:size < 100', 'attribute:size less_than 100'],
      ['attribute:size <= 10', 'attribute:size less_than_equal 10'],
      ['attribute:color exists', 'attribute:color exists'],
      ['attribute:shape !exists', 'attribute:shape not_exists'],
      ['attribute:color !in [red, blue]', 'attribute:color not_in [red, blue]'],
      ['attribute:color =~ gr.*', 'attribute:color matches gr.*'],
      ['attribute:color !~ r.*', 'attribute:color not_matches r.*'],
      ['agentConnected == false && attribute:color == green', 'agentConnected equals false and attribute:color == green'],
      ['! attribute:color == red || attribute:size == 1', 'not attribute:color == red or attribute:size == 1'],
    ];
    for (const [symbolic, words] of pairs) {
      expect(parseExpression(words)).toEqual(parseExpression(symbolic));
      expect(evaluate(parseExpression(symbolic), i), symbolic).toBe(true);
    }
  });

  it('refuses patterns with nested repetitions, which could backtrack for ages on every placement', () => {
    expect(() => parseExpression('attribute:ecs.instance-type =~ "(a+)+b"')).toThrow(/nests repetitions/);
    expect(() => parseExpression('attribute:ecs.instance-type =~ "(t2[a-z]*)*"')).toThrow(/nests repetitions/);
    expect(() => parseExpression('attribute:ecs.instance-type =~ t2.*')).not.toThrow();
    expect(() => parseExpression('attribute:ecs.instance-type =~ "(t2|t3).micro"')).not.toThrow();
  });

  it('binds not tighter than and, and tighter than or', () => {
    const i = instance('p', { attributes: { a: '1', b: '2' } });
    // Read as (a==1) or ((b==9) and (a==9)): true; left-to-right without precedence would be false.
    expect(compileFilter('attribute:a == 1 or attribute:b == 9 and attribute:a == 9')(i)).toBe(true);
    expect(compileFilter('(attribute:a == 1 or attribute:b == 9) and attribute:a == 9')(i)).toBe(false);
    expect(compileFilter('not attribute:a == 2 and attribute:b == 2')(i)).toBe(true);
  });

  it('reads expressions written without spaces', () => {
    const i = instance('f', { attributes: { flavor: 'cpu' } });
    expect(compileFilter('attribute:flavor==cpu')(i)).toBe(true);
    expect(compileFilter('attribute:flavor==cpu&&runningTasksCount<1')(i)).toBe(true);
  });

  it('matches whole values with a regular expression, not substrings', () => {
    const i = instance('m', { attributes: { 'ecs.instance-type': 'xt3.large' } });
    expect(compileFilter('attribute:ecs.instance-type =~ t3.*')(i)).toBe(false);
    expect(compileFilter("attribute:ecs.instance-type =~ '(x|y)t3\\..*'")(i)).toBe(true);
  });

  it('compares registeredAt in each documented date format', () => {
    const at = Date.UTC(2018, 5, 18, 22, 28, 28);
    for (const d of ['2018-06-18T22:28:28+00:00', '2018-06-18T22:28:28Z', '2018-06-18T22:28:28']) expect(parseQueryDate(d)?.time).toBe(at);
    expect(parseQueryDate('2018-06-18T23:28:28+01:00')?.time).toBe(at);
    expect(parseQueryDate('2018-02-30')).toBeUndefined();
    const i = instance('t', { registeredAt: at + 500 });
    expect(compileFilter('registeredAt == 2018-06-18T22:28:28Z')(i)).toBe(true);
    expect(compileFilter('registeredAt == 2018-06-18')(i)).toBe(true);
    expect(compileFilter('registeredAt > 2018-06-18T22:28:27Z')(i)).toBe(true);
  });

  it('treats a missing attribute as failing every positive comparison', () => {
    const i = instance('x', { attributes: { flag: undefined } });
    expect(compileFilter('attribute:flag exists')(i)).toBe(true);
    expect(compileFilter('attribute:flag == x')(i)).toBe(false);
    expect(compileFilter('attribute:other == x')(i)).toBe(false);
    expect(compileFilter('attribute:other != x')(i)).toBe(true);
    expect(compileFilter('task:group exists')(i)).toBe(false);
  });

  it('refuses bad syntax with InvalidParameter and the position', () => {
    const bad = [
      '',
      'attribute:a ==',
      'attribute:a == 1 and',
      '(attribute:a == 1',
      'colour == red',
      'attribute:a in red',
      'attribute:a in [red, blue',
      'agentVersion in [1, 2]',
      'agentConnected > true',
      'runningTasksCount == many',
      'registeredAt < yesterday',
      "attribute:a =~ '('",
      'attribute:a == 1 attribute:b == 2',
      'x'.repeat(2001),
    ];
    for (const text of bad) {
      let err: unknown;
      try {
        parseExpression(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(DomainError);
      expect((err as DomainError).subject).toBe('parameter');
    }
  });

  it('round-trips generated expressions through the printer', () => {
    const word = fc.stringMatching(/^[a-z0-9][a-z0-9._:-]{0,8}$/).filter((w) => !/^(and|or|not)$/i.test(w));
    const cmp = fc.oneof(
      fc.tuple(word, fc.constantFrom('==', '!=', '>', '<=', '=~'), word).map(([n, op, v]) => `attribute:${n} ${op} ${v}`),
      fc.tuple(word, fc.array(word, { minLength: 1, maxLength: 3 })).map(([n, vs]) => `attribute:${n} !in [${vs.join(', ')}]`),
      word.map((g) => `task:group == ${g}`),
      fc.nat(50).map((n) => `runningTasksCount >= ${n}`),
    );
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        cmp,
        fc.tuple(tie('e'), fc.constantFrom(' and ', ' or ', ' && ', ' || '), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
        tie('e').map((a) => `not(${a})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (text) => {
        const tree = parseExpression(text);
        expect(parseExpression(formatExpression(tree))).toEqual(tree);
      }),
      { numRuns: 200 },
    );
  });
});
