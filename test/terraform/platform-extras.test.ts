import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribePullThroughCacheRulesCommand, ECRClient, GetRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, DeleteClusterCommand, ListAccountSettingsCommand, ListTagsForResourceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { DescribeListenerCertificatesCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetGroupCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { ListNamespacesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { prepareTerraform, terraformMirror, type Terraform } from './terraform-cli.js';
import { expectNoChanges, reimportEverything, stateResources, type StateResource } from './terraform-checks.js';

const mirror = terraformMirror();
const available = mirror !== undefined;
const run = promisify(execFile);

/** Each resource type's import ID, as the provider's documentation gives it (default: its id). */
function importId(r: StateResource): string {
  const v = r.values;
  const ids: Record<string, unknown> = {
    aws_iam_role_policy_attachment: `${String(v.role)}/${String(v.policy_arn)}`,
    aws_iam_user_policy_attachment: `${String(v.user)}/${String(v.policy_arn)}`,
    aws_iam_group_policy_attachment: `${String(v.group)}/${String(v.policy_arn)}`,
    aws_iam_user_group_membership: [String(v.user), ...((v.groups as string[] | undefined) ?? [])].join('/'),
    aws_cloudwatch_log_stream: `${String(v.log_group_name)}:${String(v.name)}`,
    aws_ecs_cluster: v.name,
    aws_ecs_account_setting_default: v.name,
    aws_ecs_task_definition: v.arn,
  };
  return String(ids[r.type] ?? v.id);
}

/** An SNS subscriber that confirms its subscriptions by the SubscribeURL, as a web hook does. */
async function startSubscriber(): Promise<{ url: string; confirmations: () => number; close(): Promise<void> }> {
  let confirmations = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as { Type?: string; SubscribeURL?: string };
      const confirm = message.Type === 'SubscriptionConfirmation' && message.SubscribeURL ? fetch(message.SubscribeURL).then(() => void confirmations++) : Promise.resolve();
      void confirm.finally(() => res.end('ok'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    confirmations: () => confirmations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!available)('Terraform: IAM users, groups and profiles, registry settings, alarms, SNS, certificates, an NLB and ECS defaults', () => {
  const env = usePlatform();
  let ecs: ECSClient;
  let tf: Terraform;
  let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
  let vars: Record<string, string | number>;
  const clients: Array<{ destroy(): void }> = [];
  const client = <C extends { destroy(): void }>(make: (config: object) => C): C => {
    const c = make({ endpoint: env.platform().endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    ecs = env.ecs();
    subscriber = await startSubscriber();
    tf = await prepareTerraform(join(import.meta.dirname, 'platform-extras'), mirror!);
    // The certificates ACM imports: self-signed, made here as a team would make them with openssl.
    await mkdir(join(tf.dir, 'certs'));
    for (const name of ['primary', 'extra']) {
      const base = join(tf.dir, 'certs', name);
      await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.crt`, '-days', '30', '-subj', `/CN=${name}.platform.example`, '-addext', `subjectAltName=DNS:${name}.platform.example`]);
    }
    // A cluster another tool made: the configuration only tags it.
    await ecs.send(new CreateClusterCommand({ clusterName: 'platform-batch' }));
    vars = { endpoint: env.platform().endpoint, subscriber_url: subscriber.url, external_cluster: 'platform-batch' };
  }, 120_000);
  afterAll(async () => {
    if (tf) await tf.run(['destroy', '-auto-approve', '-no-color'], { vars });
    await ecs?.send(new DeleteClusterCommand({ cluster: 'platform-batch' })).catch(() => undefined);
    for (const c of clients) c.destroy();
    await subscriber?.close();
    await tf?.dispose();
  }, 300_000);

  it('applies, and each resource is there as configured', async () => {
    await tf.must(['init', '-no-color']);
    await tf.must(['apply', '-auto-approve', '-no-color'], { vars });

    const iam = client((c) => new IAMClient(c));
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/platform/platform-reader' }))).Policy!;
    // Attached to the node role and to both deploy users.
    expect(policy).toMatchObject({ PolicyName: 'platform-reader', Path: '/platform/', AttachmentCount: 3, DefaultVersionId: 'v1' });
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'platform-node' }))).AttachedPolicies).toEqual([{ PolicyName: 'platform-reader', PolicyArn: policy.Arn }]);
    const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'platform-node' }))).InstanceProfile!;
    expect(profile.Roles?.map((r) => r.RoleName)).toEqual(['platform-node']);
    for (const user of ['platform-deployer', 'platform-ci']) {
      expect((await iam.send(new ListUserPoliciesCommand({ UserName: user }))).PolicyNames).toEqual(['deploy']);
      expect((await iam.send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata?.map((k) => k.Status)).toEqual(['Active']);
      expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: user }))).AttachedPolicies).toEqual([{ PolicyName: 'platform-reader', PolicyArn: policy.Arn }]);
      expect((await iam.send(new ListGroupsForUserCommand({ UserName: user }))).Groups?.map((g) => g.GroupName)).toEqual(['platform-deployers']);
    }
    const group = await iam.send(new GetGroupCommand({ GroupName: 'platform-deployers' }));
    expect(group.Group).toMatchObject({ Path: '/deploy/', Arn: 'arn:aws:iam::000000000000:group/deploy/platform-deployers' });
    expect(group.Users?.map((u) => u.UserName)).toEqual(['platform-ci', 'platform-deployer']);
    expect((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'platform-deployers' }))).PolicyNames).toEqual(['read-parameters']);
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'platform-deployers' }))).AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AmazonSSMReadOnlyAccess']);
    const linked = (await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }))).Role!;
    expect(linked).toMatchObject({ Path: '/aws-service-role/ecs.amazonaws.com/', Description: 'ECS for platform-team' });

    const ecr = client((c) => new ECRClient(c));
    expect((await ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toMatchObject({
      scanType: 'BASIC',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'platform-team-*', filterType: 'WILDCARD' }] }],
    });
    // ECR keeps the upstream as it was given.
    expect((await ecr.send(new DescribePullThroughCacheRulesCommand({}))).pullThroughCacheRules?.map((r) => [r.ecrRepositoryPrefix, r.upstreamRegistryUrl])).toEqual([
      ['ecr-public', 'public.ecr.aws'],
    ]);

    const logs = client((c) => new CloudWatchLogsClient(c));
    expect((await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/platform/app' }))).logStreams?.map((s) => s.logStreamName).sort()).toEqual(['audit', 'ingest']);
    const alarms = await client((c) => new CloudWatchClient(c)).send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] }));
    expect(alarms.CompositeAlarms?.map((a) => a.AlarmRule)).toEqual(['ALARM("platform-cpu-high") AND ALARM("platform-memory-high")']);
    expect(alarms.MetricAlarms?.map((a) => a.AlarmName).sort()).toEqual(['platform-cpu-high', 'platform-memory-high']);

    // The subscriber confirmed; Terraform waited for it (endpoint_auto_confirms).
    expect(subscriber.confirmations()).toBe(1);
    const subscription = (await stateResources(tf)).find((r) => r.address === 'aws_sns_topic_subscription.hook')!;
    expect(subscription.values).toMatchObject({ pending_confirmation: false, protocol: 'http', endpoint: subscriber.url, raw_message_delivery: true });

    const ssm = client((c) => new SSMClient(c));
    expect((await ssm.send(new GetParameterCommand({ Name: '/platform/api-token', WithDecryption: true }))).Parameter?.Value).toBe('s3cr3t-token');
    expect((await ssm.send(new DescribeParametersCommand({}))).Parameters?.find((p) => p.Name === '/platform/api-token')).toMatchObject({ Type: 'SecureString', KeyId: 'alias/aws/ssm' });

    const sd = client((c) => new ServiceDiscoveryClient(c));
    expect((await sd.send(new ListNamespacesCommand({}))).Namespaces?.find((n) => n.Name === 'platform-apps')?.Type).toBe('HTTP');

    const elb = client((c) => new ElasticLoadBalancingV2Client(c));
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['platform-web', 'platform-tcp'] }))).LoadBalancers!;
    expect(lbs.map((l) => [l.LoadBalancerName, l.Type]).sort()).toEqual([
      ['platform-tcp', 'network'],
      ['platform-web', 'application'],
    ]);
    const listenerArn = JSON.parse((await tf.must(['output', '-json', 'listener_arn'])).stdout) as string;
    const certificates = (await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: listenerArn }))).Certificates!;
    expect(certificates.map((c) => c.IsDefault).sort()).toEqual([false, true]);

    const settings = (await ecs.send(new ListAccountSettingsCommand({ name: 'containerInsights', effectiveSettings: true }))).settings!;
    expect(settings.map((s) => s.value)).toEqual(['enabled']);
    const batch = 'arn:aws:ecs:us-east-1:000000000000:cluster/platform-batch';
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: batch }))).tags).toEqual([{ key: 'owner', value: 'platform-team' }]);
    const sm = client((c) => new SecretsManagerClient(c));
    const secret = await sm.send(new DescribeSecretCommand({ SecretId: 'platform/db' }));
    expect(secret).toMatchObject({ RotationEnabled: true, RotationLambdaARN: 'arn:aws:ecs:us-east-1:000000000000:task-definition/platform-rotator:1', RotationRules: { AutomaticallyAfterDays: 30 } });
    // Not rotated now (rotate_immediately = false): the next run is due a schedule's length away.
    expect(secret.LastRotatedDate).toBeUndefined();
    expect(secret.NextRotationDate!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  }, 420_000);

  it('plans no change right after the apply', () => expectNoChanges(tf, vars), 180_000);

  it('updates what teams change in place (owners, thresholds, key status, defaults), then plans no change', async () => {
    vars = { ...vars, raw_events: 'false', team: 'infra-team', deploy_key_status: 'Inactive', container_insights: 'disabled', tcp_healthy_threshold: 5, alarm_threshold: 90, api_token: 'rotated', log_streams: '["ingest","audit","debug"]', rotation_days: 7 };
    await tf.must(['apply', '-auto-approve', '-no-color'], { vars });
    const iam = client((c) => new IAMClient(c));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/platform/platform-reader' }))).Policy?.DefaultVersionId).toBe('v2');
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'platform-ci' }))).AccessKeyMetadata?.map((k) => k.Status)).toEqual(['Inactive']);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }))).Role?.Description).toBe('ECS for infra-team');
    const ssm = client((c) => new SSMClient(c));
    expect((await ssm.send(new GetParameterCommand({ Name: '/platform/api-token', WithDecryption: true }))).Parameter?.Value).toBe('rotated');
    const settings = (await ecs.send(new ListAccountSettingsCommand({ name: 'containerInsights', effectiveSettings: true }))).settings!;
    expect(settings.map((s) => s.value)).toEqual(['disabled']);
    const subscription = (await stateResources(tf)).find((r) => r.address === 'aws_sns_topic_subscription.hook')!;
    expect(subscription.values.raw_message_delivery).toBe(false);
    const sm = client((c) => new SecretsManagerClient(c));
    const rotation = await sm.send(new DescribeSecretCommand({ SecretId: 'platform/db' }));
    expect(rotation).toMatchObject({ RotationEnabled: true, RotationRules: { AutomaticallyAfterDays: 7 }, Description: 'database credentials of infra-team' });
    await expectNoChanges(tf, vars);
  }, 420_000);

  it('refreshes and imports every resource back with nothing to change', async () => {
    await tf.must(['refresh', '-no-color'], { vars });
    const managed = (await stateResources(tf)).filter((r) => r.mode === 'managed');
    expect(managed.length).toBe(47);
    expect(await reimportEverything(tf, vars, importId)).toHaveLength(47);
  }, 600_000);

  it('destroys everything it made, and leaves the other tool’s cluster', async () => {
    await tf.must(['destroy', '-auto-approve', '-no-color'], { vars });
    expect((await tf.must(['state', 'list'])).stdout.trim()).toBe('');
    const iam = client((c) => new IAMClient(c));
    await expect(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }))).rejects.toThrow(NoSuchEntityException);
    await expect(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'platform-node' }))).rejects.toThrow(NoSuchEntityException);
    await expect(iam.send(new GetGroupCommand({ GroupName: 'platform-deployers' }))).rejects.toThrow(NoSuchEntityException);
    const ecr = client((c) => new ECRClient(c));
    expect((await ecr.send(new DescribePullThroughCacheRulesCommand({}))).pullThroughCacheRules).toEqual([]);
    const elb = client((c) => new ElasticLoadBalancingV2Client(c));
    expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toEqual([]);
    const alarms = await client((c) => new CloudWatchClient(c)).send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] }));
    expect([...(alarms.CompositeAlarms ?? []), ...(alarms.MetricAlarms ?? [])]).toEqual([]);
    const batch = 'arn:aws:ecs:us-east-1:000000000000:cluster/platform-batch';
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: batch }))).tags).toEqual([]);
  }, 300_000);
});
