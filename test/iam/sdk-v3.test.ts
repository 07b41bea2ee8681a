import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagRoleCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const dataDir = mkdtempSync(join(tmpdir(), 'minato-iam-'));
let platform: TestPlatform | undefined;
let client: IAMClient | undefined;

async function start(): Promise<IAMClient> {
  platform = await startTestPlatform({ dataDir });
  const { accessKeyId, secretAccessKey } = platform.config;
  client = new IAMClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  return client;
}

async function stop(): Promise<void> {
  client?.destroy();
  await platform?.dispose();
  client = undefined;
  platform = undefined;
}

afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('the AWS SDK for JavaScript v3 against IAM', { timeout: 60_000 }, () => {
  it('pages roles by Marker and MaxItems, filtered by PathPrefix', async () => {
    const iam = await start();
    for (let i = 0; i < 7; i++) {
      await iam.send(new CreateRoleCommand({ RoleName: `svc-${i}`, Path: i % 2 === 0 ? '/even/' : '/odd/', AssumeRolePolicyDocument: TRUST }));
    }
    const first = await iam.send(new ListRolesCommand({ MaxItems: 3 }));
    expect(first.Roles!.map((r) => r.RoleName)).toEqual(['svc-0', 'svc-1', 'svc-2']);
    expect(first.IsTruncated).toBe(true);
    const names: string[] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 2 }, { PathPrefix: '/even/' })) names.push(...page.Roles!.map((r) => r.RoleName!));
    expect(names).toEqual(['svc-0', 'svc-2', 'svc-4', 'svc-6']);
    // The SDK hands documents back as IAM sends them: URL-encoded.
    const role = await iam.send(new GetRoleCommand({ RoleName: 'svc-1' }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toBe(TRUST);
    await expect(iam.send(new ListRolesCommand({ Marker: 'forged' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('returns policy documents URL-encoded', async () => {
    const iam = client!;
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess', VersionId: 'v1' }));
    expect(version.PolicyVersion!.Document).toMatch(/^%7B/);
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)).Statement[0].Action).toEqual(['ssm:Describe*', 'ssm:Get*', 'ssm:List*']);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/service-role/' }));
    expect(aws.Policies!.map((p) => p.PolicyName)).toEqual(['AmazonECSInfrastructureRolePolicyForVolumes', 'AmazonECSTaskExecutionRolePolicy']);
  });

  it('simulates a role against its policies', async () => {
    const iam = client!;
    const { accountId } = platform!.config;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'svc-0', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'svc-0',
        PolicyName: 'no-push',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'logs:PutLogEvents', Resource: 'arn:aws:logs:*:*:log-group:secret*' }] }),
      }),
    );
    const result = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${accountId}:role/even/svc-0`,
        ActionNames: ['ecr:BatchGetImage', 'logs:PutLogEvents', 's3:GetObject'],
        ResourceArns: ['arn:aws:logs:us-east-1:1:log-group:secret-app'],
      }),
    );
    expect(result.EvaluationResults!.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['ecr:BatchGetImage', 'allowed'],
      ['logs:PutLogEvents', 'explicitDeny'],
      ['s3:GetObject', 'implicitDeny'],
    ]);
    expect(result.EvaluationResults![1]!.MatchedStatements).toEqual([{ SourcePolicyId: 'no-push', SourcePolicyType: 'role' }]);
  });

  it('refuses a simulation with a resource policy or a caller it would not evaluate (InvalidInput, 400)', async () => {
    const iam = client!;
    const { accountId } = platform!.config;
    const base = { PolicySourceArn: `arn:aws:iam::${accountId}:role/even/svc-0`, ActionNames: ['s3:GetObject'] };
    const refused = async (extra: object) => {
      const err = (await iam.send(new SimulatePrincipalPolicyCommand({ ...base, ...extra })).catch((e: unknown) => e)) as { name: string; message: string; $metadata: { httpStatusCode?: number } };
      return { name: err.name, message: err.message, status: err.$metadata.httpStatusCode };
    };
    const denyAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }] });
    expect(await refused({ ResourcePolicy: denyAll })).toEqual({
      name: 'InvalidInputException',
      message: 'The parameter ResourcePolicy is not supported by this endpoint: the simulator does not evaluate resource-based policies.',
      status: 400,
    });
    expect(await refused({ CallerArn: `arn:aws:iam::${accountId}:user/nobody` })).toMatchObject({ name: 'InvalidInputException', status: 400 });
    expect(await refused({ ResourceOwner: `arn:aws:iam::${accountId}:root` })).toMatchObject({ name: 'InvalidInputException', status: 400 });
    expect(await refused({ ResourceHandlingOption: 'EC2-VPC-InstanceStore' })).toMatchObject({ name: 'InvalidInputException', status: 400 });
  });

  it('manages users and access keys; GetUser without a name is the root', async () => {
    const iam = client!;
    const { accountId } = platform!.config;
    const root = await iam.send(new GetUserCommand({}));
    expect(root.User).toMatchObject({ UserId: accountId, Arn: `arn:aws:iam::${accountId}:root` });
    const user = await iam.send(new CreateUserCommand({ UserName: 'deployer', Tags: [{ Key: 'team', Value: 'ops' }] }));
    expect(user.User!.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }));
    expect(key.AccessKey!.SecretAccessKey).toHaveLength(40);
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'deployer' }));
    expect(listed.AccessKeyMetadata).toEqual([expect.objectContaining({ AccessKeyId: key.AccessKey!.AccessKeyId, Status: 'Active', UserName: 'deployer' })]);
    await expect(iam.send(new DeleteUserCommand({ UserName: 'deployer' }))).rejects.toMatchObject({ name: 'DeleteConflictException' });
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'deployer', AccessKeyId: key.AccessKey!.AccessKeyId }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'kept', PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    await iam.send(new TagRoleCommand({ RoleName: 'svc-3', Tags: [{ Key: 'env', Value: 'prod' }] }));
  });

  it('keeps everything across a restart', async () => {
    await stop();
    const iam = await start();
    const roles = await iam.send(new ListRolesCommand({}));
    expect(roles.Roles!.map((r) => r.RoleName)).toEqual(['svc-0', 'svc-1', 'svc-2', 'svc-3', 'svc-4', 'svc-5', 'svc-6']);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'svc-3' }))).Role!.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect((await iam.send(new GetUserCommand({ UserName: 'deployer' }))).User!.Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies!.map((p) => p.PolicyName)).toEqual(['kept']);
    const attached = await iam.send(new ListPoliciesCommand({ OnlyAttached: true }));
    expect(attached.Policies!.map((p) => [p.PolicyName, p.AttachmentCount])).toEqual([['AmazonECSTaskExecutionRolePolicy', 1]]);
    const missing = await iam.send(new GetRoleCommand({ RoleName: 'nope' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NoSuchEntityException);
    // IAM answers NoSuchEntity with 404 (its model's status), not a generic 400.
    expect((missing as NoSuchEntityException).$metadata.httpStatusCode).toBe(404);
  });
});
