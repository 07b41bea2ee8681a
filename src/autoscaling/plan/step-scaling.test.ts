import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, percentChange, selectStep, stepCapacity, stepsProblem, type Step } from './step-scaling.js';

/** Contiguous steps over the whole line, cut at sorted distinct points. */
const contiguousSteps = fc.uniqueArray(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 6 }).map((cuts) => {
  const points = [...cuts].sort((a, b) => a - b);
  const steps: Step[] = [{ MetricIntervalUpperBound: points[0]!, ScalingAdjustment: -1 }];
  for (let i = 0; i < points.length; i++) {
    steps.push({ MetricIntervalLowerBound: points[i]!, ...(i + 1 < points.length && { MetricIntervalUpperBound: points[i + 1]! }), ScalingAdjustment: i + 1 });
  }
  return steps;
});

describe('step adjustment selection', () => {
  it('finds exactly one step for any breach when the steps cover the line', () => {
    fc.assert(
      fc.property(contiguousSteps, fc.double({ min: -200, max: 200, noNaN: true }), (steps, breach) => {
        expect(stepsProblem(steps)).toBeUndefined();
        const chosen = selectStep(steps, breach)!;
        expect(chosen).toBeDefined();
        const lo = chosen.MetricIntervalLowerBound ?? -Infinity;
        const hi = chosen.MetricIntervalUpperBound ?? Infinity;
        expect(breach >= lo && breach <= hi).toBe(true);
      }),
    );
  });

  it('puts a bound in the step away from the threshold: lower inclusive above it, upper inclusive below it', () => {
    const steps: Step[] = [
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 10, ScalingAdjustment: 3 },
    ];
    expect(selectStep(steps, 0)?.ScalingAdjustment).toBe(1);
    expect(selectStep(steps, 10)?.ScalingAdjustment).toBe(3);
    expect(selectStep(steps, -0.5)).toBeUndefined();
    const down: Step[] = [
      { MetricIntervalUpperBound: -10, ScalingAdjustment: -3 },
      { MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
    ];
    expect(selectStep(down, -10)?.ScalingAdjustment).toBe(-3);
    expect(selectStep(down, 0)).toBeUndefined();
  });

  it('refuses overlaps, gaps and inverted intervals', () => {
    expect(stepsProblem([{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 5, ScalingAdjustment: 2 }])).toMatch(/overlap/);
    expect(stepsProblem([{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 20, ScalingAdjustment: 2 }])).toMatch(/gaps/);
    expect(stepsProblem([{ MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 0, ScalingAdjustment: 1 }])).toMatch(/greater/);
    expect(stepsProblem([{ ScalingAdjustment: 1 }, { ScalingAdjustment: 2 }])).toMatch(/infinite/);
    expect(stepsProblem([])).toMatch(/at least one/);
  });
});

describe('step capacities', () => {
  it('adds, sets, or adds a rounded percentage', () => {
    expect(stepCapacity('ChangeInCapacity', 2, 3)).toBe(5);
    expect(stepCapacity('ExactCapacity', 7, 3)).toBe(7);
    expect(stepCapacity('PercentChangeInCapacity', 50, 3)).toBe(4); // 1.5 → 1
    expect(stepCapacity('PercentChangeInCapacity', 10, 3)).toBe(4); // 0.3 → 1
    expect(stepCapacity('PercentChangeInCapacity', -10, 3)).toBe(2); // -0.3 → -1
    expect(stepCapacity('PercentChangeInCapacity', -50, 5)).toBe(3); // -2.5 → -2
    expect(stepCapacity('PercentChangeInCapacity', 10, 10, 3)).toBe(13); // 1 raised to MinAdjustmentMagnitude
  });

  it('rounds a percent change towards zero, never to zero, and at least the minimum magnitude', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: -100, max: 300 }).filter((p) => p !== 0), fc.integer({ min: 0, max: 5 }), (current, percent, min) => {
        const change = percentChange(current, percent, min);
        const exact = (current * percent) / 100;
        expect(Math.sign(change)).toBe(Math.sign(exact));
        expect(Math.abs(change)).toBeGreaterThanOrEqual(Math.max(1, min));
        if (Math.abs(exact) >= 1) expect(Math.abs(change)).toBeLessThanOrEqual(Math.max(Math.abs(exact), min));
      }),
    );
  });

  it('aggregates datapoints as the policy says', () => {
    expect(aggregate([1, 5, 3])).toBe(3);
    expect(aggregate([1, 5, 3], 'Minimum')).toBe(1);
    expect(aggregate([1, 5, 3], 'Maximum')).toBe(5);
  });
});
