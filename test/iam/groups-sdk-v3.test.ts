import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  DetachGroupPolicyCommand,
  DetachUserPolicyCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListUserTagsCommand,
  PutGroupPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateGroupCommand,
  paginateGetGroup,
  paginateListAttachedUserPolicies,
  paginateListRoleTags,
} from '@aws-sdk/client-iam';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// The AWS SDK for JavaScript v3 against IAM's groups and the managed policies of users and groups,
// and the authorisation of a user's requests by its groups' policies.
let platform: TestPlatform;
let iam: IAMClient;
type Creds = { accessKeyId: string; secretAccessKey: string };
const cfg = (credentials: Creds) => ({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const SSM_READ = 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess';

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  platform = await startTestPlatform();
  iam = new IAMClient(cfg({ accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey }));
}, 60_000);
afterAll(async () => {
  iam?.destroy();
  await platform?.dispose();
});

describe('the AWS SDK for JavaScript v3 against IAM groups', { timeout: 30_000 }, () => {
  it('attaches managed policies to a user, lists them by PathPrefix and pages, keeps AttachmentCount, refuses deletions while attached', async () => {
    const account = platform.config.accountId;
    await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
    const own = (await iam.send(new CreatePolicyCommand({ PolicyName: 'deploy', Path: '/app/', PolicyDocument: doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }) }))).Policy!;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: own.Arn! }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: SSM_READ }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: SSM_READ }));
    const listed = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'deployer' }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyName: 'deploy', PolicyArn: own.Arn },
      { PolicyName: 'AmazonSSMReadOnlyAccess', PolicyArn: SSM_READ },
    ]);
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'deployer', PathPrefix: '/app/' }))).AttachedPolicies!.map((p) => p.PolicyName)).toEqual(['deploy']);
    const pages: string[][] = [];
    for await (const page of paginateListAttachedUserPolicies({ client: iam, pageSize: 1 }, { UserName: 'deployer' })) pages.push(page.AttachedPolicies!.map((p) => p.PolicyName!));
    expect(pages).toEqual([['deploy'], ['AmazonSSMReadOnlyAccess']]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: own.Arn! }))).Policy!.AttachmentCount).toBe(1);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: own.Arn! }));
    expect(entities.PolicyUsers).toEqual([{ UserName: 'deployer', UserId: expect.stringMatching(/^AIDA/) }]);

    const missingPolicy = `arn:aws:iam::${account}:policy/none`;
    expect(await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: missingPolicy })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${missingPolicy} does not exist or is not attachable.`,
      status: 404,
    });
    expect(await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'nobody', PolicyArn: SSM_READ })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The user with name nobody cannot be found.',
    });
    expect((await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: 'arn:aws:s3:::bucket-name' })))).name).toBe('InvalidInputException');
    expect((await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'bad name!', PolicyArn: SSM_READ })))).name).toBe('ValidationError');
    expect(await failure(iam.send(new DeletePolicyCommand({ PolicyArn: own.Arn! })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(await failure(iam.send(new DeleteUserCommand({ UserName: 'deployer' })))).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
    });
    await iam.send(new DetachUserPolicyCommand({ UserName: 'deployer', PolicyArn: own.Arn! }));
    expect((await failure(iam.send(new DetachUserPolicyCommand({ UserName: 'deployer', PolicyArn: own.Arn! })))).name).toBe('NoSuchEntityException');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'deployer', PolicyArn: SSM_READ }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: own.Arn! }));
    await iam.send(new DeleteUserCommand({ UserName: 'deployer' }));
  });

  it('counts a policy used as a permissions boundary in PermissionsBoundaryUsageCount and lists those users and roles by PolicyUsageFilter', async () => {
    const boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'dev-boundary', PolicyDocument: doc({ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }) }))).Policy!;
    expect(boundary.PermissionsBoundaryUsageCount).toBe(0);
    const trust = doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' });
    await iam.send(new CreateRoleCommand({ RoleName: 'bounded-task', AssumeRolePolicyDocument: trust, PermissionsBoundary: boundary.Arn! }));
    await iam.send(new CreateUserCommand({ UserName: 'bounded-dev', PermissionsBoundary: boundary.Arn! }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: boundary.Arn! }))).Policy).toMatchObject({ AttachmentCount: 0, PermissionsBoundaryUsageCount: 2 });
    const asBoundary = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: boundary.Arn!, PolicyUsageFilter: 'PermissionsBoundary' }));
    expect([asBoundary.PolicyUsers!.map((u) => u.UserName), asBoundary.PolicyRoles!.map((r) => r.RoleName), asBoundary.PolicyGroups]).toEqual([['bounded-dev'], ['bounded-task'], []]);
    const attached = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: boundary.Arn!, PolicyUsageFilter: 'PermissionsPolicy' }));
    expect([attached.PolicyUsers, attached.PolicyRoles, attached.PolicyGroups]).toEqual([[], [], []]);
    const inUse = async (filter: 'PermissionsPolicy' | 'PermissionsBoundary') =>
      (await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true, PolicyUsageFilter: filter }))).Policies!.map((p) => p.PolicyName);
    expect(await inUse('PermissionsBoundary')).toEqual(['dev-boundary']);
    expect(await inUse('PermissionsPolicy')).not.toContain('dev-boundary');
    expect((await failure(iam.send(new ListPoliciesCommand({ PolicyUsageFilter: 'Boundary' as 'PermissionsBoundary' })))).name).toBe('ValidationError');
    await iam.send(new DeleteRoleCommand({ RoleName: 'bounded-task' }));
    await iam.send(new DeleteUserCommand({ UserName: 'bounded-dev' }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: boundary.Arn! }))).Policy!.PermissionsBoundaryUsageCount).toBe(0);
    await iam.send(new DeletePolicyCommand({ PolicyArn: boundary.Arn! }));
  });

  it('pages the tags of roles and users by MaxItems and Marker, in the order they were given', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' });
    const tags = [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'prod' }, { Key: 'cost', Value: 'c1' }];
    await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: trust, Tags: tags }));
    await iam.send(new CreateUserCommand({ UserName: 'tagged-user', Tags: tags }));
    const pages: string[][] = [];
    for await (const page of paginateListRoleTags({ client: iam, pageSize: 2 }, { RoleName: 'tagged' })) pages.push(page.Tags!.map((t) => t.Key!));
    expect(pages).toEqual([['team', 'env'], ['cost']]);
    const first = await iam.send(new ListUserTagsCommand({ UserName: 'tagged-user', MaxItems: 1 }));
    expect([first.Tags, first.IsTruncated]).toEqual([[{ Key: 'team', Value: 'web' }], true]);
    const rest = await iam.send(new ListUserTagsCommand({ UserName: 'tagged-user', Marker: first.Marker! }));
    expect([rest.Tags!.map((t) => t.Key), rest.IsTruncated, rest.Marker]).toEqual([['env', 'cost'], false, undefined]);
    await iam.send(new DeleteRoleCommand({ RoleName: 'tagged' }));
    await iam.send(new DeleteUserCommand({ UserName: 'tagged-user' }));
  });

  it('creates, lists, renames and deletes groups; GetGroup pages its users; ListGroupsForUser names the user’s groups', async () => {
    const account = platform.config.accountId;
    const created = (await iam.send(new CreateGroupCommand({ GroupName: 'ops', Path: '/teams/' }))).Group!;
    expect(created).toMatchObject({ GroupName: 'ops', Path: '/teams/', Arn: `arn:aws:iam::${account}:group/teams/ops` });
    expect(created.GroupId).toMatch(/^AGPA[A-Z2-7]{17}$/);
    expect(created.CreateDate).toBeInstanceOf(Date);
    expect((await failure(iam.send(new CreateGroupCommand({ GroupName: 'OPS' })))).name).toBe('EntityAlreadyExistsException');
    expect((await failure(iam.send(new CreateGroupCommand({ GroupName: 'x', Path: 'no-slash' })))).name).toBe('ValidationError');
    await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
    expect((await iam.send(new ListGroupsCommand({}))).Groups!.map((g) => g.GroupName)).toEqual(['admins', 'ops']);
    expect((await iam.send(new ListGroupsCommand({ PathPrefix: '/teams/' }))).Groups!.map((g) => g.GroupName)).toEqual(['ops']);
    const firstPage = await iam.send(new ListGroupsCommand({ MaxItems: 1 }));
    expect(firstPage).toMatchObject({ IsTruncated: true, Groups: [expect.objectContaining({ GroupName: 'admins' })] });

    for (const name of ['carol', 'alice', 'bob']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: name }));
    }
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'alice' }));
    const members: string[] = [];
    for await (const page of paginateGetGroup({ client: iam, pageSize: 2 }, { GroupName: 'ops' })) {
      expect(page.Group!.GroupName).toBe('ops');
      members.push(...page.Users!.map((u) => u.UserName!));
    }
    expect(members).toEqual(['alice', 'bob', 'carol']);
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups!.map((g) => g.GroupName)).toEqual(['admins', 'ops']);
    expect((await failure(iam.send(new ListGroupsForUserCommand({ UserName: 'nobody' })))).name).toBe('NoSuchEntityException');
    expect(await failure(iam.send(new AddUserToGroupCommand({ GroupName: 'none', UserName: 'alice' })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The group with name none cannot be found.',
    });
    expect(await failure(iam.send(new DeleteUserCommand({ UserName: 'bob' })))).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove users from group first.',
    });
    expect(await failure(iam.send(new DeleteGroupCommand({ GroupName: 'ops' })))).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove users from group first.',
    });

    await iam.send(new UpdateGroupCommand({ GroupName: 'ops', NewGroupName: 'platform' }));
    expect((await failure(iam.send(new GetGroupCommand({ GroupName: 'ops' })))).name).toBe('NoSuchEntityException');
    expect((await iam.send(new GetGroupCommand({ GroupName: 'platform' }))).Group!.Arn).toBe(`arn:aws:iam::${account}:group/teams/platform`);
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'bob' }))).Groups!.map((g) => g.GroupName)).toEqual(['platform']);

    for (const name of ['carol', 'alice', 'bob']) await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'platform', UserName: name }));
    expect((await failure(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'platform', UserName: 'bob' })))).name).toBe('NoSuchEntityException');
    await iam.send(new DeleteUserCommand({ UserName: 'bob' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'platform' }));
    expect((await iam.send(new ListGroupsCommand({}))).Groups!.map((g) => g.GroupName)).toEqual(['admins']);
  });

  it("keeps a group's inline and attached policies, and refuses its deletion until they are gone", async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    const read = doc({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' });
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read', PolicyDocument: read }));
    const got = await iam.send(new GetGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read' }));
    expect(got).toMatchObject({ GroupName: 'readers', PolicyName: 'read' });
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(read);
    expect((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'readers' }))).PolicyNames).toEqual(['read']);
    expect((await failure(iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'bad', PolicyDocument: '{' })))).name).toBe('MalformedPolicyDocumentException');
    expect(await failure(iam.send(new GetGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'other' })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The group policy with name other cannot be found.',
    });
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: SSM_READ }));
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'readers' }))).AttachedPolicies).toEqual([{ PolicyName: 'AmazonSSMReadOnlyAccess', PolicyArn: SSM_READ }]);
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'readers', PathPrefix: '/service-role/' }))).AttachedPolicies).toEqual([]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: SSM_READ }))).Policy!.AttachmentCount).toBe(1);
    expect((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: SSM_READ }))).PolicyGroups).toEqual([{ GroupName: 'readers', GroupId: expect.stringMatching(/^AGPA/) }]);
    expect((await failure(iam.send(new DeleteGroupCommand({ GroupName: 'readers' })))).message).toBe('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read' }));
    expect((await failure(iam.send(new DeleteGroupCommand({ GroupName: 'readers' })))).message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: SSM_READ }));
    expect((await failure(iam.send(new DetachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: SSM_READ })))).name).toBe('NoSuchEntityException');
    await iam.send(new DeleteGroupCommand({ GroupName: 'readers' }));
  });
});

describe("requests with an IAM user's keys", { timeout: 30_000 }, () => {
  it("are allowed by a managed policy attached to the user's group, and no longer once the user leaves it", async () => {
    const account = platform.config.accountId;
    const root = new SSMClient(cfg({ accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey }));
    for (const name of ['/app/allowed', '/app/other']) await root.send(new PutParameterCommand({ Name: name, Value: `value of ${name}`, Type: 'String' }));
    root.destroy();
    const allowed = `arn:aws:ssm:us-east-1:${account}:parameter/app/allowed`;
    const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'read-one', PolicyDocument: doc({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: allowed }) }))).Policy!;
    await iam.send(new CreateGroupCommand({ GroupName: 'app-readers' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'app-readers', PolicyArn: policy.Arn! }));
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
    const ssm = new SSMClient(cfg({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }));

    const user = `arn:aws:iam::${account}:user/reader`;
    const refusal = `User: ${user} is not authorized to perform: ssm:GetParameter on resource: ${allowed} because no identity-based policy allows the ssm:GetParameter action`;
    // No inline policy and no group yet: nothing is allowed.
    expect(await failure(ssm.send(new GetParameterCommand({ Name: '/app/allowed' })))).toMatchObject({ name: 'AccessDeniedException', message: refusal });
    await iam.send(new AddUserToGroupCommand({ GroupName: 'app-readers', UserName: 'reader' }));
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/allowed' }))).Parameter!.Value).toBe('value of /app/allowed');
    expect((await failure(ssm.send(new GetParameterCommand({ Name: '/app/other' })))).name).toBe('AccessDeniedException');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'app-readers', UserName: 'reader' }));
    expect(await failure(ssm.send(new GetParameterCommand({ Name: '/app/allowed' })))).toMatchObject({ name: 'AccessDeniedException', message: refusal });
    ssm.destroy();
  });
});
