import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, referencedIds, type MathValue, type Series } from './metric-math.js';

const grid = { start: 0, end: 5 * 60_000, periodMs: 60_000 };
const series = (points: Array<[number, number]>): MathValue => ({
  kind: 'series',
  series: { timestamps: points.map(([t]) => t * 60_000), values: points.map(([, v]) => v), grid },
});
const env: Record<string, MathValue> = {
  a: series([[0, 1], [1, 2], [3, 4]]),
  b: series([[0, 10], [1, 0], [2, 5]]),
};
const run = (text: string): MathValue => evaluate(parseExpression(text, 'e1'), 'e1', (id) => env[id]!);
const points = (v: MathValue) => {
  const s = (v as { series: Series }).series;
  return s.timestamps.map((t, k) => [t / 60_000, s.values[k]]);
};

describe('metric math', () => {
  it('pairs series by timestamp, and leaves out times either lacks and division by zero', () => {
    expect(points(run('a + b'))).toEqual([[0, 11], [1, 2]]);
    expect(points(run('a / b'))).toEqual([[0, 0.1]]);
    expect(points(run('(a + 1) * 2 - -1'))).toEqual([[0, 5], [1, 7], [3, 11]]);
  });

  it('reduces one series to a scalar and an array of series to a series', () => {
    expect(run('AVG(a)')).toEqual({ kind: 'scalar', value: 7 / 3 });
    expect(points(run('a - AVG(a)'))).toEqual([[0, 1 - 7 / 3], [1, 2 - 7 / 3], [3, 4 - 7 / 3]]);
    expect(points(run('SUM([a, b])'))).toEqual([[0, 11], [1, 2], [2, 5], [3, 4]]);
    expect(points(run('MAX([a, b])'))).toEqual([[0, 10], [1, 2], [2, 5], [3, 4]]);
    expect(points(run('MIN([a, b])'))).toEqual([[0, 1], [1, 0], [2, 5], [3, 4]]);
  });

  it('fills the gaps of the query grid with a value, the previous value or a line', () => {
    expect(points(run('FILL(a, 0)'))).toEqual([[0, 1], [1, 2], [2, 0], [3, 4], [4, 0]]);
    expect(points(run('FILL(a, REPEAT)'))).toEqual([[0, 1], [1, 2], [2, 2], [3, 4], [4, 4]]);
    expect(points(run('FILL(a, LINEAR)'))).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
  });

  it('lists the ids an expression uses and refuses what it does not know', () => {
    expect(referencedIds(parseExpression('SUM([m1, m2]) / e_3 * 100', 'x'))).toEqual(['m1', 'm2', 'e_3']);
    expect(() => parseExpression('a +', 'e1')).toThrow(/Error in expression e1/);
    expect(() => parseExpression('ANOMALY_DETECTION_BAND(a)', 'e1')).toThrow(/not supported/);
    expect(() => parseExpression('a b', 'e1')).toThrow(/unexpected 'b'/);
  });

  it('adds series point by point wherever both have a value (property)', () => {
    const pts = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -100, max: 100 })), { selector: ([t]) => t });
    fc.assert(
      fc.property(pts, pts, (x, y) => {
        const sorted = (p: Array<[number, number]>) => [...p].sort((m, n) => m[0] - n[0]);
        const left = series(sorted(x));
        const right = series(sorted(y));
        const result = evaluate(parseExpression('p + q', 'e'), 'e', (id) => (id === 'p' ? left : right));
        const ys = new Map(y);
        const expected = sorted(x).filter(([t]) => ys.has(t)).map(([t, v]) => [t, v + ys.get(t)!]);
        expect(points(result)).toEqual(expected);
      }),
    );
  });
});
