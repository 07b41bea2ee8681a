import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../support/aws-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsFixture, type SecretsFixture } from './fixture.js';

let fixture: SecretsFixture;
let home: string;

beforeAll(async () => {
  fixture = await startSecretsFixture();
  home = mkdtempSync(join(tmpdir(), 'minato-secrets-cli-'));
});
afterAll(async () => {
  await fixture.close();
  rmSync(home, { recursive: true, force: true });
});

/** Runs the AWS CLI against the platform under test. */
const aws = (...args: string[]) => awsCli(fixture.endpoint, home, args);

describe('the AWS CLI against Secrets Manager and Parameter Store', () => {
  it('creates a secret and gets its value', async () => {
    const created = await aws('secretsmanager', 'create-secret', '--name', 'cli/db', '--secret-string', '{"user":"app","password":"pw"}');
    expect(created.code).toBe(0);
    const arn = JSON.parse(created.stdout).ARN as string;
    const got = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/db');
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ ARN: arn, Name: 'cli/db', SecretString: '{"user":"app","password":"pw"}', VersionStages: ['AWSCURRENT'] });
    const missing = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/none');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe(
      "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.",
    );
  });

  it('lists a parameter hierarchy recursively with decryption, across pages', async () => {
    // Written through the SDK (each CLI run costs a second); read back through the CLI.
    const ssm = fixture.ssm();
    for (let i = 0; i < 12; i++) {
      const Type = i % 2 === 0 ? 'SecureString' : 'String';
      await ssm.send(new PutParameterCommand({ Name: `/cli/app/${i < 6 ? 'a' : 'b/deep'}/p${String(i).padStart(2, '0')}`, Value: `value-${i}`, Type }));
    }
    // The CLI follows NextToken itself: 12 parameters arrive in pages of at most 10.
    const listed = await aws('ssm', 'get-parameters-by-path', '--path', '/cli/app', '--recursive', '--with-decryption');
    expect(listed.code, listed.stderr).toBe(0);
    const parameters = JSON.parse(listed.stdout).Parameters as Array<{ Name: string; Value: string; Type: string }>;
    expect(parameters).toHaveLength(12);
    expect(parameters.map((p) => p.Value).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `value-${i}`).sort());
    const oneLevel = await aws('ssm', 'get-parameters-by-path', '--path', '/cli/app/a');
    expect(JSON.parse(oneLevel.stdout).Parameters).toHaveLength(6);
    const secure = JSON.parse(oneLevel.stdout).Parameters.find((p: { Type: string }) => p.Type === 'SecureString');
    expect(secure.Value).not.toMatch(/^value-/);
  });

  it('prints SSM errors as the CLI does', async () => {
    const missing = await aws('ssm', 'get-parameter', '--name', '/cli/none');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe('An error occurred (ParameterNotFound) when calling the GetParameter operation: Parameter /cli/none not found.');
  });
});
