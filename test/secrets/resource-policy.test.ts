import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  GetResourcePolicyCommand,
  InvalidRequestException,
  MalformedPolicyDocumentException,
  PublicPolicyException,
  PutResourcePolicyCommand,
  ResourceNotFoundException,
  ValidateResourcePolicyCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startSecretsFixture, type SecretsFixture } from './fixture.js';

let fixture: SecretsFixture;
let sm: SecretsManagerClient;
beforeAll(async () => {
  fixture = await startSecretsFixture();
  sm = fixture.secretsManager();
});
afterAll(() => fixture.close());

const appRole = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:role/app' },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
    },
  ],
};
const everyone = { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' } };

describe('a secret’s resource policy', () => {
  it('is absent until put, read back as written, and gone after DeleteResourcePolicy', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'policy/app', SecretString: 'v' }));
    const none = await sm.send(new GetResourcePolicyCommand({ SecretId: 'policy/app' }));
    expect(none).toMatchObject({ ARN: created.ARN, Name: 'policy/app' });
    expect(none.ResourcePolicy).toBeUndefined();

    const text = JSON.stringify(appRole, null, 2);
    const put = await sm.send(new PutResourcePolicyCommand({ SecretId: created.ARN, ResourcePolicy: text, BlockPublicPolicy: true }));
    expect(put).toMatchObject({ ARN: created.ARN, Name: 'policy/app' });
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'policy/app' }))).ResourcePolicy).toBe(text);

    expect(await sm.send(new DeleteResourcePolicyCommand({ SecretId: 'policy/app' }))).toMatchObject({ ARN: created.ARN, Name: 'policy/app' });
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'policy/app' }))).ResourcePolicy).toBeUndefined();
    // Deleting again is not an error.
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: 'policy/app' }));
  });

  it('blocks a public policy only when asked to, and refuses bad syntax without storing anything', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'policy/public', SecretString: 'v' }));
    const blocked = await failure(sm.send(new PutResourcePolicyCommand({ SecretId: 'policy/public', ResourcePolicy: JSON.stringify(everyone), BlockPublicPolicy: true })));
    expect(blocked).toBeInstanceOf(PublicPolicyException);
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'policy/public' }))).ResourcePolicy).toBeUndefined();

    const malformed = await failure(sm.send(new PutResourcePolicyCommand({ SecretId: 'policy/public', ResourcePolicy: '{"Version":"2019-10-19","Statement":[]}' })));
    expect(malformed).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(malformed.message).toBe('This policy has invalid syntax.');
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'policy/public' }))).ResourcePolicy).toBeUndefined();

    // By default, public policies aren't blocked.
    await sm.send(new PutResourcePolicyCommand({ SecretId: 'policy/public', ResourcePolicy: JSON.stringify(everyone) }));
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'policy/public' }))).ResourcePolicy).toBe(JSON.stringify(everyone));
  });

  it('validates without storing: broad access is a finding, bad syntax an error', async () => {
    expect(await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: JSON.stringify(appRole) }))).toMatchObject({
      PolicyValidationPassed: true,
      ValidationErrors: [],
    });
    const broad = await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: JSON.stringify(everyone) }));
    expect(broad.PolicyValidationPassed).toBe(false);
    expect(broad.ValidationErrors?.map((e) => e.CheckName)).toEqual(['BROAD_ACCESS']);
    expect(await failure(sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: 'not json' })))).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(await failure(sm.send(new ValidateResourcePolicyCommand({ SecretId: 'policy/none', ResourcePolicy: JSON.stringify(appRole) })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('answers ResourceNotFound for an unknown secret and refuses changes to a secret marked for deletion', async () => {
    expect(await failure(sm.send(new GetResourcePolicyCommand({ SecretId: 'policy/none' })))).toBeInstanceOf(ResourceNotFoundException);
    await sm.send(new CreateSecretCommand({ Name: 'policy/deleted', SecretString: 'v' }));
    await sm.send(new PutResourcePolicyCommand({ SecretId: 'policy/deleted', ResourcePolicy: JSON.stringify(appRole) }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'policy/deleted' }));
    expect(await failure(sm.send(new PutResourcePolicyCommand({ SecretId: 'policy/deleted', ResourcePolicy: JSON.stringify(appRole) })))).toBeInstanceOf(
      InvalidRequestException,
    );
    expect(await failure(sm.send(new DeleteResourcePolicyCommand({ SecretId: 'policy/deleted' })))).toBeInstanceOf(InvalidRequestException);
    // Reading is still allowed, as DescribeSecret is.
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'policy/deleted' }))).ResourcePolicy).toBe(JSON.stringify(appRole));
  });

  it('is what the AWS CLI puts and gets', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'policy/cli', SecretString: 'v' }));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' };
    const aws = (...args: string[]) => promisify(execFile)('aws', ['--endpoint-url', fixture.endpoint, '--output', 'json', 'secretsmanager', ...args], { env });
    await aws('put-resource-policy', '--secret-id', 'policy/cli', '--resource-policy', JSON.stringify(appRole), '--block-public-policy');
    const got = JSON.parse((await aws('get-resource-policy', '--secret-id', 'policy/cli')).stdout) as { ResourcePolicy: string };
    expect(JSON.parse(got.ResourcePolicy)).toEqual(appRole);
    const refused = await aws('put-resource-policy', '--secret-id', 'policy/cli', '--resource-policy', JSON.stringify(everyone), '--block-public-policy').then(
      () => undefined,
      (err: { stderr: string }) => err.stderr,
    );
    expect(refused).toContain('PublicPolicyException');
  });
});
