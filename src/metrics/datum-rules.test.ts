import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import { checkDatum, MAX_FUTURE_MS, MAX_PAST_MS } from './datum-rules.js';

const now = new Date('2026-12-06T12:00:00Z');
const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('not refused');
};

describe('a PutMetricData datum', () => {
  it('keeps a single value with its raw value, the request time and 60-second resolution by default', () => {
    const d = checkDatum({ MetricName: 'm', Value: 3, Dimensions: [{ Name: 'b', Value: '2' }, { Name: 'a', Value: '1' }] }, 1, now);
    expect(d).toEqual({
      metricName: 'm',
      dimensions: [{ Name: 'a', Value: '1' }, { Name: 'b', Value: '2' }],
      timestamp: now.getTime(),
      unit: 'None',
      storageResolution: 60,
      samples: { count: 1, sum: 3, min: 3, max: 3, values: [[3, 1]] },
    });
  });

  it('weighs Values by Counts and leaves out values counted zero times', () => {
    const d = checkDatum({ MetricName: 'm', Values: [1, 5, 9], Counts: [2, 0, 1] }, 1, now);
    expect(d.samples).toEqual({ count: 3, sum: 11, min: 1, max: 9, values: [[1, 2], [9, 1]] });
  });

  it('keeps percentiles of a statistic set only when its values are known', () => {
    const equal = checkDatum({ MetricName: 'm', StatisticValues: { SampleCount: 4, Sum: 8, Minimum: 2, Maximum: 2 } }, 1, now);
    expect(equal.samples.values).toEqual([[2, 4]]);
    const spread = checkDatum({ MetricName: 'm', StatisticValues: { SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4 } }, 1, now);
    expect(spread.samples.values).toBeUndefined();
  });

  it('refuses combined value forms, mismatched counts and impossible sets, naming the parameter', () => {
    const both = refusal(() => checkDatum({ MetricName: 'm', Value: 1, Values: [1] }, 2, now));
    expect([both.subject, both.message]).toEqual([
      'combination',
      'The parameters MetricData.member.2.Value and MetricData.member.2.Values are mutually exclusive and you have specified both.',
    ]);
    expect(refusal(() => checkDatum({ MetricName: 'm', Values: [1, 2], Counts: [1] }, 1, now)).subject).toBe('combination');
    expect(refusal(() => checkDatum({ MetricName: 'm' }, 1, now)).subject).toBe('missing');
    expect(refusal(() => checkDatum({ MetricName: 'm', Values: Array<number>(151).fill(1) }, 1, now)).message).toBe(
      'The collection MetricData.member.1.Values must not have a size greater than 150.',
    );
    expect(refusal(() => checkDatum({ MetricName: 'm', Value: 'NaN' }, 1, now)).message).toBe('The value NaN for parameter MetricData.member.1.Value is invalid.');
    expect(refusal(() => checkDatum({ MetricName: 'm', Value: 2 ** 361 }, 1, now)).subject).toBe('parameter');
    const set = { SampleCount: 2, Sum: 3, Minimum: 5, Maximum: 1 };
    expect(refusal(() => checkDatum({ MetricName: 'm', StatisticValues: set }, 1, now)).subject).toBe('combination');
    expect(refusal(() => checkDatum({ MetricName: 'm', Value: 1, StorageResolution: 30 }, 1, now)).message).toMatch(/Valid values are 1 and 60/);
    const dup = [{ Name: 'a', Value: '1' }, { Name: 'a', Value: '2' }];
    expect(refusal(() => checkDatum({ MetricName: 'm', Value: 1, Dimensions: dup }, 1, now)).subject).toBe('parameter');
  });

  it('accepts timestamps from two weeks back to two hours ahead, and nothing beyond', () => {
    const at = (ms: number) => ({ MetricName: 'm', Value: 1, Timestamp: ms / 1000 });
    expect(checkDatum(at(now.getTime() - MAX_PAST_MS), 1, now).timestamp).toBe(now.getTime() - MAX_PAST_MS);
    expect(checkDatum(at(now.getTime() + MAX_FUTURE_MS), 1, now).timestamp).toBe(now.getTime() + MAX_FUTURE_MS);
    expect(refusal(() => checkDatum(at(now.getTime() - MAX_PAST_MS - 1000), 1, now)).message).toMatch(/within the past two weeks/);
    expect(refusal(() => checkDatum(at(now.getTime() + MAX_FUTURE_MS + 1000), 1, now)).message).toMatch(/two hours in the future/);
  });
});
