import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startSecretsFixture, type SecretsFixture } from './fixture.js';

let fixture: SecretsFixture;
let sm: SecretsManagerClient;
beforeAll(async () => {
  fixture = await startSecretsFixture();
  sm = fixture.secretsManager();
});
afterAll(() => fixture.close());

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

describe('CreateSecret, DescribeSecret, GetSecretValue', () => {
  it('creates a secret whose ARN carries a 6-character suffix, and reads it by name, ARN and partial ARN', async () => {
    const created = await sm.send(
      new CreateSecretCommand({ Name: 'app/db', SecretString: '{"password":"p1"}', Description: 'the db', KmsKeyId: 'alias/mine', Tags: [{ Key: 'env', Value: 'prod' }] }),
    );
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/db-[A-Za-z0-9]{6}$/);
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const id of ['app/db', created.ARN!, 'arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db']) {
      const got = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      expect(got).toMatchObject({ ARN: created.ARN, Name: 'app/db', SecretString: '{"password":"p1"}', VersionId: created.VersionId, VersionStages: ['AWSCURRENT'] });
      expect(got.CreatedDate).toBeInstanceOf(Date);
    }
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    expect(described).toMatchObject({
      ARN: created.ARN,
      Name: 'app/db',
      Description: 'the db',
      KmsKeyId: 'alias/mine',
      Tags: [{ Key: 'env', Value: 'prod' }],
      VersionIdsToStages: { [created.VersionId!]: ['AWSCURRENT'] },
    });
    // Describing never shows a value.
    expect(JSON.stringify(described)).not.toContain('p1');
    expect(described.LastAccessedDate?.getUTCHours()).toBe(0);
  });

  it('stores binary secrets', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    await sm.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: 'binary' }));
    expect(Buffer.from(got.SecretBinary!).equals(Buffer.from(bytes))).toBe(true);
    expect(got.SecretString).toBeUndefined();
  });

  it('replays a CreateSecret with the same token and value, and refuses a different value or a duplicate name', async () => {
    const token = randomUUID();
    const first = await sm.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'v', ClientRequestToken: token }));
    const again = await sm.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'v', ClientRequestToken: token }));
    expect({ ARN: again.ARN, VersionId: again.VersionId }).toEqual({ ARN: first.ARN, VersionId: token });
    const changed = await failure(sm.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'w', ClientRequestToken: token })));
    expect(changed).toBeInstanceOf(ResourceExistsException);
    expect(changed.message).toBe(`You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${first.ARN}.`);
    const duplicate = await failure(sm.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'v' })));
    expect(duplicate).toBeInstanceOf(ResourceExistsException);
    expect(duplicate.message).toBe('The operation failed because the secret idem already exists.');
  });

  it('creates a secret without a value, which has no current version yet', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'empty' }));
    expect(created.VersionId).toBeUndefined();
    const err = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'empty' })));
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
    const put = await sm.send(new PutSecretValueCommand({ SecretId: 'empty', SecretString: 'first', VersionStages: ['AWSPENDING'] }));
    // The first version of a secret always becomes AWSCURRENT.
    expect(put.VersionStages?.sort()).toEqual(['AWSCURRENT', 'AWSPENDING']);
  });

  it('answers the errors of the model and of the service', async () => {
    const missing = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe(NOT_FOUND);
    const foreign = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:app/db-AbCdEf' })));
    expect(foreign).toBeInstanceOf(ResourceNotFoundException);
    const both = await failure(sm.send(new CreateSecretCommand({ Name: 'both', SecretString: 's', SecretBinary: Uint8Array.of(1) })));
    expect(both).toBeInstanceOf(InvalidParameterException);
    expect(both.message).toBe("You can't specify both a binary secret value and a string secret value in the same secret.");
    const badName = await failure(sm.send(new CreateSecretCommand({ Name: 'has space', SecretString: 's' })));
    expect(badName.name).toBe('ValidationException');
    expect(badName.message).toBe('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
    const noId = await failure(sm.send(new DescribeSecretCommand({} as never)));
    expect(noId.name).toBe('ValidationException');
    expect(noId.message).toBe("1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    // A sensitive member is never echoed in a validation message.
    const tooLong = await failure(sm.send(new CreateSecretCommand({ Name: 'long', SecretString: 'x'.repeat(65537) })));
    expect(tooLong.name).toBe('ValidationException');
    expect(tooLong.message).not.toContain('xxxx');
    // A managed external secret's partner Type is refused, and nothing is created.
    const typed = await failure(sm.send(new CreateSecretCommand({ Name: 'partner', SecretString: '{}', Type: 'SalesforceClientCredentials' })));
    expect([typed.name, typed.message]).toEqual(['InvalidParameterException', 'Managed external secrets (Type) are not supported by this endpoint.']);
    expect(await failure(sm.send(new DescribeSecretCommand({ SecretId: 'partner' })))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('PutSecretValue, UpdateSecret, UpdateSecretVersionStage, ListSecretVersionIds', () => {
  it('moves AWSCURRENT to each new version and AWSPREVIOUS to the one before', async () => {
    const v1 = (await sm.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'one' }))).VersionId!;
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'two' }));
    expect(v2.VersionStages).toEqual(['AWSCURRENT']);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('one');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionId: v1 }))).VersionStages).toEqual(['AWSPREVIOUS']);
    const v3 = (await sm.send(new UpdateSecretCommand({ SecretId: 'rotating', SecretString: 'three', Description: 'd' }))).VersionId!;
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'rotating' }));
    expect(described.VersionIdsToStages).toEqual({ [v2.VersionId!]: ['AWSPREVIOUS'], [v3]: ['AWSCURRENT'] });
    expect(described.Description).toBe('d');
    // v1 lost its labels: deprecated, listed only on request.
    const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'rotating' }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual([v2.VersionId, v3]);
    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'rotating', IncludeDeprecated: true }));
    expect(all.Versions?.map((v) => v.VersionId)).toEqual([v1, v2.VersionId, v3]);
    expect(all.Versions?.[0]).toMatchObject({ VersionStages: [], KmsKeyIds: ['DefaultEncryptionKey'] });
  });

  it('updates metadata alone without a new version', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'meta', SecretString: 'x' }));
    const updated = await sm.send(new UpdateSecretCommand({ SecretId: 'meta', Description: 'new', KmsKeyId: 'alias/k2' }));
    expect(updated.VersionId).toBeUndefined();
    expect(await sm.send(new DescribeSecretCommand({ SecretId: 'meta' }))).toMatchObject({ Description: 'new', KmsKeyId: 'alias/k2' });
  });

  it('replays PutSecretValue with the same token, refuses a changed value, and requires a value', async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'put-idem', SecretString: 'a' }));
    const token = randomUUID();
    const first = await sm.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'b', ClientRequestToken: token }));
    const again = await sm.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'b', ClientRequestToken: token }));
    expect(again.VersionId).toBe(first.VersionId);
    expect((await sm.send(new ListSecretVersionIdsCommand({ SecretId: ARN }))).Versions).toHaveLength(2);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'c', ClientRequestToken: token }))).rejects.toBeInstanceOf(
      ResourceExistsException,
    );
    const none = await failure(sm.send(new PutSecretValueCommand({ SecretId: ARN })));
    expect(none).toBeInstanceOf(InvalidRequestException);
  });

  it('stages a pending version and promotes it (the rotation sequence verified against AWS)', async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'staged', SecretString: 'previous_secret' }));
    const current = (await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).VersionId!;
    const token = randomUUID();
    await sm.send(new PutSecretValueCommand({ SecretId: ARN, ClientRequestToken: token, SecretString: 'new_secret', VersionStages: ['AWSPENDING'] }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString).toBe('previous_secret');
    const refused = await failure(sm.send(new UpdateSecretVersionStageCommand({ SecretId: ARN, VersionStage: 'AWSCURRENT', MoveToVersionId: token })));
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect(refused.message).toBe(
      `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${current}, so you must explicitly reference that version in RemoveFromVersionId.`,
    );
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: ARN, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: current }));
    const now = await sm.send(new GetSecretValueCommand({ SecretId: ARN, VersionStage: 'AWSCURRENT' }));
    expect(now.SecretString).toBe('new_secret');
    expect(now.VersionStages?.sort()).toEqual(['AWSCURRENT', 'AWSPENDING']);
    const before = await sm.send(new GetSecretValueCommand({ SecretId: ARN, VersionStage: 'AWSPREVIOUS' }));
    expect(before).toMatchObject({ SecretString: 'previous_secret', VersionStages: ['AWSPREVIOUS'] });
    const mismatch = await failure(sm.send(new GetSecretValueCommand({ SecretId: ARN, VersionId: current, VersionStage: 'AWSCURRENT' })));
    expect(mismatch).toBeInstanceOf(InvalidRequestException);
  });

  it('keeps at most 100 versions, dropping the oldest deprecated ones', async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'many', SecretString: 'v0' }));
    for (let i = 1; i <= 102; i++) await sm.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: `v${i}` }));
    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: ARN, IncludeDeprecated: true }));
    expect(all.Versions).toHaveLength(100);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString).toBe('v102');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: ARN, VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('v101');
    const paged = await sm.send(new ListSecretVersionIdsCommand({ SecretId: ARN, IncludeDeprecated: true, MaxResults: 60 }));
    expect(paged.Versions).toHaveLength(60);
    const rest = await sm.send(new ListSecretVersionIdsCommand({ SecretId: ARN, IncludeDeprecated: true, NextToken: paged.NextToken! }));
    expect(rest.Versions).toHaveLength(40);
    expect(rest.NextToken).toBeUndefined();
  });
});

describe('DeleteSecret, RestoreSecret', () => {
  it('schedules deletion in 30 days by default; a scheduled secret cannot be read, can be described and restored', async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'to-delete', SecretString: 'x' }));
    const before = Date.now();
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: ARN }));
    const days = (deleted.DeletionDate!.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    const read = await failure(sm.send(new GetSecretValueCommand({ SecretId: ARN })));
    expect(read).toBeInstanceOf(InvalidRequestException);
    expect(read.message).toBe(MARKED);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'y' }))).rejects.toBeInstanceOf(InvalidRequestException);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: ARN }))).DeletedDate).toBeInstanceOf(Date);
    const recreate = await failure(sm.send(new CreateSecretCommand({ Name: 'to-delete', SecretString: 'z' })));
    expect(recreate.message).toBe("You can't create this secret because a secret with this name is already scheduled for deletion.");
    expect((await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['to-delete'] }] }))).SecretList).toEqual([]);
    const planned = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['to-delete'] }], IncludePlannedDeletion: true }));
    expect(planned.SecretList?.map((s) => s.Name)).toEqual(['to-delete']);
    await sm.send(new RestoreSecretCommand({ SecretId: ARN }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString).toBe('x');
    expect((await sm.send(new DescribeSecretCommand({ SecretId: ARN }))).DeletedDate).toBeUndefined();
  });

  it('checks the recovery window and its conflict with ForceDeleteWithoutRecovery, in AWS order and words', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'window', SecretString: 'x' }));
    for (const days of [0, 6, 31]) {
      const err = await failure(sm.send(new DeleteSecretCommand({ SecretId: 'window', RecoveryWindowInDays: days })));
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toBe('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    }
    const both = await failure(sm.send(new DeleteSecretCommand({ SecretId: 'window', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })));
    expect(both.message).toBe("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    const week = await sm.send(new DeleteSecretCommand({ SecretId: 'window', RecoveryWindowInDays: 7 }));
    expect(Math.round((week.DeletionDate!.getTime() - Date.now()) / 86_400_000)).toBe(7);
    const again = await failure(sm.send(new DeleteSecretCommand({ SecretId: 'window' })));
    expect(again).toBeInstanceOf(InvalidRequestException);
  });

  it('deletes at once with ForceDeleteWithoutRecovery; the name can be reused with a new ARN', async () => {
    const first = await sm.send(new CreateSecretCommand({ Name: 'forced', SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'forced', ForceDeleteWithoutRecovery: true }));
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'forced' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(sm.send(new RestoreSecretCommand({ SecretId: 'forced' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const second = await sm.send(new CreateSecretCommand({ Name: 'forced', SecretString: 'y' }));
    expect(second.ARN).not.toBe(first.ARN);
    await expect(sm.send(new GetSecretValueCommand({ SecretId: first.ARN }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('TagResource, UntagResource, ListSecrets, BatchGetSecretValue', () => {
  it('tags and untags', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'tagged', SecretString: 'x', Tags: [{ Key: 'a', Value: '1' }] }));
    await sm.send(new TagResourceCommand({ SecretId: 'tagged', Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).Tags).toEqual([
      { Key: 'a', Value: '2' },
      { Key: 'b', Value: '3' },
    ]);
    await sm.send(new UntagResourceCommand({ SecretId: 'tagged', TagKeys: ['a'] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).Tags).toEqual([{ Key: 'b', Value: '3' }]);
    await expect(sm.send(new TagResourceCommand({ SecretId: 'nope', Tags: [] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists with filters, sorting and pages, never showing values', async () => {
    const region = fixture.secretsManager('eu-west-3');
    for (const name of ['list/a', 'list/b', 'list/c', 'other']) {
      await region.send(new CreateSecretCommand({ Name: name, SecretString: `value-of-${name}`, Tags: [{ Key: 'team', Value: name.startsWith('list') ? 'x' : 'y' }] }));
    }
    const all = await region.send(new ListSecretsCommand({}));
    expect(all.SecretList?.map((s) => s.Name)).toEqual(['list/a', 'list/b', 'list/c', 'other']);
    expect(JSON.stringify(all)).not.toContain('value-of');
    expect(all.SecretList?.[0]?.SecretVersionsToStages).toBeDefined();
    const desc = await region.send(new ListSecretsCommand({ SortOrder: 'desc' }));
    expect(desc.SecretList?.map((s) => s.Name)).toEqual(['other', 'list/c', 'list/b', 'list/a']);
    const prefixed = await region.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }, { Key: 'tag-value', Values: ['x'] }] }));
    expect(prefixed.SecretList?.map((s) => s.Name)).toEqual(['list/a', 'list/b', 'list/c']);
    const negated = await region.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['!list'] }] }));
    expect(negated.SecretList?.map((s) => s.Name)).toEqual(['other']);
    const page1 = await region.send(new ListSecretsCommand({ MaxResults: 3 }));
    expect(page1.SecretList).toHaveLength(3);
    const page2 = await region.send(new ListSecretsCommand({ MaxResults: 3, NextToken: page1.NextToken! }));
    expect(page2.SecretList?.map((s) => s.Name)).toEqual(['other']);
    const badKey = await failure(region.send(new ListSecretsCommand({ Filters: [{ Key: 'nope' as never, Values: ['x'] }] })));
    expect(badKey.name).toBe('ValidationException');
    expect(badKey.message).toMatch(/^1 validation error detected: Value 'nope' at 'filters\.1\.member\.key' failed to satisfy constraint/);
    const badToken = await failure(region.send(new ListSecretsCommand({ NextToken: 'garbage' })));
    expect(badToken.name).toBe('InvalidNextTokenException');
  });

  it('gets many values at once, reporting the secrets it cannot read', async () => {
    const region = fixture.secretsManager('ap-south-1');
    await region.send(new CreateSecretCommand({ Name: 'b1', SecretString: 'one' }));
    await region.send(new CreateSecretCommand({ Name: 'b2', SecretString: 'two' }));
    await region.send(new CreateSecretCommand({ Name: 'b3', SecretString: 'three' }));
    await region.send(new DeleteSecretCommand({ SecretId: 'b3' }));
    const byId = await region.send(new BatchGetSecretValueCommand({ SecretIdList: ['b1', 'b2', 'b3', 'missing'] }));
    expect(byId.SecretValues?.map((v) => [v.Name, v.SecretString])).toEqual([
      ['b1', 'one'],
      ['b2', 'two'],
    ]);
    expect(byId.Errors).toEqual([
      { SecretId: 'b3', ErrorCode: 'InvalidRequestException', Message: MARKED },
      { SecretId: 'missing', ErrorCode: 'ResourceNotFoundException', Message: NOT_FOUND },
    ]);
    const byFilter = await region.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['b'] }], MaxResults: 1 }));
    expect(byFilter.SecretValues?.map((v) => v.Name)).toEqual(['b1']);
    const next = await region.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['b'] }], MaxResults: 1, NextToken: byFilter.NextToken! }));
    expect(next.SecretValues?.map((v) => v.Name)).toEqual(['b2']);
    const both = await failure(region.send(new BatchGetSecretValueCommand({ SecretIdList: ['b1'], Filters: [{ Key: 'name', Values: ['b'] }] })));
    expect(both).toBeInstanceOf(InvalidParameterException);
    expect(both.message).toBe("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  });
});

describe('GetRandomPassword', () => {
  it('generates 32 characters of every type by default, honours the options, and checks the length', async () => {
    const plain = (await sm.send(new GetRandomPasswordCommand({}))).RandomPassword!;
    expect(plain).toHaveLength(32);
    expect(plain).toMatch(/[a-z]/);
    expect(plain).toMatch(/[A-Z]/);
    expect(plain).toMatch(/[0-9]/);
    expect(plain).toMatch(/[^a-zA-Z0-9]/);
    const digits = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 50, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: '01' }))).RandomPassword!;
    expect(digits).toMatch(/^[2-9]{50}$/);
    const long = await failure(sm.send(new GetRandomPasswordCommand({ PasswordLength: 4097 })));
    expect(long.name).toBe('ValidationException');
    expect(long.message).toBe("1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096");
    const short = await failure(sm.send(new GetRandomPasswordCommand({ PasswordLength: 2 })));
    expect(short).toBeInstanceOf(InvalidParameterException);
    expect(short.message).toBe('Password length is too short based on the required types.');
  });
});
