/**
 * The metrics of a real service behind an application load balancer (HAProxy in front of runc
 * tasks), published by the platform every second here (ELB's period, 60 s, by default) and read
 * back with the AWS CLI; and Application Auto Scaling's ALBRequestCountPerTarget target tracking
 * scaling the service out while a bounded client (loopback only) sends requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CreateServiceCommand, DeleteServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { NETWORK, registerFargate, waitForService } from '../services/service-fixture.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { albWithTargetGroup, elbClient, get, steadyLoad, targetHealth, until, webContainer } from './traffic-fixture.js';

const C = 'albmetrics';
let platform: TestPlatform;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let fixture: ImageFixture;
let home: string;

beforeAll(async () => {
  platform = await startTestPlatform({}, { loadBalancerMetricsIntervalMs: 1000 });
  ecs = platform.ecs();
  elb = elbClient(platform);
  fixture = await startImageFixture();
  home = mkdtempSync(join(tmpdir(), 'minato-alb-metrics-cli-'));
}, 120_000);
afterAll(async () => {
  elb?.destroy();
  ecs?.destroy();
  await fixture?.stop();
  await platform?.dispose();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A Fargate service of `count` web tasks behind a fresh ALB; waits until every target is healthy. */
async function webService(name: string, count: number) {
  const taskDefinition = await registerFargate(ecs, C, name, [webContainer(fixture.image, name)]);
  const alb = await albWithTargetGroup(elb, name);
  await ecs.send(
    new CreateServiceCommand({
      cluster: C, serviceName: name, taskDefinition, desiredCount: count, launchType: 'FARGATE', networkConfiguration: NETWORK,
      loadBalancers: [{ targetGroupArn: alb.tgArn, containerName: 'web', containerPort: 8080 }], healthCheckGracePeriodSeconds: 30,
    }),
  );
  await waitForService(ecs, C, name, (s) => s.runningCount === count, 120_000);
  await until('targets healthy', () => targetHealth(elb, alb.tgArn), (t) => t.length === count && t.every((d) => d.TargetHealth?.State === 'healthy'));
  const lbDimension = alb.lbArn.slice(alb.lbArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
  const tgDimension = alb.tgArn.slice(alb.tgArn.lastIndexOf(':') + 1);
  return { ...alb, lbDimension, tgDimension, url: `http://${alb.dnsName}/` };
}

/** Every query's values summed over the last few minutes, through `aws cloudwatch get-metric-data`. */
async function sums(queries: Array<{ id: string; metric: string; dims: Record<string, string>; stat: string }>): Promise<Record<string, number>> {
  const now = Math.floor(Date.now() / 1000);
  const body = queries.map((q) => ({
    Id: q.id,
    MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: q.metric, Dimensions: Object.entries(q.dims).map(([Name, Value]) => ({ Name, Value })) }, Period: 60, Stat: q.stat },
  }));
  const res = await awsCli(platform.endpoint, home, [
    'cloudwatch', 'get-metric-data', '--start-time', String(now - 600), '--end-time', String(now + 60), '--metric-data-queries', JSON.stringify(body),
  ]);
  expect(res.code, res.stderr).toBe(0);
  const out = JSON.parse(res.stdout) as { MetricDataResults: Array<{ Id: string; Values: number[] }> };
  return Object.fromEntries(out.MetricDataResults.map((r) => [r.Id, r.Values.reduce((s, v) => s + v, 0)]));
}

describe('AWS/ApplicationELB metrics of a service behind an ALB', () => {
  it('counts the N requests sent, per target and by the targets’ codes, and the healthy hosts', async () => {
    const web = await webService('counted', 2);
    const N = 120;
    const agent = new Agent({ keepAlive: true });
    for (let i = 0; i < N; i++) expect((await get(web.url, agent)).status).toBe(200);
    agent.destroy();
    const lb = { LoadBalancer: web.lbDimension };
    const tg = { TargetGroup: web.tgDimension };
    const both = { ...tg, ...lb };
    const queries = [
      { id: 'requests', metric: 'RequestCount', dims: lb, stat: 'Sum' },
      { id: 'grouprequests', metric: 'RequestCount', dims: both, stat: 'Sum' },
      { id: 'pertarget', metric: 'RequestCountPerTarget', dims: tg, stat: 'Sum' },
      { id: 'pertargetlb', metric: 'RequestCountPerTarget', dims: both, stat: 'Sum' },
      { id: 'ok', metric: 'HTTPCode_Target_2XX_Count', dims: both, stat: 'Sum' },
      { id: 'healthy', metric: 'HealthyHostCount', dims: both, stat: 'Maximum' },
      { id: 'unhealthy', metric: 'UnHealthyHostCount', dims: both, stat: 'Maximum' },
      { id: 'answered', metric: 'TargetResponseTime', dims: lb, stat: 'SampleCount' },
    ];
    const got = await until('the requests counted', () => sums(queries), (v) => v.requests === N && v.ok === N, 30_000);
    expect(got).toMatchObject({ requests: N, grouprequests: N, ok: N, healthy: 2, unhealthy: 0, answered: N });
    // Two healthy targets: each got half of the group's requests on average.
    expect(got.pertarget).toBeCloseTo(N / 2);
    expect(got.pertargetlb).toBeCloseTo(N / 2);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'counted', force: true }));
  }, 240_000);
});

describe('ALBRequestCountPerTarget target tracking', () => {
  it('scales the service out while a bounded client sends more requests per target than the target value', async () => {
    const web = await webService('tracked', 1);
    const aas = new ApplicationAutoScalingClient({
      endpoint: platform.endpoint, region: 'us-east-1', maxAttempts: 1,
      credentials: { accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey },
    });
    const ref = { ServiceNamespace: 'ecs' as const, ResourceId: `service/${C}/tracked`, ScalableDimension: 'ecs:service:DesiredCount' as const };
    await aas.send(new RegisterScalableTargetCommand({ ...ref, MinCapacity: 1, MaxCapacity: 3 }));
    await aas.send(
      new PutScalingPolicyCommand({
        ...ref,
        PolicyName: 'requests',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: `${web.lbDimension}/${web.tgDimension}` },
          ScaleOutCooldown: 0,
        },
      }),
    );
    // 10 requests a second to one target: ~600 a minute against a target value of 50. The alarm
    // judges complete minutes, so this takes one to a few minutes. The minute the load starts in
    // may hold only a few seconds of it (a first step to 2, as target tracking computes it);
    // the next full minute takes the service to its maximum, 3.
    const scaled = waitForService(ecs, C, 'tracked', (s) => (s.desiredCount ?? 0) === 3, 300_000);
    const load = await steadyLoad(web.url, 10, scaled, { maxMs: 300_000, maxRequests: 3500 });
    const service = await scaled;
    expect(load.failures).toEqual([]);
    expect(service.desiredCount).toBe(3);
    const { ScalingActivities } = await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: ref.ResourceId }));
    expect(ScalingActivities?.[0]?.Cause).toMatch(/TargetTracking-service\/albmetrics\/tracked-AlarmHigh/);
    // The new tasks join the group and pass its health checks.
    await until('three healthy targets', () => targetHealth(elb, web.tgArn), (t) => t.length === 3 && t.every((d) => d.TargetHealth?.State === 'healthy'), 120_000);
    aas.destroy();
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'tracked', force: true }));
  }, 480_000);
});
