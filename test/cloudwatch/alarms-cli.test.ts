import { beforeAll, describe, expect, it } from 'vitest';
import { awsCli, type CliResult } from '../support/aws-cli.js';
import { useCloudWatchFrontDoor } from './cloudwatch-fixture.js';

const fixture = useCloudWatchFrontDoor();
const aws = (...args: string[]) => awsCli(fixture.endpoint(), fixture.dataDir(), ['cloudwatch', ...args]);
const json = (res: CliResult) => {
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout || '{}') as Record<string, unknown>;
};
type Alarm = Record<string, unknown>;
const describeOne = async (name: string, type = 'MetricAlarm'): Promise<Alarm> => {
  const res = json(await aws('describe-alarms', '--alarm-names', name, '--alarm-types', type));
  const list = (type === 'MetricAlarm' ? res.MetricAlarms : res.CompositeAlarms) as Alarm[];
  expect(list).toHaveLength(1);
  return list[0]!;
};

const MIN = 60_000;
// A minute well in the past, so every period the test writes to is complete when evaluated.
const base = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const putCpu = async (at: number, value: number) =>
  json(await aws('put-metric-data', '--namespace', 'Svc', '--metric-name', 'CPU', '--dimensions', 'Service=web', '--value', String(value), '--unit', 'Percent', '--timestamp', iso(at)));

describe('alarms through the AWS CLI (v1, AWS JSON 1.0)', () => {
  beforeAll(async () => {
    json(
      await aws('put-metric-alarm', '--alarm-name', 'cpu-high', '--namespace', 'Svc', '--metric-name', 'CPU', '--dimensions', 'Name=Service,Value=web',
        '--statistic', 'Average', '--period', '60', '--evaluation-periods', '1', '--threshold', '70', '--comparison-operator', 'GreaterThanThreshold',
        '--unit', 'Percent', '--alarm-actions', 'arn:aws:sns:us-east-1:000000000000:ops', '--tags', 'Key=team,Value=web'),
    );
  });

  it('creates an alarm that waits for data, goes OK → ALARM when data breaches and back', async () => {
    expect(await aws('wait', 'alarm-exists', '--alarm-names', 'cpu-high')).toMatchObject({ code: 0 });
    const created = await describeOne('cpu-high');
    // DatapointsToAlarm was not given: CloudWatch leaves it out (Terraform would see a drift otherwise).
    expect(created).not.toHaveProperty('DatapointsToAlarm');
    expect(created).toMatchObject({
      AlarmName: 'cpu-high',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu-high',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      Dimensions: [{ Name: 'Service', Value: 'web' }],
      EvaluationPeriods: 1,
      Threshold: 70,
      TreatMissingData: 'missing',
      ActionsEnabled: true,
    });
    await putCpu(base + 1000, 20);
    await fixture.alarms().evaluate(new Date(base + MIN + 5000));
    expect(await describeOne('cpu-high')).toMatchObject({ StateValue: 'OK' });
    await putCpu(base + MIN + 1000, 90);
    await fixture.alarms().evaluate(new Date(base + 2 * MIN + 5000));
    const alarmed = await describeOne('cpu-high');
    const stamp = new Date(base + MIN).toISOString();
    const short = `${stamp.slice(8, 10)}/${stamp.slice(5, 7)}/${stamp.slice(2, 4)} ${stamp.slice(11, 19)}`;
    expect(alarmed).toMatchObject({ StateValue: 'ALARM', StateReason: `Threshold Crossed: 1 datapoint [90.0 (${short})] was greater than the threshold (70.0).` });
    expect(JSON.parse(alarmed.StateReasonData as string)).toMatchObject({ version: '1.0', statistic: 'Average', unit: 'Percent', period: 60, recentDatapoints: [90], threshold: 70 });
    await putCpu(base + 2 * MIN + 1000, 40);
    await fixture.alarms().evaluate(new Date(base + 3 * MIN + 5000));
    expect(await describeOne('cpu-high')).toMatchObject({ StateValue: 'OK' });

    const history = json(await aws('describe-alarm-history', '--alarm-name', 'cpu-high', '--scan-by', 'TimestampAscending'));
    const items = history.AlarmHistoryItems as Array<Record<string, string>>;
    expect(items.map((h) => [h.HistoryItemType, h.HistorySummary])).toEqual([
      ['ConfigurationUpdate', 'Alarm "cpu-high" created'],
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to OK'],
      ['StateUpdate', 'Alarm updated from OK to ALARM'],
      ['Action', 'Failed to execute action arn:aws:sns:us-east-1:000000000000:ops. Received error: "No handler is registered for this action on this endpoint."'],
      ['StateUpdate', 'Alarm updated from ALARM to OK'],
    ]);
    expect(JSON.parse(items[2]!.HistoryData!)).toMatchObject({ version: '1.0', oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM', stateReasonData: { threshold: 70 } } });
  });

  it('sets state by hand, lets composite alarms follow, tags and deletes', async () => {
    json(await aws('put-composite-alarm', '--alarm-name', 'web-bad', '--alarm-rule', 'ALARM("cpu-high") AND NOT INSUFFICIENT_DATA(cpu-high)'));
    json(await aws('set-alarm-state', '--alarm-name', 'cpu-high', '--state-value', 'ALARM', '--state-reason', 'drill'));
    expect(await describeOne('cpu-high')).toMatchObject({ StateValue: 'ALARM', StateReason: 'drill' });
    expect(await describeOne('web-bad', 'CompositeAlarm')).toMatchObject({ StateValue: 'ALARM', AlarmRule: 'ALARM("cpu-high") AND NOT INSUFFICIENT_DATA(cpu-high)' });
    const parents = json(await aws('describe-alarms', '--parents-of-alarm-name', 'cpu-high'));
    expect((parents.CompositeAlarms as Alarm[]).map((a) => a.AlarmName)).toEqual(['web-bad']);
    // Without --alarm-types, only metric alarms are described.
    const plain = json(await aws('describe-alarms', '--state-value', 'ALARM'));
    expect([(plain.MetricAlarms as Alarm[]).map((a) => a.AlarmName), plain.CompositeAlarms]).toEqual([['cpu-high'], []]);
    const forMetric = json(await aws('describe-alarms-for-metric', '--namespace', 'Svc', '--metric-name', 'CPU', '--dimensions', 'Name=Service,Value=web'));
    expect((forMetric.MetricAlarms as Alarm[]).map((a) => a.AlarmName)).toEqual(['cpu-high']);

    const arn = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu-high';
    json(await aws('tag-resource', '--resource-arn', arn, '--tags', 'Key=tier,Value=1'));
    expect(json(await aws('list-tags-for-resource', '--resource-arn', arn)).Tags).toEqual([{ Key: 'team', Value: 'web' }, { Key: 'tier', Value: '1' }]);
    json(await aws('disable-alarm-actions', '--alarm-names', 'cpu-high'));
    expect(await describeOne('cpu-high')).toMatchObject({ ActionsEnabled: false });

    json(await aws('delete-alarms', '--alarm-names', 'web-bad'));
    expect(json(await aws('describe-alarms', '--alarm-types', 'CompositeAlarm')).CompositeAlarms).toEqual([]);
  });

  it('answers CloudWatch’s errors and stores nothing for bad input', async () => {
    // PutMetricAlarm and PutCompositeAlarm model no parameter errors: CloudWatch answers ValidationError.
    const tooMany = await aws('put-metric-alarm', '--alarm-name', 'bad', '--namespace', 'Svc', '--metric-name', 'CPU', '--statistic', 'Average', '--period', '60',
      '--evaluation-periods', '1', '--datapoints-to-alarm', '2', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold');
    expect(tooMany.stderr).toContain('An error occurred (ValidationError) when calling the PutMetricAlarm operation: DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
    const both = await aws('put-metric-alarm', '--alarm-name', 'bad', '--namespace', 'Svc', '--metric-name', 'CPU', '--statistic', 'Average', '--extended-statistic', 'p99',
      '--period', '60', '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold');
    expect(both.stderr).toContain('(ValidationError) when calling the PutMetricAlarm operation: Exactly one of the parameters Statistic and ExtendedStatistic must be specified.');
    const rule = await aws('put-composite-alarm', '--alarm-name', 'bad', '--alarm-rule', 'ALARM(ghost)');
    expect(rule.stderr).toContain('(ValidationError) when calling the PutCompositeAlarm operation: Could not save the composite alarm as alarms [ghost] in the alarm rule do not exist');
    expect(json(await aws('describe-alarms', '--alarm-names', 'bad', '--alarm-types', 'MetricAlarm', 'CompositeAlarm'))).toEqual({ MetricAlarms: [], CompositeAlarms: [] });
    const missing = await aws('set-alarm-state', '--alarm-name', 'ghost', '--state-value', 'OK', '--state-reason', 'x');
    expect(missing.stderr).toContain('(ResourceNotFound) when calling the SetAlarmState operation: Alarm ghost not found');
    const data = await aws('set-alarm-state', '--alarm-name', 'cpu-high', '--state-value', 'OK', '--state-reason', 'x', '--state-reason-data', '{nope');
    expect(data.stderr).toContain('(InvalidFormat) when calling the SetAlarmState operation: Invalid JSON for StateReasonData.');
  });
});
