import { describe, expect, it } from 'vitest';
import { awsCli, type CliResult } from '../support/aws-cli.js';
import { usePlatform } from '../support/platform.js';

const env = usePlatform();
const aws = (...args: string[]) => awsCli(env.platform().endpoint, env.platform().config.dataDir, args);

// The CLI prints JSON that each assertion reads by its own shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ok = (res: CliResult): Record<string, any> => {
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout || '{}');
};

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const INLINE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: 'arn:aws:secretsmanager:us-east-1:*:secret:app/*' }],
});
const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

// Each CLI run starts a Python process (about a second), hence the long timeouts.
describe('the AWS CLI against IAM', { timeout: 120_000 }, () => {
  it('runs the task execution role flow of a deploy tool', async () => {
    const created = ok(await aws('iam', 'create-role', '--role-name', 'app-exec', '--assume-role-policy-document', TRUST, '--description', 'runs app', '--tags', 'Key=team,Value=web'));
    expect(created.Role.Arn).toBe(`arn:aws:iam::${env.platform().config.accountId}:role/app-exec`);
    expect(created.Role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    // botocore decodes IAM's URL-encoded documents back into JSON.
    expect(created.Role.AssumeRolePolicyDocument).toEqual(JSON.parse(TRUST));

    ok(await aws('iam', 'wait', 'role-exists', '--role-name', 'app-exec'));
    ok(await aws('iam', 'attach-role-policy', '--role-name', 'app-exec', '--policy-arn', EXECUTION_POLICY));
    ok(await aws('iam', 'put-role-policy', '--role-name', 'app-exec', '--policy-name', 'secrets', '--policy-document', INLINE));

    const got = ok(await aws('iam', 'get-role', '--role-name', 'app-exec'));
    expect(got.Role).toMatchObject({ RoleName: 'app-exec', Path: '/', Description: 'runs app', MaxSessionDuration: 3600, Tags: [{ Key: 'team', Value: 'web' }] });
    const attached = ok(await aws('iam', 'list-attached-role-policies', '--role-name', 'app-exec'));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: EXECUTION_POLICY }]);
    expect(ok(await aws('iam', 'list-role-policies', '--role-name', 'app-exec')).PolicyNames).toEqual(['secrets']);
    expect(ok(await aws('iam', 'get-role-policy', '--role-name', 'app-exec', '--policy-name', 'secrets')).PolicyDocument).toEqual(JSON.parse(INLINE));

    const policy = ok(await aws('iam', 'get-policy', '--policy-arn', EXECUTION_POLICY)).Policy;
    expect(policy).toMatchObject({ PolicyName: 'AmazonECSTaskExecutionRolePolicy', DefaultVersionId: 'v1', AttachmentCount: 1, Path: '/service-role/' });
    const version = ok(await aws('iam', 'get-policy-version', '--policy-arn', EXECUTION_POLICY, '--version-id', 'v1')).PolicyVersion;
    expect(version.Document.Statement[0].Action).toContain('ecr:GetAuthorizationToken');
    const entities = ok(await aws('iam', 'list-entities-for-policy', '--policy-arn', EXECUTION_POLICY));
    expect(entities.PolicyRoles).toEqual([{ RoleName: 'app-exec', RoleId: created.Role.RoleId }]);

    // Deleting a role with policies is refused, as IAM does, until they are gone.
    const refused = await aws('iam', 'delete-role', '--role-name', 'app-exec');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('DeleteConflict');
    expect(refused.stderr).toContain('Cannot delete entity, must detach all policies first.');

    ok(await aws('iam', 'detach-role-policy', '--role-name', 'app-exec', '--policy-arn', EXECUTION_POLICY));
    ok(await aws('iam', 'delete-role-policy', '--role-name', 'app-exec', '--policy-name', 'secrets'));
    ok(await aws('iam', 'delete-role', '--role-name', 'app-exec'));
    const gone = await aws('iam', 'get-role', '--role-name', 'app-exec');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name app-exec cannot be found.');
  });

  it('versions a customer managed policy', async () => {
    const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    const policy = ok(await aws('iam', 'create-policy', '--policy-name', 'logs-writer', '--path', '/app/', '--policy-document', doc('logs:PutLogEvents'))).Policy;
    expect(policy.Arn).toBe(`arn:aws:iam::${env.platform().config.accountId}:policy/app/logs-writer`);
    expect(policy.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    for (let i = 2; i <= 5; i++) ok(await aws('iam', 'create-policy-version', '--policy-arn', policy.Arn, '--policy-document', doc(`logs:Action${i}`)));
    const sixth = await aws('iam', 'create-policy-version', '--policy-arn', policy.Arn, '--policy-document', doc('logs:Six'));
    expect(sixth.stderr).toContain('LimitExceeded');
    ok(await aws('iam', 'set-default-policy-version', '--policy-arn', policy.Arn, '--version-id', 'v3'));
    const v3 = ok(await aws('iam', 'get-policy-version', '--policy-arn', policy.Arn, '--version-id', 'v3')).PolicyVersion;
    expect(v3).toMatchObject({ VersionId: 'v3', IsDefaultVersion: true, Document: JSON.parse(doc('logs:Action3')) });
    const versions = ok(await aws('iam', 'list-policy-versions', '--policy-arn', policy.Arn)).Versions as Array<{ VersionId: string }>;
    expect(versions.map((v) => v.VersionId)).toEqual(['v5', 'v4', 'v3', 'v2', 'v1']);
    expect((await aws('iam', 'delete-policy-version', '--policy-arn', policy.Arn, '--version-id', 'v3')).stderr).toContain('DeleteConflict');
    const local = ok(await aws('iam', 'list-policies', '--scope', 'Local')).Policies as Array<{ PolicyName: string }>;
    expect(local.map((p) => p.PolicyName)).toEqual(['logs-writer']);
    for (const v of ['v1', 'v2', 'v4', 'v5']) ok(await aws('iam', 'delete-policy-version', '--policy-arn', policy.Arn, '--version-id', v));
    ok(await aws('iam', 'delete-policy', '--policy-arn', policy.Arn));
  });

  it('answers bad input with IAM errors and stores nothing', async () => {
    const malformed = await aws('iam', 'create-role', '--role-name', 'bad', '--assume-role-policy-document', '{"Version":"2012-10-17","Statement":[');
    expect(malformed.stderr).toContain('An error occurred (MalformedPolicyDocument) when calling the CreateRole operation: Syntax errors in policy.');
    const withResource = await aws('iam', 'create-role', '--role-name', 'bad', '--assume-role-policy-document',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }] }));
    expect(withResource.stderr).toContain('Has prohibited field Resource');
    const badName = await aws('iam', 'create-role', '--role-name', 'bad name!', '--assume-role-policy-document', TRUST);
    expect(badName.stderr).toContain('ValidationError');
    expect((await aws('iam', 'get-role', '--role-name', 'bad')).stderr).toContain('NoSuchEntity');
    ok(await aws('iam', 'create-role', '--role-name', 'twice', '--assume-role-policy-document', TRUST));
    const again = await aws('iam', 'create-role', '--role-name', 'TWICE', '--assume-role-policy-document', TRUST);
    expect(again.stderr).toContain('(EntityAlreadyExists) when calling the CreateRole operation: Role with name TWICE already exists.');
    const missingPolicy = await aws('iam', 'attach-role-policy', '--role-name', 'twice', '--policy-arn', 'arn:aws:iam::aws:policy/NoSuchPolicy');
    expect(missingPolicy.stderr).toContain('NoSuchEntity');
    expect(ok(await aws('iam', 'list-attached-role-policies', '--role-name', 'twice')).AttachedPolicies).toEqual([]);
    ok(await aws('iam', 'delete-role', '--role-name', 'twice'));
  });

  it('creates ECS service-linked role and instance profiles', async () => {
    const role = ok(await aws('iam', 'create-service-linked-role', '--aws-service-name', 'ecs.amazonaws.com')).Role;
    expect(role.Arn).toBe(`arn:aws:iam::${env.platform().config.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`);
    expect((await aws('iam', 'delete-role', '--role-name', 'AWSServiceRoleForECS')).stderr).toContain('UnmodifiableEntity');
    const task = ok(await aws('iam', 'delete-service-linked-role', '--role-name', 'AWSServiceRoleForECS')).DeletionTaskId;
    expect(ok(await aws('iam', 'get-service-linked-role-deletion-status', '--deletion-task-id', task)).Status).toBe('SUCCEEDED');

    const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    ok(await aws('iam', 'create-role', '--role-name', 'ecsInstanceRole', '--assume-role-policy-document', ec2Trust));
    ok(await aws('iam', 'create-instance-profile', '--instance-profile-name', 'ecs-hosts'));
    ok(await aws('iam', 'add-role-to-instance-profile', '--instance-profile-name', 'ecs-hosts', '--role-name', 'ecsInstanceRole'));
    const profiles = ok(await aws('iam', 'list-instance-profiles-for-role', '--role-name', 'ecsInstanceRole')).InstanceProfiles;
    expect(profiles.map((p: { InstanceProfileName: string }) => p.InstanceProfileName)).toEqual(['ecs-hosts']);
    expect(profiles[0].Roles[0].RoleName).toBe('ecsInstanceRole');
    expect((await aws('iam', 'delete-role', '--role-name', 'ecsInstanceRole')).stderr).toContain('must remove roles from instance profile first');
    ok(await aws('iam', 'remove-role-from-instance-profile', '--instance-profile-name', 'ecs-hosts', '--role-name', 'ecsInstanceRole'));
    ok(await aws('iam', 'delete-instance-profile', '--instance-profile-name', 'ecs-hosts'));
    ok(await aws('iam', 'delete-role', '--role-name', 'ecsInstanceRole'));
  });
});
