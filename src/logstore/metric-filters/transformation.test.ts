import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from '../filter/filter-pattern.js';
import { checkTransformation, evaluateTransformation, type MetricTransformationInput } from './transformation.js';

const base: MetricTransformationInput = { metricName: 'Errors', metricNamespace: 'App', metricValue: '1' };

/** Checks the transformation and evaluates it on a message the pattern must match. */
function run(pattern: string, input: Partial<MetricTransformationInput>, message: string) {
  const t = checkTransformation(pattern, { ...base, ...input });
  const fields = compileFilterPattern(pattern).extract(message);
  expect(fields).toBeDefined();
  return evaluateTransformation(t, message, fields!);
}

describe('checking a transformation against its pattern', () => {
  it('refuses the AWS/ namespaces', () => {
    expect(() => checkTransformation('ERROR', { ...base, metricNamespace: 'AWS/Logs' })).toThrow(/reserved for AWS/);
  });

  it('refuses a metric value that is neither a number nor a field of the pattern', () => {
    expect(() => checkTransformation('ERROR', { ...base, metricValue: 'one' })).toThrow(/Invalid metric value/);
    expect(() => checkTransformation('[a, b]', { ...base, metricValue: '$c' })).toThrow(/named field/);
    expect(() => checkTransformation('ERROR', { ...base, metricValue: '$.latency' })).toThrow(/JSON filter pattern/);
    expect(() => checkTransformation('{ $.a = 1 }', { ...base, metricValue: '$a' })).toThrow(/named field/);
    expect(() => checkTransformation('{ $.a = 1 }', { ...base, metricValue: '$.a b' })).toThrow(/Invalid metric value/);
  });

  it('allows three dimensions, each a field, and no more', () => {
    const dims = { A: '$.a', B: '$.b', C: '$.c' };
    expect(checkTransformation('{ $.a = * }', { ...base, dimensions: dims }).dimensions).toHaveLength(3);
    expect(() => checkTransformation('{ $.a = * }', { ...base, dimensions: { ...dims, D: '$.d' } })).toThrow(/at most 3/);
    expect(() => checkTransformation('{ $.a = * }', { ...base, dimensions: { A: '7' } })).toThrow(/dimension value/);
  });
});

describe('evaluating a transformation', () => {
  it('reads a JSON value and dimensions from the document', () => {
    const message = '{"latency": 42.5, "service": "api", "region": "eu"}';
    expect(run('{ $.latency > 0 }', { metricValue: '$.latency', dimensions: { Service: '$.service' } }, message)).toEqual({
      value: 42.5,
      dimensions: [{ name: 'Service', value: 'api' }],
    });
  });

  it('reads a named field of a space-delimited pattern', () => {
    expect(run('[ip, user, status, bytes]', { metricValue: '$bytes', dimensions: { Status: '$status' } }, '10.0.0.1 bob 200 1534')).toEqual({
      value: 1534,
      dimensions: [{ name: 'Status', value: '200' }],
    });
  });

  it('skips an event whose value is not a number, or whose dimension is missing', () => {
    expect(run('{ $.latency = * }', { metricValue: '$.latency' }, '{"latency": "slow"}')).toBeUndefined();
    expect(run('[a, b]', { metricValue: '$b' }, 'x -')).toBeUndefined();
    expect(run('{ $.latency = * }', { metricValue: '$.latency', dimensions: { S: '$.service' } }, '{"latency": 3}')).toBeUndefined();
  });

  it('emits the literal value for any match', () => {
    expect(run('ERROR', { metricValue: '2.5' }, 'an ERROR here')).toEqual({ value: 2.5, dimensions: [] });
  });

  it('extracts every finite number a JSON field holds, as written or as a numeric string', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), (n, asString) => {
        const message = JSON.stringify({ v: asString ? String(n) : n });
        const result = run('{ $.v = * }', { metricValue: '$.v' }, message);
        // Numeric equality: JSON and String() both write -0 as 0.
        expect(result !== undefined && result.value === n).toBe(true);
      }),
    );
  });
});
