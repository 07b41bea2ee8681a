import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { ClusterNotFoundException, DescribeClustersCommand, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { GetResourcePolicyCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { prepareTerraform, terraformMirror, type Terraform } from './terraform-cli.js';
import { expectNoChanges, reimportEverything, stateResources, type StateResource } from './terraform-checks.js';

const mirror = terraformMirror();
const available = mirror !== undefined;

describe.skipIf(!available)('Terraform’s AWS provider, end to end', () => {
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

  beforeAll(async () => {
    ecs = env.ecs();
    fixture = await startImageFixture();
    tf = await prepareTerraform(join(import.meta.dirname, 'fargate-app'), mirror!);
    vars = { endpoint: env.platform().endpoint, image: fixture.image, app_version: '1', desired_count: 2 };
  }, 120_000);
  afterAll(async () => {
    // Whatever a failed step left is destroyed, so its tasks stop before the platform closes.
    if (tf) await tf.run(['destroy', '-auto-approve', '-no-color'], { vars });
    for (const c of clients) c.destroy();
    await fixture?.stop();
    await tf?.dispose();
  }, 300_000);

  const state = () => stateResources(tf);
  const noChanges = () => expectNoChanges(tf, vars);
  const serviceTasks = async () => {
    const arns = (await ecs.send(new ListTasksCommand({ cluster: 'shop-web', serviceName: 'shop-web', desiredStatus: 'RUNNING' }))).taskArns ?? [];
    return arns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster: 'shop-web', tasks: arns, include: ['TAGS'] }))).tasks ?? []) : [];
  };

  it('applies a Fargate application whose service reaches a steady state', async () => {
    await tf.must(['init', '-no-color']);
    await tf.must(['apply', '-auto-approve', '-no-color'], { vars });
    const tasks = await serviceTasks();
    expect(tasks).toHaveLength(2);
    for (const t of tasks) {
      expect(t).toMatchObject({ lastStatus: 'RUNNING', taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:1', group: 'service:shop-web' });
      expect(t.tags).toEqual(expect.arrayContaining([{ key: 'tier', value: 'web' }, { key: 'aws:ecs:serviceName', value: 'shop-web' }]));
    }
    const secretArn = (await state()).find((r) => r.address === 'aws_secretsmanager_secret.db')!.values.arn as string;
    const policy = await client((c) => new SecretsManagerClient(c)).send(new GetResourcePolicyCommand({ SecretId: secretArn }));
    expect(JSON.parse(policy.ResourcePolicy!).Statement[0].Sid).toBe('TaskReadsIt');
    const iam = client((c) => new IAMClient(c));
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'shop-web-execution' }))).Role!;
    expect(role).toMatchObject({ Arn: 'arn:aws:iam::000000000000:role/shop-web-execution', Tags: [{ Key: 'project', Value: 'shop' }] });
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'shop-web-execution' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' },
    ]);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'shop-web-execution' }))).PolicyNames).toEqual(['secrets']);
  }, 300_000);

  it('plans no change right after the apply: every member is stored and returned as AWS returns it', noChanges, 120_000);

  it('rolls out a new revision and a new desired count, then plans no change again', async () => {
    vars = { ...vars, app_version: '2', desired_count: 3 };
    await tf.must(['apply', '-auto-approve', '-no-color'], { vars });
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop-web', services: ['shop-web'] }))).services![0]!;
    expect(service).toMatchObject({ desiredCount: 3, runningCount: 3, taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:2' });
    const tasks = await serviceTasks();
    expect(tasks.map((t) => t.taskDefinitionArn)).toEqual(Array(3).fill(service.taskDefinition));
    await noChanges();
  }, 300_000);

  it('refreshes, and imports every resource back with nothing to change but what Terraform alone keeps', async () => {
    await tf.must(['refresh', '-no-color'], { vars });
    const managed = (await state()).filter((r) => r.mode === 'managed');
    expect(managed.length).toBeGreaterThanOrEqual(16);
    // Each resource type's import ID, as the provider's documentation gives it.
    const importId = (r: StateResource) =>
      String(
        (
          {
            aws_ecs_service: `shop-web/${String(r.values.name)}`,
            aws_ecs_cluster: r.values.name,
            aws_ecs_task_definition: r.values.arn,
            aws_iam_role_policy_attachment: `${String(r.values.role)}/${String(r.values.policy_arn)}`,
          } as Record<string, unknown>
        )[r.type] ?? r.values.id,
      );
    const imported = await reimportEverything(tf, vars, importId);
    expect(imported).toEqual(managed.map((r) => r.address).sort());
  }, 600_000);

  it('destroys everything it made', async () => {
    await tf.must(['destroy', '-auto-approve', '-no-color'], { vars });
    expect((await tf.must(['state', 'list'])).stdout.trim()).toBe('');
    const cluster = (await ecs.send(new DescribeClustersCommand({ clusters: ['shop-web'] }))).clusters?.[0];
    expect(cluster?.status ?? 'INACTIVE').toBe('INACTIVE');
    await expect(serviceTasks()).rejects.toThrow(ClusterNotFoundException);
    const sm = client((c) => new SecretsManagerClient(c));
    await expect(sm.send(new GetResourcePolicyCommand({ SecretId: 'shop-web/db' }))).rejects.toThrow(ResourceNotFoundException);
    const ssm = client((c) => new SSMClient(c));
    expect((await ssm.send(new GetParametersCommand({ Names: ['/shop-web/mode', '/shop-web/api-key'] }))).InvalidParameters?.sort()).toEqual(['/shop-web/api-key', '/shop-web/mode']);
    const ecr = client((c) => new ECRClient(c));
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories?.map((r) => r.repositoryName)).not.toContain('shop-web');
    const logs = client((c) => new CloudWatchLogsClient(c));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/shop-web' }))).logGroups).toEqual([]);
    const iam = client((c) => new IAMClient(c));
    await expect(iam.send(new GetRoleCommand({ RoleName: 'shop-web-execution' }))).rejects.toThrow(NoSuchEntityException);
  }, 300_000);
});
