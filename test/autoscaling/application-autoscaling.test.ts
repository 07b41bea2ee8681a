import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import { CreateServiceCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmSpec } from '../../src/autoscaling/plan/tracking-alarms.js';
import type { Alarms } from '../../src/autoscaling/ports.js';
import { awsCli } from '../support/aws-cli.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { CreateClusterCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describeService, waitForService } from '../services/service-fixture.js';
import { defaultSubnets } from '../support/default-vpc.js';

/** A Fargate definition larger than this host (16 vCPU, 120 GiB): its tasks are never placed. */
async function registerHuge(ecs: ECSClient): Promise<string> {
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({ family: 'huge', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '16384', memory: '122880', containerDefinitions: [{ name: 'app', image: 'busybox', essential: true }] }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

/** The alarms port as the alarm side will receive it: what it was asked to create and delete. */
class RecordingAlarms implements Alarms {
  readonly alarms = new Map<string, AlarmSpec>();
  readonly deleted: string[] = [];
  async put(scope: { region: string; accountId: string }, alarm: AlarmSpec) {
    this.alarms.set(alarm.AlarmName, alarm);
    return `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:${alarm.AlarmName}`;
  }
  async delete(_scope: unknown, names: readonly string[]) {
    for (const n of names) {
      this.alarms.delete(n);
      this.deleted.push(n);
    }
  }
}

const CLUSTER = 'aas';
const SERVICE = 'web';
const RESOURCE = `service/${CLUSTER}/${SERVICE}`;
const REF = { ServiceNamespace: 'ecs' as const, ResourceId: RESOURCE, ScalableDimension: 'ecs:service:DesiredCount' as const };

const alarms = new RecordingAlarms();
let platform: TestPlatform;
let ecs: ECSClient;
let aas: ApplicationAutoScalingClient;
let home: string;
const cli = (...args: string[]) => awsCli(platform.endpoint, home, ['application-autoscaling', ...args]);

beforeAll(async () => {
  platform = await startTestPlatform({}, { alarms, autoscalingTickMs: 200 });
  ecs = platform.ecs();
  aas = new ApplicationAutoScalingClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey }, maxAttempts: 1 });
  home = mkdtempSync(join(tmpdir(), 'minato-aas-cli-'));
  // A real service whose tasks can never be placed (more memory than this host has): its desired
  // count moves exactly as on AWS, and no container is started.
  const td = await registerHuge(ecs);
  await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: td, desiredCount: 0, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: defaultSubnets() } } }));
}, 60_000);

afterAll(async () => {
  aas?.destroy();
  ecs?.destroy();
  await platform?.dispose();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('Application Auto Scaling against a started platform', () => {
  it('registers a scalable target with the AWS CLI, and a second registration updates it', async () => {
    const first = await cli('register-scalable-target', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount', '--min-capacity', '0', '--max-capacity', '5');
    expect(first.code, first.stderr).toBe(0);
    const arn = JSON.parse(first.stdout).ScalableTargetARN as string;
    expect(arn).toMatch(/^arn:aws:application-autoscaling:us-east-1:\d{12}:scalable-target\/[0-9a-f]+$/);
    const again = await cli('register-scalable-target', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount', '--max-capacity', '8',
      '--role-arn', `arn:aws:iam::${platform.config.accountId}:role/my-scaling-role`);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).ScalableTargetARN).toBe(arn);
    const described = await cli('describe-scalable-targets', '--service-namespace', 'ecs');
    const targets = JSON.parse(described.stdout).ScalableTargets;
    expect(targets).toEqual([
      expect.objectContaining({
        ResourceId: RESOURCE,
        MinCapacity: 0,
        MaxCapacity: 8,
        RoleARN: `arn:aws:iam::${platform.config.accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
        SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
        ScalableTargetARN: arn,
      }),
    ]);

    expect((await cli('tag-resource', '--resource-arn', arn, '--tags', 'team=web,env=test')).code).toBe(0);
    expect((await cli('untag-resource', '--resource-arn', arn, '--tag-keys', 'env')).code).toBe(0);
    expect(JSON.parse((await cli('list-tags-for-resource', '--resource-arn', arn)).stdout)).toEqual({ Tags: { team: 'web' } });
    const missing = await cli('list-tags-for-resource', '--resource-arn', `${arn}0`);
    expect(missing.stderr).toMatch(/ResourceNotFoundException/);
  });

  it('refuses bad input with AWS exceptions and stores nothing', async () => {
    const before = await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }));
    const minOverMax = await cli('register-scalable-target', '--service-namespace', 'ecs', '--resource-id', 'service/aas/other', '--scalable-dimension', 'ecs:service:DesiredCount', '--min-capacity', '5', '--max-capacity', '1');
    expect(minOverMax.stderr).toMatch(/ValidationException.*Minimum capacity cannot be greater than maximum capacity/);
    await expect(aas.send(new RegisterScalableTargetCommand({ ...REF, ResourceId: 'service/aas/nope', MinCapacity: 0, MaxCapacity: 1 }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "ECS service doesn't exist: service/aas/nope",
    });
    await expect(aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/t', ScalableDimension: 'dynamodb:table:ReadCapacityUnits', MinCapacity: 1, MaxCapacity: 2 }))).rejects.toBeInstanceOf(ValidationException);
    expect((await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }))).ScalableTargets).toEqual(before.ScalableTargets);

    const unregistered = aas.send(new PutScalingPolicyCommand({ ...REF, ResourceId: 'service/aas/other', PolicyName: 'p', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } }));
    await expect(unregistered).rejects.toBeInstanceOf(ObjectNotFoundException);
    await expect(unregistered).rejects.toThrow('No scalable target registered for service namespace: ecs, resource ID: service/aas/other, scalable dimension: ecs:service:DesiredCount');
    const overlapping = aas.send(new PutScalingPolicyCommand({ ...REF, PolicyName: 'bad-steps', PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 5, ScalingAdjustment: 2 }] } }));
    await expect(overlapping).rejects.toBeInstanceOf(ValidationException);
    const noLabel = aas.send(new PutScalingPolicyCommand({ ...REF, PolicyName: 'alb', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 100, PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' } } }));
    await expect(noLabel).rejects.toBeInstanceOf(ValidationException);
    expect((await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }))).ScalingPolicies).toEqual([]);
    expect(alarms.alarms.size).toBe(0);

    const badCron = await cli('put-scheduled-action', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount', '--scheduled-action-name', 'bad', '--schedule', 'cron(0 9 * * *)', '--scalable-target-action', 'MinCapacity=1');
    expect(badCron.stderr).toMatch(/ValidationException/);
    const badZone = aas.send(new PutScheduledActionCommand({ ...REF, ScheduledActionName: 'bad', Schedule: 'rate(5 minutes)', Timezone: 'Mars/Olympus', ScalableTargetAction: { MinCapacity: 1 } }));
    await expect(badZone).rejects.toBeInstanceOf(ValidationException);
    expect((await aas.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs' }))).ScheduledActions).toEqual([]);
    const noPolicy = await cli('delete-scaling-policy', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount', '--policy-name', 'ghost');
    expect(noPolicy.stderr).toContain('ObjectNotFoundException');
    expect(noPolicy.stderr).toContain('No scaling policy found for service namespace: ecs, resource ID: service/aas/web, scalable dimension: ecs:service:DesiredCount, policy name: ghost');
  });

  it('creates the alarm pair of a target tracking policy through the alarms port, and executing it scales the real service', async () => {
    const put = await aas.send(
      new PutScalingPolicyCommand({
        ...REF,
        PolicyName: 'cpu',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ScaleOutCooldown: 60, ScaleInCooldown: 120 },
      }),
    );
    expect(put.PolicyARN).toMatch(new RegExp(`^arn:aws:autoscaling:us-east-1:\\d{12}:scalingPolicy:[0-9a-f-]{36}:resource/ecs/${RESOURCE}:policyName/cpu$`));
    const [high, low] = put.Alarms!;
    expect(high!.AlarmName).toMatch(new RegExp(`^TargetTracking-${RESOURCE}-AlarmHigh-[0-9a-f-]{36}$`));
    expect(low!.AlarmName).toBe(high!.AlarmName!.replace('AlarmHigh', 'AlarmLow'));
    expect(alarms.alarms.get(high!.AlarmName!)).toMatchObject({ Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 3, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [put.PolicyARN] });
    expect(alarms.alarms.get(low!.AlarmName!)).toMatchObject({ EvaluationPeriods: 15, DatapointsToAlarm: 15, Threshold: 45, ComparisonOperator: 'LessThanThreshold' });

    const custom = await aas.send(
      new PutScalingPolicyCommand({
        ...REF,
        PolicyName: 'backlog',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 100,
          DisableScaleIn: true,
          CustomizedMetricSpecification: {
            Metrics: [
              { Id: 'm1', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Backlog', Dimensions: [{ Name: 'Queue', Value: 'orders' }] }, Stat: 'Sum' }, ReturnData: false },
              { Id: 'e1', Expression: 'm1 / 2', ReturnData: true },
            ],
          },
        },
      }),
    );
    expect(custom.Alarms).toHaveLength(1);
    expect(alarms.alarms.get(custom.Alarms![0]!.AlarmName!)?.Metrics).toEqual([
      { Id: 'm1', ReturnData: false, MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Backlog', Dimensions: [{ Name: 'Queue', Value: 'orders' }] }, Period: 60, Stat: 'Sum' } },
      { Id: 'e1', Expression: 'm1 / 2', ReturnData: true },
    ]);
    await aas.send(new DeleteScalingPolicyCommand({ ...REF, PolicyName: 'backlog' }));
    expect(alarms.deleted).toEqual([custom.Alarms![0]!.AlarmName]);

    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 2 }));
    const scope = { accountId: platform.config.accountId, region: 'us-east-1', principalArn: `arn:aws:iam::${platform.config.accountId}:root`, now: new Date() };
    const result = await platform.autoscaling.executor.executePolicy(scope, put.PolicyARN!, {
      name: high!.AlarmName!,
      arn: high!.AlarmARN!,
      newState: 'ALARM',
      metricValues: [88, 90, 90],
    });
    expect(result).toMatchObject({ outcome: 'scaled', desiredCount: 4 });
    expect((await describeService(ecs, CLUSTER, SERVICE)).desiredCount).toBe(4);
    const { ScalingActivities } = await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE }));
    expect(ScalingActivities![0]).toMatchObject({
      Description: 'Setting desired count to 4.',
      Cause: `monitor alarm ${high!.AlarmName} in state ALARM triggered policy cpu`,
      StatusCode: 'Successful',
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    expect(ScalingActivities![0]!.StartTime).toBeInstanceOf(Date);

    const described = (await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE }))).ScalingPolicies!;
    expect(described.map((p) => p.PolicyName)).toEqual(['cpu']);
    expect(described[0]!.TargetTrackingScalingPolicyConfiguration).toMatchObject({ TargetValue: 50, ScaleOutCooldown: 60, ScaleInCooldown: 120 });
  });

  it('moves min/max at the scheduled time and the service follows', async () => {
    // Far enough ahead that the CLI (a few seconds to start) sends it before it is due.
    const at = new Date(Date.now() + 8000);
    const stamp = at.toISOString().slice(0, 19);
    const put = await cli('put-scheduled-action', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount',
      '--scheduled-action-name', 'rush', '--schedule', `at(${stamp})`, '--scalable-target-action', 'MinCapacity=6,MaxCapacity=7');
    expect(put.code, put.stderr).toBe(0);
    const listed = (await aas.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs' }))).ScheduledActions!;
    expect(listed).toEqual([expect.objectContaining({ ScheduledActionName: 'rush', Schedule: `at(${stamp})`, ScalableTargetAction: { MinCapacity: 6, MaxCapacity: 7 } })]);
    expect(listed[0]!.ScheduledActionARN).toMatch(/:scheduledAction:[0-9a-f-]{36}:resource\/ecs\/service\/aas\/web:scheduledActionName\/rush$/);
    expect((await describeService(ecs, CLUSTER, SERVICE)).desiredCount).toBe(4);
    await waitForService(ecs, CLUSTER, SERVICE, (s) => s.desiredCount === 6, 25_000);
    const target = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [RESOURCE] }))).ScalableTargets![0]!;
    expect([target.MinCapacity, target.MaxCapacity]).toEqual([6, 7]);
    const { ScalingActivities } = await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs' }));
    expect(ScalingActivities!.slice(0, 2).map((a) => [a.Description, a.Cause])).toEqual([
      ['Setting desired count to 6.', 'scheduled action name rush set min capacity to 6'],
      ['Setting min capacity to 6 and max capacity to 7', 'scheduled action name rush was triggered'],
    ]);
  });

  it('deregisters the target with its policies, their alarms and its scheduled actions', async () => {
    const policies = (await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }))).ScalingPolicies!;
    const names = policies.flatMap((p) => p.Alarms!.map((a) => a.AlarmName!));
    expect(names).toHaveLength(2);
    await aas.send(new DeregisterScalableTargetCommand(REF));
    expect(alarms.alarms.size).toBe(0);
    expect(alarms.deleted).toEqual(expect.arrayContaining(names));
    expect((await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }))).ScalableTargets).toEqual([]);
    expect((await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }))).ScalingPolicies).toEqual([]);
    expect((await aas.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs' }))).ScheduledActions).toEqual([]);
    await expect(aas.send(new DeregisterScalableTargetCommand(REF))).rejects.toBeInstanceOf(ObjectNotFoundException);
  });
});
