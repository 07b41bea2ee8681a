import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openMetricService, type MetricService } from '../metric-service.js';
import { describeAlarms } from './alarm-queries.js';
import { AlarmService } from './alarm-service.js';

const T0 = Date.UTC(2026, 11, 6, 18, 0);
const MIN = 60_000;
const scope = (at: number) => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(at) });
const opened: MetricService[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const m of opened.splice(0)) await m.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const open = (file = ':memory:') => {
  const metrics = openMetricService(file);
  opened.push(metrics);
  return { metrics, alarms: new AlarmService(metrics) };
};
const put = (metrics: MetricService, at: number, value: number) =>
  metrics.put(scope(at), { Namespace: 'App', MetricData: [{ MetricName: 'CPU', Dimensions: [{ Name: 'Service', Value: 'web' }], Value: value, Timestamp: at / 1000 }] });
const cpuAlarm = {
  AlarmName: 'cpu-high',
  Namespace: 'App',
  MetricName: 'CPU',
  Dimensions: [{ Name: 'Service', Value: 'web' }],
  Statistic: 'Average',
  Period: 60,
  EvaluationPeriods: 2,
  Threshold: 70,
  ComparisonOperator: 'GreaterThanThreshold',
  AlarmActions: ['arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:p'],
};

describe('AlarmService', () => {
  it('writes no state judged on a configuration or state changed while the round read the data', async () => {
    const { metrics, alarms } = open();
    await alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, AlarmActions: [], EvaluationPeriods: 1 });
    await put(metrics, T0 + 10_000, 90);
    // Another process (or request) changes the alarm while this round reads its data.
    const bucketSums = metrics.store.bucketSums.bind(metrics.store);
    let meanwhile: (() => Promise<unknown>) | undefined = () => alarms.putMetricAlarm(scope(T0 + 30_000), { ...cpuAlarm, AlarmActions: [], EvaluationPeriods: 1, Threshold: 95 });
    metrics.store.bucketSums = async (...args) => {
      const change = meanwhile;
      meanwhile = undefined;
      await change?.();
      return bucketSums(...args);
    };
    const round = await alarms.evaluate(new Date(T0 + MIN + 5000));
    expect(round.changes).toEqual([]);
    expect((await alarms.get(scope(T0), 'cpu-high')).state.value).toBe('INSUFFICIENT_DATA');
    // The next round judges the new configuration; a state set by hand meanwhile is kept likewise.
    expect((await alarms.evaluate(new Date(T0 + MIN + 6000))).changes.map((c) => c.after.value)).toEqual(['OK']);
    // With the threshold at 50 the round would turn it to ALARM, but its state is set meanwhile.
    await alarms.putMetricAlarm(scope(T0 + 50_000), { ...cpuAlarm, AlarmActions: [], EvaluationPeriods: 1, Threshold: 50 });
    meanwhile = () => alarms.setState(scope(T0 + 55_000), 'cpu-high', 'INSUFFICIENT_DATA', 'by hand');
    expect((await alarms.evaluate(new Date(T0 + MIN + 7000))).changes).toEqual([]);
    expect((await alarms.get(scope(T0), 'cpu-high')).state).toMatchObject({ value: 'INSUFFICIENT_DATA', reason: 'by hand' });
    const history = await alarms.store.history({ region: 'us-east-1', name: 'cpu-high', type: 'StateUpdate', ascending: true, limit: 10 });
    expect(history.map((h) => h.summary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to INSUFFICIENT_DATA']);
    expect((await alarms.evaluate(new Date(T0 + MIN + 8000))).changes.map((c) => c.after.value)).toEqual(['ALARM']);
  });

  it('moves a metric alarm OK → ALARM → OK as data breaches and recovers, with history and actions', async () => {
    const { metrics, alarms } = open();
    const executed: string[] = [];
    alarms.registerActionHandler('arn:aws:autoscaling:', async (arn, alarm, state) => void executed.push(`${alarm.name} ${state} ${arn}`));
    await alarms.putMetricAlarm(scope(T0), cpuAlarm);
    expect((await alarms.get(scope(T0), 'cpu-high')).state).toMatchObject({ value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation' });
    await put(metrics, T0 + 10_000, 20);
    await put(metrics, T0 + MIN + 10_000, 30);
    await alarms.evaluate(new Date(T0 + 2 * MIN + 5000));
    expect((await alarms.get(scope(T0), 'cpu-high')).state.value).toBe('OK');
    await put(metrics, T0 + 2 * MIN + 10_000, 90);
    await alarms.evaluate(new Date(T0 + 3 * MIN + 5000));
    expect((await alarms.get(scope(T0), 'cpu-high')).state.value).toBe('OK');
    await put(metrics, T0 + 3 * MIN + 10_000, 95);
    const round = await alarms.evaluate(new Date(T0 + 4 * MIN + 5000));
    expect(round.changes.map((c) => c.after.value)).toEqual(['ALARM']);
    expect((await alarms.get(scope(T0), 'cpu-high')).state.reason).toBe(
      'Threshold Crossed: 2 out of the last 2 datapoints [95.0 (06/12/26 18:03:00), 90.0 (06/12/26 18:02:00)] were greater than the threshold (70.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(executed).toEqual(['cpu-high ALARM arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:p']);
    // Auto Scaling actions are invoked again each minute the alarm stays in ALARM; 10-second rounds do not.
    await put(metrics, T0 + 4 * MIN + 10_000, 99);
    await alarms.evaluate(new Date(T0 + 5 * MIN + 5000), { subMinuteOnly: true });
    await alarms.evaluate(new Date(T0 + 5 * MIN + 5000));
    expect(executed).toHaveLength(2);
    await put(metrics, T0 + 5 * MIN + 10_000, 10);
    await alarms.evaluate(new Date(T0 + 6 * MIN + 5000));
    expect((await alarms.get(scope(T0), 'cpu-high')).state.value).toBe('OK');
    const history = (await alarms.store.history({ region: 'us-east-1', name: 'cpu-high', ascending: true, limit: 100 }));
    expect(history.map((h) => h.summary)).toEqual([
      'Alarm "cpu-high" created',
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
      'Successfully executed action arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:p',
      'Successfully executed action arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:p',
      'Alarm updated from ALARM to OK',
    ]);
  });

  it('records a failed action when no handler owns the ARN, and none when actions are disabled', async () => {
    const { alarms } = open();
    await alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, AlarmActions: ['arn:aws:sns:us-east-1:000000000000:topic'] });
    await alarms.setState(scope(T0 + 1000), 'cpu-high', 'ALARM', 'testing');
    await alarms.setActionsEnabled(scope(T0 + 2000), ['cpu-high'], false);
    await alarms.setState(scope(T0 + 3000), 'cpu-high', 'OK', 'testing');
    await alarms.setState(scope(T0 + 4000), 'cpu-high', 'ALARM', 'testing');
    const actions = (await alarms.store.history({ region: 'us-east-1', type: 'Action', ascending: true, limit: 10 }));
    expect(actions.map((h) => h.summary)).toEqual([
      'Failed to execute action arn:aws:sns:us-east-1:000000000000:topic. Received error: "No handler is registered for this action on this endpoint."',
    ]);
  });

  it('composite alarms follow their children, and keep alarms and state across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minato-alarms-'));
    dirs.push(dir);
    const file = join(dir, 'metrics.db');
    let { metrics, alarms } = open(file);
    await alarms.putMetricAlarm(scope(T0), cpuAlarm);
    await alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, AlarmName: 'mem-high', MetricName: 'Memory' });
    await alarms.putCompositeAlarm(scope(T0), { AlarmName: 'service-bad', AlarmRule: 'ALARM("cpu-high") OR ALARM(mem-high)' });
    expect((await alarms.get(scope(T0), 'service-bad')).state.value).toBe('OK');
    await alarms.setState(scope(T0 + 1000), 'mem-high', 'ALARM', 'testing');
    expect((await alarms.get(scope(T0), 'service-bad')).state).toMatchObject({
      value: 'ALARM',
      reason: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:mem-high transitioned to ALARM at Sunday 06 December, 2026 18:00:01 UTC',
    });
    expect((await describeAlarms(alarms, scope(T0), { ParentsOfAlarmName: 'mem-high' })).alarms.map((a) => a.name)).toEqual(['service-bad']);
    expect((await describeAlarms(alarms, scope(T0), { ChildrenOfAlarmName: 'service-bad' })).alarms.map((a) => a.name)).toEqual(['cpu-high', 'mem-high']);
    await expect(alarms.putCompositeAlarm(scope(T0), { AlarmName: 'x', AlarmRule: 'ALARM(nope)' })).rejects.toThrow('Could not save the composite alarm as alarms [nope] in the alarm rule do not exist');
    await metrics.close();
    opened.length = 0;
    ({ metrics, alarms } = open(file));
    expect((await alarms.get(scope(T0), 'service-bad')).state.value).toBe('ALARM');
    expect((await alarms.get(scope(T0), 'mem-high')).state).toMatchObject({ value: 'ALARM', reason: 'testing' });
    // Data for cpu-high only: mem-high has none and goes to INSUFFICIENT_DATA, the composite to OK.
    await alarms.evaluate(new Date(T0 + 10 * MIN));
    expect((await alarms.get(scope(T0), 'service-bad')).state.value).toBe('OK');
  });

  it('holds a composite state set by hand until a child changes, and deletes composites one at a time, parents first', async () => {
    const { alarms } = open();
    await alarms.putMetricAlarm(scope(T0), cpuAlarm);
    await alarms.putCompositeAlarm(scope(T0), { AlarmName: 'inner', AlarmRule: 'ALARM(cpu-high)' });
    await alarms.putCompositeAlarm(scope(T0), { AlarmName: 'outer', AlarmRule: 'ALARM(inner) OR TRUE' });
    expect((await alarms.get(scope(T0), 'outer')).state.value).toBe('ALARM');
    // A rule changed: the composite is evaluated at once, and its parents follow.
    await alarms.putCompositeAlarm(scope(T0), { AlarmName: 'outer', AlarmRule: 'ALARM(inner)' });
    expect((await alarms.get(scope(T0), 'outer')).state.value).toBe('OK');
    await alarms.putCompositeAlarm(scope(T0), { AlarmName: 'inner', AlarmRule: 'TRUE' });
    expect((await alarms.get(scope(T0), 'outer')).state.value).toBe('ALARM');
    await alarms.putCompositeAlarm(scope(T0), { AlarmName: 'inner', AlarmRule: 'ALARM(cpu-high)' });
    await alarms.setState(scope(T0 + 1000), 'inner', 'ALARM', 'by hand');
    await alarms.evaluate(new Date(T0 + MIN));
    // cpu-high went INSUFFICIENT_DATA → INSUFFICIENT_DATA (no change): inner keeps its state.
    expect((await alarms.get(scope(T0), 'inner')).state).toMatchObject({ value: 'ALARM', reason: 'by hand' });
    await alarms.setState(scope(T0 + 2000), 'cpu-high', 'OK', 'by hand');
    expect((await alarms.get(scope(T0), 'inner')).state.value).toBe('OK');
    await expect(alarms.deleteAlarms(scope(T0), ['inner', 'outer'])).rejects.toThrow('You can delete no more than one composite alarm in one operation.');
    await expect(alarms.deleteAlarms(scope(T0), ['inner'])).rejects.toThrow('The composite alarm inner cannot be deleted: the alarm rule of outer depends on it.');
    expect((await alarms.deleteAlarms(scope(T0), ['outer', 'ghost']))).toEqual(['ghost']);
    expect((await alarms.deleteAlarms(scope(T0), ['inner']))).toEqual([]);
    expect((await alarms.list(scope(T0))).map((a) => a.name)).toEqual(['cpu-high']);
  });

  it('runs a full round once a minute and the sub-minute alarms on the other ticks', async () => {
    const { metrics, alarms } = open();
    await alarms.putMetricAlarm(scope(T0), cpuAlarm);
    await alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, AlarmName: 'fast', Period: 10, EvaluationPeriods: 1 });
    await metrics.put(scope(T0), { Namespace: 'App', MetricData: [{ MetricName: 'CPU', Dimensions: [{ Name: 'Service', Value: 'web' }], Value: 99, Timestamp: (T0 + 1000) / 1000, StorageResolution: 1 }] });
    let now = T0 + 10_000;
    const rounds: number[] = [];
    const evaluate = alarms.evaluate.bind(alarms);
    vi.spyOn(alarms, 'evaluate').mockImplementation(async (at, options) => {
      const result = await evaluate(at, options);
      rounds.push(result.evaluated);
      now += 10_000;
      return result;
    });
    const stop = alarms.start(() => undefined, { clock: () => new Date(now), tickMs: 5 });
    await vi.waitFor(() => expect(rounds.length).toBeGreaterThanOrEqual(7), { timeout: 5000 });
    await stop();
    // T0+10 s: first round, all; then every 10 s the fast one only, until the minute turns at T0+60 s.
    expect(rounds.slice(0, 7)).toEqual([2, 1, 1, 1, 1, 2, 1]);
    // Its one datum breached while in range, then went out of it.
    const fast = (await alarms.store.history({ region: 'us-east-1', name: 'fast', type: 'StateUpdate', ascending: true, limit: 10 }));
    expect(fast.map((h) => h.summary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to INSUFFICIENT_DATA']);
  });

  it('runs its rounds at the marks of the clock, and evaluates an alarm as soon as data for an ended period arrive', async () => {
    vi.useFakeTimers({ now: T0 + 3 * MIN + 59_990 });
    try {
      const { metrics, alarms } = open();
      await alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, AlarmActions: [], EvaluationPeriods: 1 });
      const errors: unknown[] = [];
      const stop = alarms.start((err) => void errors.push(err));
      const state = async () => (await alarms.get(scope(T0), 'cpu-high')).state;
      // The datum of 18:03, before that minute has ended: nothing to judge yet.
      await put(metrics, T0 + 3 * MIN + 30_000, 90);
      await vi.advanceTimersByTimeAsync(1);
      expect((await state()).value).toBe('INSUFFICIENT_DATA');
      // The round of 18:04:00 (a few ms after the mark) judges 18:03.
      await vi.advanceTimersByTimeAsync(20);
      expect((await state())).toMatchObject({ value: 'ALARM', transitionedAt: T0 + 4 * MIN + 5 });
      // At 18:05:00.09 the datum of 18:04 arrives, after that minute's round: judged at once, not at 18:06.
      await vi.advanceTimersByTimeAsync(MIN + 80);
      expect((await state()).value).toBe('ALARM');
      const arrived = Date.now();
      expect(arrived).toBe(T0 + 5 * MIN + 91);
      await put(metrics, T0 + 4 * MIN + 30_000, 10);
      await vi.advanceTimersByTimeAsync(1);
      expect((await state())).toMatchObject({ value: 'OK', transitionedAt: arrived });
      // A datum of the minute under way changes nothing until that minute has ended.
      await put(metrics, T0 + 5 * MIN + 1000, 95);
      await vi.advanceTimersByTimeAsync(1000);
      expect((await state()).value).toBe('OK');
      await stop();
      expect(errors).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses bad input with CloudWatch’s errors and stores nothing', async () => {
    const { alarms } = open();
    await expect(alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, DatapointsToAlarm: 3 })).rejects.toThrow('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
    await expect(alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, ExtendedStatistic: 'p99' })).rejects.toThrow('Exactly one of the parameters Statistic and ExtendedStatistic must be specified.');
    await expect(alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' })).rejects.toThrow(/anomaly detection bands are not served/);
    await expect(alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, Period: 45 })).rejects.toThrow('The parameter Period must be 10, 20, 30, or a multiple of 60.');
    await expect(alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, AlarmActions: ['not-an-arn'] })).rejects.toThrow('Invalid arn syntax: not-an-arn');
    await expect(alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, Period: 300, EvaluationPeriods: 289 })).rejects.toThrow(/must not exceed one day/);
    await expect(alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, Period: 3600, EvaluationPeriods: 169 })).rejects.toThrow(/must not exceed seven days/);
    expect((await alarms.list(scope(T0)))).toEqual([]);
    expect((await alarms.putMetricAlarm(scope(T0), { ...cpuAlarm, Period: 3600, EvaluationPeriods: 168 })).evaluationPeriods).toBe(168);
  });

  it('evaluates metric math alarms on their ReturnData query', async () => {
    const { metrics, alarms } = open();
    await alarms.putMetricAlarm(scope(T0), {
      AlarmName: 'double',
      EvaluationPeriods: 1,
      Threshold: 100,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: [
        { Id: 'cpu', MetricStat: { Metric: { Namespace: 'App', MetricName: 'CPU', Dimensions: [{ Name: 'Service', Value: 'web' }] }, Period: 60, Stat: 'Maximum' }, ReturnData: false },
        { Id: 'twice', Expression: 'cpu * 2' },
      ],
    });
    await put(metrics, T0 + 10_000, 60);
    await alarms.evaluate(new Date(T0 + MIN + 1000));
    expect((await alarms.get(scope(T0), 'double')).state).toMatchObject({ value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [120.0 (06/12/26 18:00:00)] was greater than or equal to the threshold (100.0).' });
    await expect(alarms.putMetricAlarm(scope(T0), { AlarmName: 'bad', EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', Metrics: [{ Id: 'e', Expression: 'x + 1' }] })).rejects.toThrow();
  });
});
