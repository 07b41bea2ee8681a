import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ThresholdRule } from './alarm-types.js';
import { evaluateAlarm, javaDouble, minimumSamples, reasonTime, type EvaluatedPoint } from './evaluator.js';

const T0 = Date.UTC(2026, 11, 6, 18, 37);
const MIN = 60_000;
const rule = (over: Partial<ThresholdRule> = {}): ThresholdRule => ({
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  threshold: 70,
  comparison: 'GreaterThanThreshold',
  treatMissingData: 'missing',
  ...over,
});
const context = { queryDate: T0 + 6 * MIN, startDate: T0, statistic: 'Average', period: 60 };
/** Points from a pattern over the 5 periods of the range: a number, or undefined for a gap. */
const points = (values: ReadonlyArray<number | undefined>): EvaluatedPoint[] =>
  values.flatMap((v, i) => (v === undefined ? [] : [{ timestamp: T0 + i * MIN, value: v }]));

describe('evaluateAlarm', () => {
  it('goes to ALARM with CloudWatch’s reason when 3 of the last 3 datapoints breach', () => {
    const v = evaluateAlarm({ points: points([10, 10, 75, 80, 90]), rule: rule(), current: 'OK', context });
    expect(v?.state).toBe('ALARM');
    expect(v?.reason).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [90.0 (06/12/26 18:41:00), 80.0 (06/12/26 18:40:00), 75.0 (06/12/26 18:39:00)] were greater than the threshold (70.0) (minimum 3 datapoints for OK -> ALARM transition).',
    );
    const data = JSON.parse(v!.reasonData) as Record<string, unknown>;
    expect(data).toMatchObject({ version: '1.0', statistic: 'Average', period: 60, recentDatapoints: [75, 80, 90], threshold: 70, startDate: '2026-12-06T18:37:00.000+0000' });
  });

  it('words a single datapoint and the way back to OK', () => {
    const one = rule({ evaluationPeriods: 1, datapointsToAlarm: 1 });
    expect(evaluateAlarm({ points: points([50]), rule: one, current: 'ALARM', context })?.reason).toBe(
      'Threshold Crossed: 1 datapoint [50.0 (06/12/26 18:37:00)] was not greater than the threshold (70.0).',
    );
    const v = evaluateAlarm({ points: points([80, 10, 75]), rule: rule({ datapointsToAlarm: 2 }), current: 'ALARM', context });
    expect(v?.state).toBe('ALARM');
    const ok = evaluateAlarm({ points: points([80, 10, 5]), rule: rule({ datapointsToAlarm: 2 }), current: 'ALARM', context });
    expect(ok?.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [5.0 (06/12/26 18:39:00), 10.0 (06/12/26 18:38:00)] were not greater than the threshold (70.0) (minimum 2 datapoints for ALARM -> OK transition).',
    );
  });

  // CloudWatch's table for 3 of 3 over a range of 5 ("0" fine, "X" breaching, "-" missing).
  it.each([
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'keep', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - X - -', 'ALARM', 'keep', 'ALARM', 'OK'],
  ])('treats missing data as CloudWatch’s table says: %s', (pattern, missing, ignore, breaching, notBreaching) => {
    const values = pattern.split(' ').map((c) => (c === '-' ? undefined : c === 'X' ? 100 : 0));
    const expected = { missing, ignore, breaching, notBreaching } as const;
    for (const [treat, want] of Object.entries(expected)) {
      const v = evaluateAlarm({ points: points(values), rule: rule({ treatMissingData: treat as ThresholdRule['treatMissingData'] }), current: 'INSUFFICIENT_DATA', context });
      expect(v?.state ?? 'keep', `${pattern} ${treat}`).toBe(want);
    }
  });

  it('names the missing datapoints when none arrived', () => {
    expect(evaluateAlarm({ points: [], rule: rule(), current: 'OK', context })?.reason).toBe('Insufficient Data: 3 datapoints were unknown.');
    expect(evaluateAlarm({ points: [], rule: rule({ treatMissingData: 'breaching', evaluationPeriods: 1, datapointsToAlarm: 1 }), current: 'OK', context })?.reason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].',
    );
  });

  it('keeps the state for low-sample percentile datapoints when told to ignore them', () => {
    const low = [{ timestamp: T0, value: 99, sampleCount: 5 }];
    const r = rule({ evaluationPeriods: 1, datapointsToAlarm: 1, evaluateLowSampleCountPercentile: 'ignore' });
    expect(evaluateAlarm({ points: low, rule: r, current: 'OK', context, percentile: 99 })).toBeUndefined();
    expect(evaluateAlarm({ points: low, rule: { ...r, evaluateLowSampleCountPercentile: 'evaluate' }, current: 'OK', context, percentile: 99 })?.state).toBe('ALARM');
    expect(minimumSamples(99)).toBe(100);
    expect(minimumSamples(50)).toBe(2);
  });

  it('M of N: with N real datapoints, ALARM exactly when at least M of the last N breach', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }), fc.array(fc.boolean(), { minLength: n, maxLength: n + 2 }))),
        fc.constantFrom('missing', 'ignore', 'breaching', 'notBreaching' as const),
        ([n, m, flags], treat) => {
          const pts = flags.map((b, i) => ({ timestamp: T0 + i * MIN, value: b ? 100 : 0 }));
          const v = evaluateAlarm({ points: pts, rule: rule({ evaluationPeriods: n, datapointsToAlarm: m, treatMissingData: treat }), current: 'INSUFFICIENT_DATA', context });
          const breaching = flags.slice(-n).filter(Boolean).length;
          expect(v?.state).toBe(breaching >= m ? 'ALARM' : 'OK');
        },
      ),
    );
  });

  it('gaps never make breaching fill less alarming than notBreaching fill', () => {
    const order = { OK: 0, INSUFFICIENT_DATA: 0, ALARM: 1 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.option(fc.boolean(), { nil: undefined }), { minLength: 0, maxLength: 8 }), (n, flags) => {
        const pts = points(flags.map((b) => (b === undefined ? undefined : b ? 100 : 0)));
        const run = (t: ThresholdRule['treatMissingData']) => evaluateAlarm({ points: pts, rule: rule({ evaluationPeriods: n, datapointsToAlarm: n, treatMissingData: t }), current: 'OK', context })!;
        expect(order[run('breaching').state]).toBeGreaterThanOrEqual(order[run('notBreaching').state]);
      }),
    );
  });

  it('prints numbers and times as CloudWatch does', () => {
    expect(javaDouble(70)).toBe('70.0');
    expect(javaDouble(0.25)).toBe('0.25');
    expect(reasonTime(T0)).toBe('06/12/26 18:37:00');
  });
});
