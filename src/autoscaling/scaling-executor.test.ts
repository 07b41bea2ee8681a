import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import type { Scope } from '../lib/scope.js';
import { listActivities } from './activities.js';
import { createApplicationAutoScaling, type ApplicationAutoScaling } from './application-autoscaling.js';
import type { AlarmSpec } from './plan/tracking-alarms.js';
import type { Alarms, EcsServiceState, EcsServiceTarget } from './ports.js';
import { COLLECTIONS, type TargetRecord } from './records.js';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const scopeAt = (ms: number): Scope => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(ms) });
const ref = { ServiceNamespace: 'ecs', ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount' };

class FakeEcs implements EcsServiceTarget {
  state: EcsServiceState = { desiredCount: 2, runningCount: 2, deploymentInProgress: false };
  sets: number[] = [];
  async describe(_scope: Scope, cluster: string, service: string) {
    return cluster === 'prod' && service === 'web' ? { ...this.state } : undefined;
  }
  async setDesiredCount(_scope: Scope, _c: string, _s: string, n: number) {
    this.sets.push(n);
    this.state.desiredCount = n;
  }
}

class FakeAlarms implements Alarms {
  alarms = new Map<string, AlarmSpec>();
  async put(scope: Scope, alarm: AlarmSpec) {
    this.alarms.set(alarm.AlarmName, alarm);
    return `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:${alarm.AlarmName}`;
  }
  async delete(_scope: Scope, names: readonly string[]) {
    for (const n of names) this.alarms.delete(n);
  }
}

let store: MemoryStore;
let ecs: FakeEcs;
let alarms: FakeAlarms;
let aas: ApplicationAutoScaling;

beforeEach(async () => {
  store = new MemoryStore();
  ecs = new FakeEcs();
  alarms = new FakeAlarms();
  aas = createApplicationAutoScaling(store, { alarms, ecs });
  await aas.targets.register(scopeAt(T0), { ...ref, MinCapacity: 1, MaxCapacity: 10 });
});

async function cpuPolicy(name: string, target = 50, extra: object = {}) {
  return aas.policies.put(scopeAt(T0), {
    ...ref,
    PolicyName: name,
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: { TargetValue: target, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ...extra },
  });
}

const fire = (policy: { PolicyARN: string; Alarms: Array<{ AlarmName: string; AlarmARN: string }> }, side: 0 | 1, values: number[] | undefined, at: number, state = 'ALARM') =>
  aas.executor.executePolicy(scopeAt(at), policy.PolicyARN, { name: policy.Alarms[side]!.AlarmName, arn: policy.Alarms[side]!.AlarmARN, newState: state, ...(values && { metricValues: values }) });

describe('target tracking executions', () => {
  it('scales out proportionally, counts the capacity added during the cooldown, and words the activity as AWS', async () => {
    const p = await cpuPolicy('cpu');
    expect([...alarms.alarms.keys()]).toEqual(p.Alarms.map((a) => a.AlarmName));
    expect(await fire(p, 0, [80, 85, 90], T0)).toMatchObject({ outcome: 'scaled', desiredCount: 4 });
    expect(ecs.state.desiredCount).toBe(4);
    // Still 90 % a minute later: the metric has not seen the new tasks yet; from 2 tasks, 4 are enough.
    expect(await fire(p, 0, [90, 90, 90], T0 + 60_000)).toMatchObject({ outcome: 'not-scaled' });
    expect(ecs.state.desiredCount).toBe(4);
    // After the cooldown the new capacity is the base.
    expect(await fire(p, 0, [90, 90, 90], T0 + 301_000)).toMatchObject({ outcome: 'scaled', desiredCount: 8 });
    const [latest] = await listActivities(store, scopeAt(T0), { ServiceNamespace: 'ecs' });
    expect(latest).toMatchObject({
      Description: 'Setting desired count to 8.',
      Cause: `monitor alarm ${p.Alarms[0]!.AlarmName} in state ALARM triggered policy cpu`,
      StatusCode: 'Successful',
      StatusMessage: 'Successfully set desired count to 8. Change successfully fulfilled by ecs.',
    });
  });

  it('never scales on missing data or a state other than ALARM, and clamps to the maximum', async () => {
    const p = await cpuPolicy('cpu');
    expect(await fire(p, 0, undefined, T0)).toEqual({ outcome: 'ignored', reason: 'missing data' });
    expect(await fire(p, 0, [Number.NaN], T0)).toEqual({ outcome: 'ignored', reason: 'missing data' });
    expect(await fire(p, 0, [99], T0, 'OK')).toMatchObject({ outcome: 'ignored' });
    expect(await fire(p, 0, [1000], T0)).toMatchObject({ outcome: 'scaled', desiredCount: 10 });
    expect(ecs.sets).toEqual([10]);
  });

  it('reads datapoints and threshold from CloudWatch reason data', async () => {
    const p = await cpuPolicy('cpu');
    const result = await aas.executor.executePolicy(scopeAt(T0), p.PolicyARN, {
      name: p.Alarms[0]!.AlarmName,
      arn: p.Alarms[0]!.AlarmARN,
      newState: 'ALARM',
      reasonData: JSON.stringify({ version: '1.0', queryDate: '2026-06-01T12:00:00.000+0000', recentDatapoints: [70, 75, 75], threshold: 50 }),
    });
    expect(result).toMatchObject({ outcome: 'scaled', desiredCount: 3 });
  });

  it('scales in only when every target tracking policy asks, and not during a deployment', async () => {
    ecs.state.desiredCount = 10;
    const cpu = await cpuPolicy('cpu');
    const mem = await aas.policies.put(scopeAt(T0), {
      ...ref,
      PolicyName: 'memory',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' } },
    });
    expect(await fire(cpu, 1, [10], T0)).toMatchObject({ outcome: 'not-scaled', reason: 'OtherPoliciesDoNotScaleIn' });
    ecs.state.deploymentInProgress = true;
    expect(await fire(mem, 1, [10], T0 + 1000)).toMatchObject({ outcome: 'not-scaled', reason: 'DeploymentInProgress' });
    ecs.state.deploymentInProgress = false;
    expect(await fire(mem, 1, [10], T0 + 2000)).toMatchObject({ outcome: 'scaled', desiredCount: 9 });
    // The scale-in cooldown holds the next one back.
    expect(await fire(mem, 1, [10], T0 + 3000)).toMatchObject({ outcome: 'not-scaled', reason: 'CooldownInProgress' });
    const notScaled = await listActivities(store, scopeAt(T0), { ServiceNamespace: 'ecs', IncludeNotScaledActivities: true });
    expect(notScaled.map((a) => a.NotScaledReasons?.[0]?.Code).filter(Boolean)).toEqual([]);
    await aas.targets.register(scopeAt(T0), { ...ref, MinCapacity: 2 });
    ecs.state.desiredCount = 2;
    expect(await fire(mem, 1, [10], T0 + 999_000)).toMatchObject({ outcome: 'not-scaled', reason: 'AlreadyAtMinCapacity' });
    const [atMin] = await listActivities(store, scopeAt(T0), { ServiceNamespace: 'ecs', IncludeNotScaledActivities: true });
    expect(atMin).toMatchObject({ StatusCode: 'Failed', NotScaledReasons: [{ Code: 'AlreadyAtMinCapacity', MinCapacity: 2, MaxCapacity: 10, CurrentCapacity: 2 }] });
    expect((await listActivities(store, scopeAt(T0), { ServiceNamespace: 'ecs' })).every((a) => a.NotScaledReasons === undefined)).toBe(true);
  });

  it('respects the suspended states, and a policy without scale-in has no low alarm', async () => {
    const p = await cpuPolicy('cpu', 50, { DisableScaleIn: true });
    expect(p.Alarms).toHaveLength(1);
    await aas.targets.register(scopeAt(T0), { ...ref, SuspendedState: { DynamicScalingOutSuspended: true } });
    expect(await fire(p, 0, [90], T0)).toMatchObject({ outcome: 'not-scaled', reason: 'DynamicScalingOutSuspended' });
  });

  it('deletes the alarms with the policy and with the target', async () => {
    await cpuPolicy('a');
    const b = await cpuPolicy('b');
    await aas.policies.delete(scopeAt(T0), { ...ref, PolicyName: 'a' });
    expect([...alarms.alarms.keys()].sort()).toEqual(b.Alarms.map((x) => x.AlarmName).sort());
    await aas.targets.deregister(scopeAt(T0), ref);
    expect(alarms.alarms.size).toBe(0);
    expect(await aas.policies.describe(scopeAt(T0), { ServiceNamespace: 'ecs' })).toEqual([]);
  });
});

describe('step scaling executions', () => {
  it('picks the step the breach falls in, relative to the alarm threshold', async () => {
    const p = await aas.policies.put(scopeAt(T0), {
      ...ref,
      PolicyName: 'steps',
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        Cooldown: 60,
        MetricAggregationType: 'Maximum',
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 20, ScalingAdjustment: 3 },
        ],
      },
    });
    const alarm = { name: 'high-cpu', arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-cpu', newState: 'ALARM', threshold: 70 };
    expect(await aas.executor.executePolicy(scopeAt(T0), p.PolicyARN, { ...alarm, metricValues: [60, 95] })).toMatchObject({ outcome: 'scaled', desiredCount: 5 });
    expect(await aas.executor.executePolicy(scopeAt(T0 + 61_000), p.PolicyARN, { ...alarm, metricValues: [75] })).toMatchObject({ outcome: 'scaled', desiredCount: 6 });
    const [described] = await aas.policies.describe(scopeAt(T0), { ServiceNamespace: 'ecs' });
    expect(described!.Alarms).toEqual([{ AlarmName: 'high-cpu', AlarmARN: alarm.arn }]);
  });
});

describe('registrations', () => {
  it('scale the service into a new min/max range at once', async () => {
    await aas.targets.register(scopeAt(T0), { ...ref, MinCapacity: 3 });
    expect(ecs.sets).toEqual([3]);
    await aas.targets.register(scopeAt(T0 + 1000), { ...ref, MinCapacity: 1, MaxCapacity: 2 });
    expect(ecs.sets).toEqual([3, 2]);
    const activities = await listActivities(store, scopeAt(T0), { ServiceNamespace: 'ecs' });
    expect(activities.map((a) => [a.Description, a.Cause, a.StatusCode])).toEqual([
      ['Setting desired count to 2.', 'maximum capacity was set to 2', 'Successful'],
      ['Setting desired count to 3.', 'minimum capacity was set to 3', 'Successful'],
    ]);
  });
});

describe('scheduled runs', () => {
  it('runs an action due while the platform was down once, and carries out a change committed before a crash', async () => {
    ecs.state.desiredCount = 0;
    await aas.targets.register(scopeAt(T0), { ...ref, MinCapacity: 0, MaxCapacity: 10 });
    await aas.scheduled.put(scopeAt(T0), { ...ref, ScheduledActionName: 'morning', Schedule: 'cron(0 13 * * ? *)', ScalableTargetAction: { MinCapacity: 3 } });
    await aas.executor.tick(new Date(T0 + 30 * 60_000));
    expect(ecs.sets).toEqual([]);
    // Down from 12:30 to 15:00: the 13:00 run happens once, on the first tick.
    await aas.executor.tick(new Date(T0 + 3 * 3600_000));
    await aas.executor.tick(new Date(T0 + 3 * 3600_000 + 1000));
    expect(ecs.sets).toEqual([3]);
    const activities = await listActivities(store, scopeAt(T0), { ServiceNamespace: 'ecs' });
    expect(activities.map((a) => a.Description)).toEqual(['Setting desired count to 3.', 'Setting min capacity to 3 and max capacity to 10']);
    expect(activities[1]!.Cause).toBe('scheduled action name morning was triggered');
    const [action] = await aas.scheduled.describe(scopeAt(T0), { ServiceNamespace: 'ecs' });
    expect(action!.nextRunAt).toBe(Date.parse('2026-06-02T13:00:00Z'));

    // A desired count committed, then the process died before ECS heard of it: the next start applies it.
    const targets = store.collection<TargetRecord>(COLLECTIONS.targets);
    const [row] = await targets.list();
    await targets.put(row!.key, { ...row!.value, pending: { activityId: activities[0]!.ActivityId, desired: 7 } });
    const restarted = createApplicationAutoScaling(store, { alarms, ecs });
    await restarted.executor.tick(new Date(T0 + 4 * 3600_000));
    await restarted.executor.tick(new Date(T0 + 4 * 3600_000 + 1000));
    expect(ecs.sets).toEqual([3, 7]);
  });

  it('skips runs while scheduled scaling is suspended, but still advances them', async () => {
    await aas.targets.register(scopeAt(T0), { ...ref, SuspendedState: { ScheduledScalingSuspended: true } });
    await aas.scheduled.put(scopeAt(T0), { ...ref, ScheduledActionName: 'x', Schedule: 'rate(1 minute)', ScalableTargetAction: { MinCapacity: 5 } });
    await aas.executor.tick(new Date(T0 + 120_000));
    expect(ecs.sets).toEqual([]);
    const [target] = await aas.targets.describe(scopeAt(T0), 'ecs', undefined, undefined);
    expect(target!.MinCapacity).toBe(1);
  });
});
