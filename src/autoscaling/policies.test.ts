import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import { MemoryStore } from '../store/memory-store.js';
import { createApplicationAutoScaling, type ApplicationAutoScaling } from './application-autoscaling.js';
import type { AlarmSpec } from './plan/tracking-alarms.js';
import type { Alarms, EcsServiceTarget } from './ports.js';
import { MAX_POLICIES_PER_TARGET } from './policies.js';

const scope: Scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-06-01T00:00:00Z') };
const ref = { ServiceNamespace: 'ecs', ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount' };
const ecs: EcsServiceTarget = { describe: async () => ({ desiredCount: 1, runningCount: 1, deploymentInProgress: false }), setDesiredCount: async () => {} };
const tracking = (name: string, target = 50) => ({
  ...ref,
  PolicyName: name,
  PolicyType: 'TargetTrackingScaling',
  TargetTrackingScalingPolicyConfiguration: { TargetValue: target, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
});

let alarms: Map<string, AlarmSpec>;
let failing: boolean;
let aas: ApplicationAutoScaling;
const port: Alarms = {
  async put(_s, alarm) {
    if (failing) throw new Error('CloudWatch is unreachable');
    alarms.set(alarm.AlarmName, alarm);
    return `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarm.AlarmName}`;
  },
  async delete(_s, names) {
    for (const n of names) alarms.delete(n);
  },
};

beforeEach(async () => {
  alarms = new Map();
  failing = false;
  aas = createApplicationAutoScaling(new MemoryStore(), { alarms: port, ecs });
  await aas.targets.register(scope, { ...ref, MinCapacity: 1, MaxCapacity: 4 });
});

describe('scaling policies', () => {
  it('keeps the ARN and the alarm names when a policy is updated, with the new threshold', async () => {
    const first = await aas.policies.put(scope, tracking('cpu', 50));
    const second = await aas.policies.put(scope, tracking('cpu', 70));
    expect(second.PolicyARN).toBe(first.PolicyARN);
    expect(second.Alarms).toEqual(first.Alarms);
    expect([...alarms.values()].map((a) => a.Threshold)).toEqual([70, 63]);
  });

  it('answers FailedResourceAccessException when the alarms cannot be made, and stores nothing', async () => {
    failing = true;
    const err = await aas.policies.put(scope, tracking('cpu')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'Unavailable', subject: 'alarms', message: 'Failed to access CloudWatch alarms: CloudWatch is unreachable' });
    expect(await aas.policies.describe(scope, { ServiceNamespace: 'ecs' })).toEqual([]);
  });

  it('deletes on deregistration the alarms target tracking made, never those a step policy was executed by', async () => {
    const made = await aas.policies.put(scope, tracking('cpu'));
    const step = await aas.policies.put(scope, { ...ref, PolicyName: 'errors', PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] } });
    alarms.set('user-alarm', { AlarmName: 'user-alarm' } as AlarmSpec);
    await aas.executor.executePolicy(scope, step.PolicyARN, { name: 'user-alarm', arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:user-alarm', newState: 'ALARM', metricValues: [5], threshold: 1 });
    const [described] = await aas.policies.describe(scope, { ServiceNamespace: 'ecs', PolicyNames: ['errors'] });
    expect(described!.Alarms.map((a) => a.AlarmName)).toEqual(['user-alarm']);
    await aas.targets.deregister(scope, ref);
    expect([...alarms.keys()]).toEqual(['user-alarm']);
    expect(made.Alarms).toHaveLength(2);
  });

  it('refuses the 51st policy of a target with LimitExceeded', async () => {
    for (let i = 0; i < MAX_POLICIES_PER_TARGET; i++) {
      await aas.policies.put(scope, { ...ref, PolicyName: `p${i}`, PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] } });
    }
    await expect(aas.policies.put(scope, tracking('one-too-many'))).rejects.toMatchObject({ kind: 'LimitExceeded' });
    expect(alarms.size).toBe(0);
    // Updating an existing one is not a new policy.
    await aas.policies.put(scope, { ...ref, PolicyName: 'p0', PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ExactCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 3 }] } });
  });

  it('drops the low alarm when scale-in is disabled later, and all alarms when the policy becomes a step policy', async () => {
    await aas.policies.put(scope, tracking('cpu'));
    expect(alarms.size).toBe(2);
    await aas.policies.put(scope, { ...tracking('cpu'), TargetTrackingScalingPolicyConfiguration: { ...tracking('cpu').TargetTrackingScalingPolicyConfiguration, DisableScaleIn: true } });
    expect([...alarms.keys()]).toEqual([expect.stringContaining('-AlarmHigh-')]);
    await aas.policies.put(scope, { ...ref, PolicyName: 'cpu', PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] } });
    expect(alarms.size).toBe(0);
  });

  it('refuses a second update of a target while one waits on CloudWatch, with ConcurrentUpdateException', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: Alarms = { put: async (s, a) => (await gate, port.put(s, a)), delete: port.delete };
    const store = new MemoryStore();
    const racing = createApplicationAutoScaling(store, { alarms: slow, ecs });
    await racing.targets.register(scope, { ...ref, MinCapacity: 1, MaxCapacity: 4 });
    const first = racing.policies.put(scope, tracking('cpu'));
    await expect(racing.policies.put(scope, tracking('cpu'))).rejects.toMatchObject({ kind: 'Conflict' });
    await expect(racing.targets.deregister(scope, ref)).rejects.toMatchObject({ kind: 'Conflict' });
    release();
    await first;
    expect(alarms.size).toBe(2);
    await racing.policies.put(scope, tracking('cpu', 60));
    expect(alarms.size).toBe(2);
  });
});
