import { DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand, ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListNamespacesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { get, targetHealth, until } from '../traffic/traffic-fixture.js';
import { prepareTerraform, terraformMirror, type Terraform } from './terraform-cli.js';
import { expectNoChanges, reimportEverything, stateResources, type StateResource } from './terraform-checks.js';

const mirror = terraformMirror();
const available = mirror !== undefined;

/** Each resource type's import ID, as the provider's documentation gives it (default: its id). */
function importId(r: StateResource): string {
  const v = r.values;
  const target = `${String(v.service_namespace)}/${String(v.resource_id)}/${String(v.scalable_dimension)}`;
  const ids: Record<string, unknown> = {
    aws_ecs_service: `catalog/${String(v.name)}`,
    aws_ecs_cluster: v.name,
    aws_ecs_task_definition: v.arn,
    aws_iam_role_policy_attachment: `${String(v.role)}/${String(v.policy_arn)}`,
    aws_service_discovery_private_dns_namespace: `${String(v.id)}:${String(v.vpc)}`,
    aws_appautoscaling_target: target,
    aws_appautoscaling_policy: `${target}/${String(v.name)}`,
    aws_cloudwatch_log_metric_filter: `${String(v.log_group_name)}:${String(v.name)}`,
  };
  return String(ids[r.type] ?? v.id);
}

describe.skipIf(!available)('Terraform: a service behind an ALB, with Cloud Map, autoscaling, alarms and SNS', () => {
  const env = usePlatform();
  let ecs: ECSClient;
  let fixture: ImageFixture;
  let tf: Terraform;
  let vars: Record<string, string | number>;
  const clients: Array<{ destroy(): void }> = [];
  const client = <C extends { destroy(): void }>(make: (config: object) => C): C => {
    const c = make({ endpoint: env.platform().endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const output = async (name: string) => JSON.parse((await tf.must(['output', '-json', name])).stdout) as string;

  beforeAll(async () => {
    ecs = env.ecs();
    fixture = await startImageFixture();
    tf = await prepareTerraform(import.meta.dirname + '/alb-app', mirror!);
    vars = { endpoint: env.platform().endpoint, image: fixture.image, desired_count: 2, max_capacity: 4 };
  }, 120_000);
  afterAll(async () => {
    if (tf) await tf.run(['destroy', '-auto-approve', '-no-color'], { vars });
    for (const c of clients) c.destroy();
    await fixture?.stop();
    await tf?.dispose();
  }, 300_000);

  it('applies, and the listener answers from the service’s tasks; the path rule and the default action both hold', async () => {
    await tf.must(['init', '-no-color']);
    await tf.must(['apply', '-auto-approve', '-no-color'], { vars });
    const elb = client((c) => new ElasticLoadBalancingV2Client(c));
    const tgArn = await output('target_group_arn');
    const health = await until('both targets healthy', () => targetHealth(elb, tgArn), (t) => t.filter((d) => d.TargetHealth?.State === 'healthy').length === 2);
    expect(health).toHaveLength(2);
    const dns = await output('dns_name');
    expect(dns).toMatch(/^internal-catalog-web-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    expect(await get(`http://${dns}/`)).toEqual({ status: 200, body: 'hello from a task\n' });
    expect(await get(`http://${dns}/api/health`)).toEqual({ status: 200, body: 'ok\n' });
    expect(await get(`http://${dns}/elsewhere`)).toEqual({ status: 404, body: 'not here' });

    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['catalog-web'] }))).LoadBalancers![0]!;
    expect(lb).toMatchObject({ Scheme: 'internal', Type: 'application', State: { Code: 'active' } });
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'catalog', services: ['catalog-api'] }))).services![0]!;
    expect(service).toMatchObject({ runningCount: 2, healthCheckGracePeriodSeconds: 30, loadBalancers: [{ containerName: 'api', containerPort: 8080 }] });
    expect(service.serviceRegistries?.[0]?.registryArn).toMatch(/:service\/srv-/);
    const sd = client((c) => new ServiceDiscoveryClient(c));
    expect((await sd.send(new ListNamespacesCommand({}))).Namespaces?.map((n) => n.Name)).toContain('catalog.internal');

    const aas = client((c) => new ApplicationAutoScalingClient(c));
    const policies = (await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/catalog/catalog-api' }))).ScalingPolicies!;
    expect(policies.map((p) => p.PolicyName).sort()).toEqual(['catalog-api-cpu', 'catalog-api-errors', 'catalog-api-requests']);
    // Target tracking made AWS's alarm pairs; the step policy is an action of the errors alarm.
    const alarms = (await client((c) => new CloudWatchClient(c)).send(new DescribeAlarmsCommand({}))).MetricAlarms!;
    expect(alarms.filter((a) => a.AlarmName!.startsWith('TargetTracking-service/catalog/catalog-api-Alarm'))).toHaveLength(4);
    const errors = alarms.find((a) => a.AlarmName === 'catalog-api-errors')!;
    expect(errors.AlarmActions).toEqual(expect.arrayContaining([policies.find((p) => p.PolicyName === 'catalog-api-errors')!.PolicyARN]));
  }, 420_000);

  it('plans no change right after the apply', () => expectNoChanges(tf, vars), 180_000);

  it('updates the scalable target’s bounds in place, then plans no change', async () => {
    vars = { ...vars, desired_count: 3, max_capacity: 6 };
    await tf.must(['apply', '-auto-approve', '-no-color'], { vars });
    const aas = client((c) => new ApplicationAutoScalingClient(c));
    const target = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/catalog/catalog-api'] }))).ScalableTargets![0]!;
    expect([target.MinCapacity, target.MaxCapacity]).toEqual([3, 6]);
    // Raising the minimum above the desired count scales the service out, as on AWS.
    await until('3 running', async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'catalog', services: ['catalog-api'] }))).services![0]!, (s) => s.runningCount === 3);
    await expectNoChanges(tf, vars);
  }, 420_000);

  it('refreshes and imports every resource back with nothing to change', async () => {
    await tf.must(['refresh', '-no-color'], { vars });
    const managed = (await stateResources(tf)).filter((r) => r.mode === 'managed');
    expect(managed.length).toBe(21);
    // The provider has no import for aws_appautoscaling_scheduled_action.
    expect(await reimportEverything(tf, vars, importId, ['aws_appautoscaling_scheduled_action'])).toHaveLength(20);
  }, 600_000);

  it('destroys everything it made', async () => {
    await tf.must(['destroy', '-auto-approve', '-no-color'], { vars });
    expect((await tf.must(['state', 'list'])).stdout.trim()).toBe('');
    const elb = client((c) => new ElasticLoadBalancingV2Client(c));
    expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers?.map((l) => l.LoadBalancerName)).not.toContain('catalog-web');
    const sd = client((c) => new ServiceDiscoveryClient(c));
    expect((await sd.send(new ListNamespacesCommand({}))).Namespaces?.map((n) => n.Name)).not.toContain('catalog.internal');
    const alarms = (await client((c) => new CloudWatchClient(c)).send(new DescribeAlarmsCommand({}))).MetricAlarms!;
    expect(alarms.map((a) => a.AlarmName)).toEqual([]);
  }, 300_000);
});
