import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { STSServiceException } from '@aws-sdk/client-sts';
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startStsFrontDoor, type StsFrontDoor } from './sts-support.js';

let door: StsFrontDoor;
const root = { accessKeyId: 'test', secretAccessKey: 'test' };
const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = root) =>
  new STSClient({ endpoint: door.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const iam = () => new IAMClient({ endpoint: door.endpoint, region: 'us-east-1', credentials: root, maxAttempts: 1 });

const trust = (principal: object) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as STSServiceException;
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  door = await startStsFrontDoor();
  const client = iam();
  await client.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), MaxSessionDuration: 7200 }));
  await client.send(new CreateRoleCommand({ RoleName: 'tasks-only', AssumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }) }));
  client.destroy();
});
afterAll(() => door.close());

describe('STS with the AWS SDK for JavaScript v3', { timeout: 30_000 }, () => {
  it('assumes a role; its credentials are accepted and name the assumed role until they expire', async () => {
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/app`, RoleSessionName: 'alice', DurationSeconds: 900 }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey).toHaveLength(40);
    expect(Math.abs(c.Expiration!.getTime() - (Date.now() + 900_000))).toBeLessThan(5_000);
    expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/app/alice`);
    expect(out.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:alice$/);
    expect(out.PackedPolicySize).toBeUndefined();

    const temp = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const who = await sts(temp).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: ACCOUNT, Arn: out.AssumedRoleUser!.Arn, UserId: out.AssumedRoleUser!.AssumedRoleId });

    // Without its token, or with another's, the key is unknown.
    expect(await failure(sts({ accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey }).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      status: 403,
    });
    const tampered = temp.sessionToken.slice(0, 40) + (temp.sessionToken[40] === 'A' ? 'B' : 'A') + temp.sessionToken.slice(41);
    expect((await failure(sts({ ...temp, sessionToken: tampered }).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    // The right token with a wrong secret is a signature mismatch.
    expect((await failure(sts({ ...temp, secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({})))).name).toBe('SignatureDoesNotMatch');

    door.advance(901_000);
    try {
      expect(await failure(sts(temp).send(new GetCallerIdentityCommand({})))).toMatchObject({
        name: 'ExpiredToken',
        message: 'The security token included in the request is expired',
        status: 403,
      });
    } finally {
      door.advance(-901_000);
    }
  });

  it('refuses a role that does not trust the caller, or does not exist, with AccessDenied', async () => {
    for (const name of ['tasks-only', 'nobody']) {
      const arn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
      expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1' })))).toEqual({
        name: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
        status: 403,
      });
    }
  });

  it('checks DurationSeconds against the model and the role, and role chaining against one hour', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/app`;
    const low = await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', DurationSeconds: 899 })));
    expect(low.name).toBe('ValidationError');
    expect(low.message).toContain('durationSeconds');
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', DurationSeconds: 7201 })))).toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    const first = await sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'first', DurationSeconds: 7200 }));
    const c = first.Credentials!;
    const chained = sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    // The app role trusts the account, so its own sessions may assume it again, for an hour at most.
    expect((await failure(chained.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'second', DurationSeconds: 3601 })))).message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const second = await chained.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'second' }));
    expect(second.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/app/second`);
    expect((await failure(chained.send(new GetSessionTokenCommand({})))).message).toBe('Cannot call GetSessionToken with session credentials');
  });

  it('takes session policies and tags, refusing malformed policies and duplicate tag keys', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/app`;
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', Policy: policy, Tags: [{ Key: 'team', Value: 'a' }] }));
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    expect(out.PackedPolicySize).toBeLessThanOrEqual(100);
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', Policy: '{not json' })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'The policy is not in the valid JSON format.',
    });
    const dup = await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })));
    expect(dup.name).toBe('ValidationError');
  });

  it("accepts an IAM user's access keys, and GetSessionToken's credentials act as that user", async () => {
    const client = iam();
    await client.send(new CreateUserCommand({ UserName: 'bob' }));
    const { AccessKey: key } = await client.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    client.destroy();
    const bob = sts({ accessKeyId: key!.AccessKeyId!, secretAccessKey: key!.SecretAccessKey! });
    const who = await bob.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/bob`);
    expect(who.UserId).toMatch(/^AIDA/);
    const session = (await bob.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
    expect(session.AccessKeyId).toMatch(/^ASIA/);
    const asSession = await sts({ accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! }).send(
      new GetCallerIdentityCommand({}),
    );
    expect(asSession).toMatchObject({ Arn: who.Arn, UserId: who.UserId });
    expect((await bob.send(new GetAccessKeyInfoCommand({ AccessKeyId: session.AccessKeyId! }))).Account).toBe(ACCOUNT);
  });

  it('caps the root\'s GetSessionToken at one hour, as STS does', async () => {
    const out = (await sts().send(new GetSessionTokenCommand({ DurationSeconds: 129_600 }))).Credentials!;
    expect(Math.abs(out.Expiration!.getTime() - (Date.now() + 3600_000))).toBeLessThan(5_000);
    const bad = await failure(sts().send(new GetSessionTokenCommand({ DurationSeconds: 129_601 })));
    expect(bad.name).toBe('ValidationError');
  });

  it('refuses an MFA serial number or token code with ValidationError (400): this endpoint has no MFA devices', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/app`;
    const mfa = { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice`, TokenCode: '123456' };
    const message = 'The parameter SerialNumber is not supported by this endpoint: it has no MFA devices.';
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'mfa', ...mfa })))).toEqual({ name: 'ValidationError', message, status: 400 });
    expect(await failure(sts().send(new GetSessionTokenCommand(mfa)))).toEqual({ name: 'ValidationError', message, status: 400 });
    expect(await failure(sts().send(new GetSessionTokenCommand({ TokenCode: '123456' })))).toMatchObject({
      message: 'The parameter TokenCode is not supported by this endpoint: it has no MFA devices.',
      status: 400,
    });
  });

  it('refuses SourceIdentity and TransitiveTagKeys with ValidationError (400) rather than issue a session without them', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/app`;
    const tags = [{ Key: 'team', Value: 'a' }];
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'src', SourceIdentity: 'alice' })))).toEqual({
      name: 'ValidationError',
      message: 'The parameter SourceIdentity is not supported by this endpoint: its sessions keep no source identity.',
      status: 400,
    });
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'abac', Tags: tags, TransitiveTagKeys: ['team'] })))).toEqual({
      name: 'ValidationError',
      message: 'The parameter TransitiveTagKeys is not supported by this endpoint: session tags are not carried into chained role sessions.',
      status: 400,
    });
  });
});
