import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { ACCOUNT, startStsFrontDoor, type StsFrontDoor } from './sts-support.js';

let door: StsFrontDoor;
const home = mkdtempSync(join(tmpdir(), 'minato-sts-cli-'));
const cli = (args: string[], env: Record<string, string> = {}) => awsCli(door.endpoint, home, args, env);

beforeAll(async () => {
  door = await startStsFrontDoor();
});
afterAll(async () => {
  await door.close();
  rmSync(home, { recursive: true, force: true });
});

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });

describe('STS with the AWS CLI', { timeout: 60_000 }, () => {
  it('assume-role, then calls with the temporary credentials; tampered and expired tokens are refused', async () => {
    expect((await cli(['iam', 'create-role', '--role-name', 'deployer', '--assume-role-policy-document', TRUST])).code).toBe(0);
    const assumed = await cli(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/deployer`, '--role-session-name', 'ci-run', '--duration-seconds', '900']);
    expect(assumed.stderr).toBe('');
    const out = JSON.parse(assumed.stdout) as { Credentials: Record<string, string>; AssumedRoleUser: { Arn: string; AssumedRoleId: string } };
    const env = {
      AWS_ACCESS_KEY_ID: out.Credentials.AccessKeyId!,
      AWS_SECRET_ACCESS_KEY: out.Credentials.SecretAccessKey!,
      AWS_SESSION_TOKEN: out.Credentials.SessionToken!,
    };
    const who = await cli(['sts', 'get-caller-identity'], env);
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout)).toEqual({ UserId: out.AssumedRoleUser.AssumedRoleId, Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run` });
    // Another API with the same credentials.
    expect((await cli(['iam', 'get-role', '--role-name', 'deployer'], env)).code).toBe(0);

    const token = env.AWS_SESSION_TOKEN;
    const tampered = await cli(['sts', 'get-caller-identity'], { ...env, AWS_SESSION_TOKEN: token.slice(0, -8) + (token.endsWith('AAAAAAAA') ? 'BBBBBBBB' : 'AAAAAAAA') });
    expect(tampered.code).not.toBe(0);
    expect(tampered.stderr).toContain('(InvalidClientTokenId)');

    door.advance(16 * 60_000);
    try {
      const expired = await cli(['sts', 'get-caller-identity'], env);
      expect(expired.code).not.toBe(0);
      expect(expired.stderr).toContain('(ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired');
    } finally {
      door.advance(-16 * 60_000);
    }
  });

  it('answers AccessDenied, ValidationError and MalformedPolicyDocument with their Query codes', async () => {
    const denied = await cli(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/missing`, '--role-session-name', 'x1']);
    expect(denied.stderr).toContain(`(AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/missing`);
    const short = await cli(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/deployer`, '--role-session-name', 'bad name!']);
    expect(short.stderr).toContain('(ValidationError)');
    const malformed = await cli(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/deployer`, '--role-session-name', 'x1', '--policy', '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}']);
    expect(malformed.stderr).toContain('(MalformedPolicyDocument)');
    const info = await cli(['sts', 'get-access-key-info', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE']);
    expect(JSON.parse(info.stdout)).toEqual({ Account: ACCOUNT });
  });
});
