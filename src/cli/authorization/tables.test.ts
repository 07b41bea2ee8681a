import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../aws-model/service-model.js';
import type { Scope } from '../../lib/scope.js';
import { checksOf } from './authorizing.js';
import { authorizationTables } from './index.js';
import type { AuthorizationTable } from './table.js';

const ACCOUNT = '123456789012';
const scope: Scope = { accountId: ACCOUNT, region: 'eu-west-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date(0) };
const tables = authorizationTables({
  secretArn: async (_scope, id) => (id === 'db' ? `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf` : undefined),
  iamPaths: { role: async (_scope, name) => (name === 'deep' ? '/team/' : undefined), user: async () => undefined, group: async (_scope, name) => (name === 'ops' ? '/teams/' : undefined) },
});
const table = (signingName: string): AuthorizationTable => tables.get(signingName)!;

/** The resources `operation` is checked on (its own action only). */
async function resources(signingName: string, operation: string, input: object): Promise<string[]> {
  const t = table(signingName);
  const checks = await checksOf(t, operation, input, { scope });
  return checks.filter((c) => c.action === `${t.prefix}:${operation}`).map((c) => c.resource);
}

const MODELS: Record<string, string> = { minato: 'minato-admin', monitoring: 'cloudwatch', elasticloadbalancing: 'elbv2' };

describe('the authorization tables', () => {
  it("name only operations of their API's model", () => {
    for (const [signingName, t] of tables) {
      const model = loadServiceModel(MODELS[signingName] ?? signingName);
      const named = [...Object.keys(t.resources), ...Object.keys(t.also ?? {}), ...(t.unrestricted ?? [])];
      expect(named.filter((op) => !Object.hasOwn(model.operations, op)), signingName).toEqual([]);
    }
  });

  it('authorise operations without resource-level permissions on *', async () => {
    expect(await resources('ecs', 'ListClusters', {})).toEqual(['*']);
    expect(await resources('ecs', 'CreateCluster', { clusterName: 'web' })).toEqual(['*']);
    expect(await resources('ecr', 'GetAuthorizationToken', {})).toEqual(['*']);
    expect(await resources('ec2', 'DescribeVpcAttribute', { VpcId: 'vpc-1', Attribute: 'enableDnsSupport' })).toEqual(['*']);
    expect(await resources('elasticloadbalancing', 'DescribeListeners', { LoadBalancerArn: 'arn:lb' })).toEqual(['*']);
  });

  it('ECS: clusters, tasks, services, task definitions and container instances, by name or ARN', async () => {
    const ecs = (r: string) => `arn:aws:ecs:eu-west-1:${ACCOUNT}:${r}`;
    expect(await resources('ecs', 'DescribeClusters', {})).toEqual([ecs('cluster/default')]);
    expect(await resources('ecs', 'DescribeClusters', { clusters: ['a', ecs('cluster/b')] })).toEqual([ecs('cluster/a'), ecs('cluster/b')]);
    expect(await resources('ecs', 'DescribeTasks', { cluster: ecs('cluster/web'), tasks: ['abc', ecs('task/web/def')] })).toEqual([ecs('task/web/abc'), ecs('task/web/def')]);
    expect(await resources('ecs', 'StopTask', { task: 'abc' })).toEqual([ecs('task/default/abc')]);
    expect(await resources('ecs', 'UpdateService', { cluster: 'web', service: 'api' })).toEqual([ecs('service/web/api')]);
    expect(await resources('ecs', 'RunTask', { taskDefinition: 'app:3' })).toEqual([ecs('task-definition/app:3')]);
    expect(await resources('ecs', 'RunTask', { taskDefinition: 'app' })).toEqual([ecs('task-definition/app:*')]);
    expect(await resources('ecs', 'DescribeContainerInstances', { cluster: 'c', containerInstances: ['i1'] })).toEqual([ecs('container-instance/c/i1')]);
    expect(await resources('ecs', 'DeleteCapacityProvider', { capacityProvider: 'spot' })).toEqual([ecs('capacity-provider/spot')]);
  });

  it('ECR: the repository, in the registry named', async () => {
    expect(await resources('ecr', 'BatchGetImage', { repositoryName: 'app', imageIds: [] })).toEqual([`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/app`]);
    expect(await resources('ecr', 'PutImage', { registryId: '999999999999', repositoryName: 'team/app' })).toEqual(['arn:aws:ecr:eu-west-1:999999999999:repository/team/app']);
    expect(await resources('ecr', 'DescribeRepositories', { repositoryNames: ['a', 'b'] })).toHaveLength(2);
  });

  it('Logs: groups and streams as AWS names them', async () => {
    const logs = (r: string) => `arn:aws:logs:eu-west-1:${ACCOUNT}:${r}`;
    expect(await resources('logs', 'CreateLogGroup', { logGroupName: '/app' })).toEqual([logs('log-group:/app:log-stream:')]);
    expect(await resources('logs', 'PutLogEvents', { logGroupName: '/app', logStreamName: 's' })).toEqual([logs('log-group:/app:log-stream:s')]);
    expect(await resources('logs', 'DescribeLogStreams', { logGroupIdentifier: `${logs('log-group:/app')}:*` })).toEqual([logs('log-group:/app:log-stream:')]);
    expect(await resources('logs', 'DescribeLogGroups', {})).toEqual([logs('log-group::log-stream:')]);
  });

  it('Secrets Manager: the full ARN of a known secret; BatchGetSecretValue needs GetSecretValue on each', async () => {
    const sm = (r: string) => `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${r}`;
    expect(await resources('secretsmanager', 'GetSecretValue', { SecretId: 'db' })).toEqual([sm('db-AbCdEf')]);
    expect(await resources('secretsmanager', 'DescribeSecret', { SecretId: 'gone' })).toEqual([sm('gone')]);
    expect(await checksOf(table('secretsmanager'), 'BatchGetSecretValue', { SecretIdList: ['db', 'other'] }, { scope })).toEqual([
      { action: 'secretsmanager:BatchGetSecretValue', resource: '*' },
      { action: 'secretsmanager:GetSecretValue', resource: sm('db-AbCdEf') },
      { action: 'secretsmanager:GetSecretValue', resource: sm('other') },
    ]);
  });

  it('SSM: parameter ARNs without the leading slash or a selector', async () => {
    const p = (r: string) => `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/${r}`;
    expect(await resources('ssm', 'GetParameter', { Name: '/app/db' })).toEqual([p('app/db')]);
    expect(await resources('ssm', 'GetParameter', { Name: 'plain:3' })).toEqual([p('plain')]);
    expect(await resources('ssm', 'GetParameters', { Names: ['/a', 'b'] })).toEqual([p('a'), p('b')]);
    expect(await resources('ssm', 'AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/a', Tags: [] })).toEqual([p('a')]);
    expect(await resources('ssm', 'DescribeParameters', {})).toEqual(['*']);
  });

  it('IAM: roles and users with their path, instance profiles before roles, policies', async () => {
    const iam = (r: string) => `arn:aws:iam::${ACCOUNT}:${r}`;
    expect(await resources('iam', 'GetRole', { RoleName: 'deep' })).toEqual([iam('role/team/deep')]);
    expect(await resources('iam', 'CreateRole', { RoleName: 'x', Path: '/svc/' })).toEqual([iam('role/svc/x')]);
    expect(await resources('iam', 'AttachRolePolicy', { RoleName: 'app', PolicyArn: iam('policy/p') })).toEqual([iam('role/app')]);
    expect(await resources('iam', 'AddRoleToInstanceProfile', { RoleName: 'app', InstanceProfileName: 'ip' })).toEqual([iam('instance-profile/ip')]);
    expect(await resources('iam', 'CreateAccessKey', { UserName: 'bob' })).toEqual([iam('user/bob')]);
    expect(await resources('iam', 'AddUserToGroup', { GroupName: 'ops', UserName: 'bob' })).toEqual([iam('group/teams/ops')]);
    expect(await resources('iam', 'CreateGroup', { GroupName: 'dev', Path: '/teams/' })).toEqual([iam('group/teams/dev')]);
    expect(await resources('iam', 'ListGroupsForUser', { UserName: 'bob' })).toEqual([iam('user/bob')]);
    expect(await resources('iam', 'GetPolicy', { PolicyArn: iam('policy/p') })).toEqual([iam('policy/p')]);
    expect(await resources('iam', 'ListRoles', {})).toEqual(['*']);
  });

  it('STS: AssumeRole on the role; GetCallerIdentity is never refused', async () => {
    expect(await resources('sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 's' })).toEqual(['arn:aws:iam::1:role/r']);
    expect(table('sts').unrestricted).toContain('GetCallerIdentity');
  });

  it('EC2, ELB, CloudWatch, SNS, Cloud Map: the resources the input names', async () => {
    const ec2 = (r: string) => `arn:aws:ec2:eu-west-1:${ACCOUNT}:${r}`;
    expect(await resources('ec2', 'AttachInternetGateway', { InternetGatewayId: 'igw-1', VpcId: 'vpc-2' })).toEqual([ec2('vpc/vpc-2'), ec2('internet-gateway/igw-1')]);
    expect(await resources('ec2', 'CreateTags', { Resources: ['sg-1', 'rtb-2'], Tags: [] })).toEqual([ec2('security-group/sg-1'), ec2('route-table/rtb-2')]);
    expect(await resources('ec2', 'CreateVpc', { VpcId: 'vpc-9', CidrBlock: '10.0.0.0/16' })).toEqual(['*']);
    expect(await resources('elasticloadbalancing', 'CreateRule', { ListenerArn: 'arn:listener' })).toEqual(['arn:listener']);
    expect(await resources('elasticloadbalancing', 'SetRulePriorities', { RulePriorities: [{ RuleArn: 'arn:r1' }, { RuleArn: 'arn:r2' }] })).toEqual(['arn:r1', 'arn:r2']);
    expect(await resources('monitoring', 'DeleteAlarms', { AlarmNames: ['a', 'b'] })).toEqual([
      `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:a`,
      `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:b`,
    ]);
    expect(await resources('monitoring', 'PutMetricData', { Namespace: 'x' })).toEqual(['*']);
    expect(await resources('sns', 'CreateTopic', { Name: 'alerts' })).toEqual([`arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`]);
    expect(await resources('sns', 'Unsubscribe', { SubscriptionArn: `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts:1234` })).toEqual([`arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`]);
    expect(await resources('servicediscovery', 'RegisterInstance', { ServiceId: 'srv-1', InstanceId: 'i' })).toEqual([`arn:aws:servicediscovery:eu-west-1:${ACCOUNT}:service/srv-1`]);
    expect(await resources('servicediscovery', 'GetNamespace', { Id: 'ns-1' })).toEqual([`arn:aws:servicediscovery:eu-west-1:${ACCOUNT}:namespace/ns-1`]);
  });
});
