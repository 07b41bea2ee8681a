/**
 * The scaling loop on real CPU: a service's task (runc, a 128-unit CFS quota) burns CPU until a
 * file appears on its host volume. The platform samples its cgroup every second (once a minute by
 * default) into AWS/ECS CPUUtilization, the target tracking policy's high alarm (AWS's 3 of 3
 * one-minute datapoints, unchanged) goes to ALARM and the service scales out; then the load stops
 * and a step policy on a 10-second alarm scales it back in. Scaling goes through the AWS CLI, the
 * measured CPU is read back with a hand-built, SigV4-signed Query request.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateServiceCommand, DeleteServiceCommand, RegisterTaskDefinitionCommand, CreateClusterCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { signedQuery, xmlValues } from '../support/signed-query.js';
import { NETWORK, waitForService } from '../services/service-fixture.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';

const CLUSTER = 'burn';
const SERVICE = 'cpu';
const RESOURCE = `service/${CLUSTER}/${SERVICE}`;
const DIMENSIONS = [`Name=ClusterName,Value=${CLUSTER}`, `Name=ServiceName,Value=${SERVICE}`];

let platform: TestPlatform;
let ecs: ECSClient;
let fixture: ImageFixture;
let home: string;
const control = mkdtempSync(join(tmpdir(), 'minato-burn-'));

const aws = async (...args: string[]) => {
  const res = await awsCli(platform.endpoint, home, args);
  if (res.code !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} failed: ${res.stderr}`);
  return res.stdout.trim() === '' ? {} : (JSON.parse(res.stdout) as Record<string, unknown>);
};

beforeAll(async () => {
  // Utilization readings every second and alarm rounds every second: the periods stay CloudWatch's.
  platform = await startTestPlatform({}, { insightsIntervalMs: 1000, alarmTickMs: 1000 });
  ecs = platform.ecs();
  fixture = await startImageFixture();
  home = mkdtempSync(join(tmpdir(), 'minato-burn-cli-'));
}, 60_000);

afterAll(async () => {
  await ecs?.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE, force: true })).catch(() => undefined);
  ecs?.destroy();
  await fixture?.stop();
  await platform?.dispose();
  if (home) rmSync(home, { recursive: true, force: true });
  rmSync(control, { recursive: true, force: true });
});

/** The service's CloudWatch activity descriptions, oldest first (AWS CLI). */
async function activities(): Promise<string[]> {
  const out = (await aws('application-autoscaling', 'describe-scaling-activities', '--service-namespace', 'ecs', '--resource-id', RESOURCE)) as {
    ScalingActivities?: Array<{ Description?: string; StatusCode?: string }>;
  };
  return (out.ScalingActivities ?? []).filter((a) => a.StatusCode === 'Successful').map((a) => a.Description ?? '').reverse();
}

describe('CPU target tracking on real cgroup samples', () => {
  it('scales a burning service out, then in by a step policy once the load stops', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'burner',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['EC2'],
        cpu: '128',
        memory: '128',
        volumes: [{ name: 'control', host: { sourcePath: control } }],
        containerDefinitions: [
          {
            name: 'app',
            image: fixture.image,
            mountPoints: [{ sourceVolume: 'control', containerPath: '/control' }],
            // Busy until the test writes /control/stop, then idle until SIGTERM.
            command: ['sh', '-c', 'trap "exit 0" TERM; while [ ! -e /control/stop ]; do :; done; while true; do sleep 1; done'],
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: taskDefinition!.taskDefinitionArn!, desiredCount: 1, launchType: 'EC2', networkConfiguration: NETWORK }),
    );
    await waitForService(ecs, CLUSTER, SERVICE, (s) => s.runningCount === 1, 90_000);

    await aws('application-autoscaling', 'register-scalable-target', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount', '--min-capacity', '1', '--max-capacity', '2');
    const tracking = (await aws(
      'application-autoscaling', 'put-scaling-policy', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount',
      '--policy-name', 'cpu50', '--policy-type', 'TargetTrackingScaling',
      '--target-tracking-scaling-policy-configuration',
      JSON.stringify({ TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ScaleOutCooldown: 0, DisableScaleIn: true }),
    )) as { Alarms?: Array<{ AlarmName: string }> };
    const high = tracking.Alarms?.[0]?.AlarmName ?? '';
    expect(high).toMatch(new RegExp(`^TargetTracking-${RESOURCE}-AlarmHigh-`));

    // The high alarm wants 3 of 3 minutes above 50 %; a metric with fewer datapoints than that is
    // judged on those it has (CloudWatch's missing-data rule), so the first complete minute may do.
    const out = await waitForService(ecs, CLUSTER, SERVICE, (s) => s.desiredCount === 2 && s.runningCount === 2, 270_000);
    expect(out.desiredCount).toBe(2);
    expect((await activities()).at(-1)).toMatch(/^Setting desired count to 2\./);
    const highAlarm = (await aws('cloudwatch', 'describe-alarms', '--alarm-names', high)) as { MetricAlarms?: Array<{ StateValue?: string }> };
    expect(highAlarm.MetricAlarms?.[0]?.StateValue).toBe('ALARM');

    // What the alarm saw, read back by a hand-built Query request: the busy task near its quota.
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const stats = await signedQuery(platform.endpoint, 'monitoring', [
      ['Action', 'GetMetricStatistics'],
      ['Version', '2010-08-01'],
      ['Namespace', 'AWS/ECS'],
      ['MetricName', 'CPUUtilization'],
      ['Dimensions.member.1.Name', 'ClusterName'],
      ['Dimensions.member.1.Value', CLUSTER],
      ['Dimensions.member.2.Name', 'ServiceName'],
      ['Dimensions.member.2.Value', SERVICE],
      ['StartTime', new Date(end.getTime() - 180_000).toISOString()],
      ['EndTime', end.toISOString()],
      ['Period', '60'],
      ['Statistics.member.1', 'Maximum'],
    ]);
    expect(stats.status).toBe(200);
    const maxima = xmlValues(stats.text, 'Maximum').map(Number);
    expect(maxima.length).toBeGreaterThan(0);
    // A 128-unit quota lets the loop use about 128 units: about 100 % (CFS accounting wobbles a little).
    for (const m of maxima) expect(m).toBeGreaterThan(60);

    // Scale-in by a step policy on a 10-second alarm (the tracking policy leaves scale-in alone).
    const step = (await aws(
      'application-autoscaling', 'put-scaling-policy', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount',
      '--policy-name', 'idle', '--policy-type', 'StepScaling',
      '--step-scaling-policy-configuration',
      JSON.stringify({ AdjustmentType: 'ChangeInCapacity', Cooldown: 0, MetricAggregationType: 'Average', StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }] }),
    )) as { PolicyARN: string };
    await aws('cloudwatch', 'put-metric-alarm', '--alarm-name', 'cpu-idle', '--namespace', 'AWS/ECS', '--metric-name', 'CPUUtilization', '--dimensions', ...DIMENSIONS,
      '--statistic', 'Average', '--period', '10', '--evaluation-periods', '1', '--threshold', '20', '--comparison-operator', 'LessThanThreshold',
      '--treat-missing-data', 'ignore', '--alarm-actions', step.PolicyARN);
    // Still burning: the alarm must not fire yet.
    await new Promise((r) => setTimeout(r, 15_000));
    expect((await waitForService(ecs, CLUSTER, SERVICE, () => true)).desiredCount).toBe(2);

    writeFileSync(join(control, 'stop'), '');
    const stopped = Date.now();
    const back = await waitForService(ecs, CLUSTER, SERVICE, (s) => s.desiredCount === 1 && s.runningCount === 1, 150_000);
    expect(back.desiredCount).toBe(1);
    expect((Date.now() - stopped) / 1000).toBeLessThan(150);
    expect((await activities()).at(-1)).toMatch(/^Setting desired count to 1\./);
    const history = (await aws('cloudwatch', 'describe-alarm-history', '--alarm-name', 'cpu-idle', '--history-item-type', 'Action')) as { AlarmHistoryItems?: Array<{ HistorySummary?: string }> };
    expect(history.AlarmHistoryItems?.some((h) => h.HistorySummary?.includes('Successfully executed action'))).toBe(true);

    await aws('application-autoscaling', 'deregister-scalable-target', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount');
    await aws('cloudwatch', 'delete-alarms', '--alarm-names', 'cpu-idle');
  }, 540_000);
});
