import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, DeleteClusterCommand, DescribeClustersCommand, ECSClient, ListClustersCommand, ListServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListNamespacesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';

// Runs the compiled CLI (`npm run build` first): a real `minato up`, called over HTTP by the
// AWS SDK v3 and the AWS CLI with the credentials of an assumed role.
const ACCOUNT = '000000000000';
const dataDir = mkdtempSync(join(tmpdir(), 'minato-authz-'));
const cliHome = mkdtempSync(join(tmpdir(), 'minato-authz-cli-'));
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const ROOT: Creds = { accessKeyId: 'test', secretAccessKey: 'test' };
let minato: MinatoProcess;
let session: Creds;
const cfg = (credentials: Creds) => ({ endpoint: minato.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const ALLOWED_CLUSTER = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/allowed`;
const USER = `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`;

async function refusal(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

const noPolicyAllows = (action: string, resource: string) =>
  `User: ${USER} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

beforeAll(async () => {
  minato = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
  const iam = new IAMClient(cfg(ROOT));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });
  await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: trust }));
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'ecs:DescribeClusters', Resource: ALLOWED_CLUSTER },
      { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/allowed` },
      // Conditions on what the front door knows of the request: its source address and transport.
      { Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' }, Bool: { 'aws:SecureTransport': 'false' } } },
      { Effect: 'Allow', Action: 'ecs:ListServices', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ],
  };
  await iam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'narrow', PolicyDocument: JSON.stringify(policy) }));
  iam.destroy();
  const ecs = new ECSClient(cfg(ROOT));
  for (const name of ['allowed', 'other']) await ecs.send(new CreateClusterCommand({ clusterName: name }));
  ecs.destroy();
  const ssm = new SSMClient(cfg(ROOT));
  for (const name of ['/app/allowed', '/app/other']) await ssm.send(new PutParameterCommand({ Name: name, Value: name, Type: 'String' }));
  ssm.destroy();
  const sts = new STSClient(cfg(ROOT));
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'ci' }));
  sts.destroy();
  session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
}, 60_000);

afterAll(async () => {
  await minato?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cliHome, { recursive: true, force: true });
});

describe('a role session against every API of minato up', { timeout: 60_000 }, () => {
  it('may do what its policy allows on the resources it names, and nothing else', async () => {
    const ecs = new ECSClient(cfg(session));
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['allowed'] }));
    expect(described.clusters?.map((c) => c.clusterArn)).toEqual([ALLOWED_CLUSTER]);
    expect(await refusal(ecs.send(new DescribeClustersCommand({ clusters: ['other'] })))).toEqual({
      name: 'AccessDeniedException',
      message: noPolicyAllows('ecs:DescribeClusters', `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/other`),
      status: 400,
    });
    expect(await refusal(ecs.send(new CreateClusterCommand({ clusterName: 'new' })))).toEqual({
      name: 'AccessDeniedException',
      message: noPolicyAllows('ecs:CreateCluster', '*'),
      status: 400,
    });
    expect(await refusal(ecs.send(new DeleteClusterCommand({ cluster: 'allowed' })))).toMatchObject({ name: 'AccessDeniedException', message: noPolicyAllows('ecs:DeleteCluster', ALLOWED_CLUSTER) });
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toHaveLength(2);
    expect((await refusal(ecs.send(new ListServicesCommand({ cluster: 'allowed' })))).name).toBe('AccessDeniedException');
    ecs.destroy();

    const ssm = new SSMClient(cfg(session));
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/allowed' }))).Parameter?.Value).toBe('/app/allowed');
    expect(await refusal(ssm.send(new GetParameterCommand({ Name: '/app/other' })))).toEqual({
      name: 'AccessDeniedException',
      message: noPolicyAllows('ssm:GetParameter', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/other`),
      status: 400,
    });
    ssm.destroy();

    // Who am I is never refused.
    const sts = new STSClient(cfg(session));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(USER);
    sts.destroy();
  });

  it("refuses every other API with the API's own denial error", async () => {
    const c = cfg(session);
    const denials = [
      ['ecr:DescribeRepositories', new ECRClient(c), new DescribeRepositoriesCommand({}), 'AccessDeniedException', 400],
      ['logs:DescribeLogGroups', new CloudWatchLogsClient(c), new DescribeLogGroupsCommand({}), 'AccessDeniedException', 400],
      ['secretsmanager:ListSecrets', new SecretsManagerClient(c), new ListSecretsCommand({}), 'AccessDeniedException', 400],
      ['acm:ListCertificates', new ACMClient(c), new ListCertificatesCommand({}), 'AccessDeniedException', 400],
      ['application-autoscaling:DescribeScalableTargets', new ApplicationAutoScalingClient(c), new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }), 'AccessDeniedException', 400],
      ['servicediscovery:ListNamespaces', new ServiceDiscoveryClient(c), new ListNamespacesCommand({}), 'AccessDeniedException', 400],
      ['iam:ListRoles', new IAMClient(c), new ListRolesCommand({}), 'AccessDenied', 403],
      ['elasticloadbalancing:DescribeLoadBalancers', new ElasticLoadBalancingV2Client(c), new DescribeLoadBalancersCommand({}), 'AccessDenied', 403],
      ['cloudwatch:ListMetrics', new CloudWatchClient(c), new ListMetricsCommand({}), 'AccessDenied', 403],
    ] as const;
    for (const [action, client, command, name, status] of denials) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const refused = await refusal((client as any).send(command));
      expect(refused, action).toEqual({ name, message: expect.stringContaining(`is not authorized to perform: ${action} on resource: `), status });
      client.destroy();
    }
  });

  it('answers SNS and EC2 refusals with their codes through the AWS CLI', async () => {
    const env = { AWS_ACCESS_KEY_ID: session.accessKeyId, AWS_SECRET_ACCESS_KEY: session.secretAccessKey, AWS_SESSION_TOKEN: session.sessionToken! };
    const sns = await awsCli(minato.endpoint, cliHome, ['sns', 'list-topics'], env);
    expect(sns.code).not.toBe(0);
    expect(sns.stderr).toContain(`(AuthorizationError) when calling the ListTopics operation: ${noPolicyAllows('sns:ListTopics', '*')}`);
    const ec2 = await awsCli(minato.endpoint, cliHome, ['ec2', 'describe-vpcs'], env);
    expect(ec2.code).not.toBe(0);
    expect(ec2.stderr).toContain(`(UnauthorizedOperation) when calling the DescribeVpcs operation: You are not authorized to perform this operation. ${noPolicyAllows('ec2:DescribeVpcs', '*')}`);
    const ecs = await awsCli(minato.endpoint, cliHome, ['ecs', 'describe-clusters', '--clusters', 'allowed'], env);
    expect([ecs.code, ecs.stderr]).toEqual([0, '']);
  });

  it('leaves the root unrestricted', async () => {
    const ecs = new ECSClient(cfg(ROOT));
    expect((await ecs.send(new CreateClusterCommand({ clusterName: 'by-root' }))).cluster?.status).toBe('ACTIVE');
    ecs.destroy();
    const sns = await awsCli(minato.endpoint, cliHome, ['sns', 'list-topics']);
    expect([sns.code, sns.stderr]).toEqual([0, '']);
    const ec2 = await awsCli(minato.endpoint, cliHome, ['ec2', 'describe-vpcs']);
    expect([ec2.code, ec2.stderr]).toEqual([0, '']);
  });
});

describe("an IAM user's keys against minato up", { timeout: 60_000 }, () => {
  it('may do what its inline policies allow, and so may the session tokens it gets; nothing else', async () => {
    const iam = new IAMClient(cfg(ROOT));
    await iam.send(new CreateUserCommand({ UserName: 'ci-bot' }));
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:DescribeClusters', Resource: ALLOWED_CLUSTER }] };
    await iam.send(new PutUserPolicyCommand({ UserName: 'ci-bot', PolicyName: 'describe-one', PolicyDocument: JSON.stringify(policy) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ci-bot' }))).AccessKey!;
    iam.destroy();
    const userArn = `arn:aws:iam::${ACCOUNT}:user/ci-bot`;
    const keys: Creds = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    // No permission is needed to authenticate: GetCallerIdentity and GetSessionToken always answer.
    const sts = new STSClient(cfg(keys));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(userArn);
    const temp = (await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
    sts.destroy();
    for (const creds of [keys, { accessKeyId: temp.AccessKeyId!, secretAccessKey: temp.SecretAccessKey!, sessionToken: temp.SessionToken! }]) {
      const ecs = new ECSClient(cfg(creds));
      try {
        expect((await ecs.send(new DescribeClustersCommand({ clusters: ['allowed'] }))).clusters!.map((c) => c.clusterName)).toEqual(['allowed']);
        expect(await refusal(ecs.send(new CreateClusterCommand({ clusterName: 'nope' })))).toEqual({
          name: 'AccessDeniedException',
          message: `User: ${userArn} is not authorized to perform: ecs:CreateCluster on resource: * because no identity-based policy allows the ecs:CreateCluster action`,
          status: 400,
        });
        expect((await refusal(ecs.send(new DescribeClustersCommand({ clusters: ['other'] })))).name).toBe('AccessDeniedException');
      } finally {
        ecs.destroy();
      }
    }
  });
});
