import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
const ACCOUNT = '000000000000';
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const cfg = (credentials: Creds) => ({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const root = () => ({ accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey });

async function assume(policy?: string): Promise<Creds> {
  const sts = new STSClient(cfg(root()));
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader`, RoleSessionName: 'app', ...(policy && { Policy: policy }) }));
  sts.destroy();
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

async function refusal(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const iam = new IAMClient(cfg(root()));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });
  await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trust }));
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:allowed-*` },
      { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app:*` },
    ],
  };
  await iam.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read', PolicyDocument: JSON.stringify(policy) }));
  iam.destroy();
  const sm = new SecretsManagerClient(cfg(root()));
  await sm.send(new CreateSecretCommand({ Name: 'allowed-one', SecretString: 'yes' }));
  await sm.send(new CreateSecretCommand({ Name: 'denied-one', SecretString: 'no' }));
  sm.destroy();
  const logs = new CloudWatchLogsClient(cfg(root()));
  for (const group of ['/app', '/other']) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
  }
  logs.destroy();
}, 60_000);
afterAll(() => platform?.dispose());

describe("requests with an assumed role's credentials", { timeout: 30_000 }, () => {
  it("are authorised by the role's identity policies; the root keeps full access", async () => {
    const creds = await assume();
    const sm = new SecretsManagerClient(cfg(creds));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'allowed-one' }))).SecretString).toBe('yes');
    const denied = await refusal(sm.send(new GetSecretValueCommand({ SecretId: 'denied-one' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${ACCOUNT}:assumed-role/reader/app is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:denied-one-\\w{6} because no identity-based policy allows the secretsmanager:GetSecretValue action$`,
      ),
    );
    const logs = new CloudWatchLogsClient(cfg(creds));
    const events = [{ timestamp: Date.now(), message: 'hello' }];
    await logs.send(new PutLogEventsCommand({ logGroupName: '/app', logStreamName: 's', logEvents: events }));
    expect((await refusal(logs.send(new PutLogEventsCommand({ logGroupName: '/other', logStreamName: 's', logEvents: events })))).name).toBe('AccessDeniedException');
    const asRoot = new SecretsManagerClient(cfg(root()));
    expect((await asRoot.send(new GetSecretValueCommand({ SecretId: 'denied-one' }))).SecretString).toBe('no');
    for (const c of [sm, logs, asRoot]) c.destroy();
  });

  it('are narrowed by the session policy', async () => {
    const onlyLogs = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
    const sm = new SecretsManagerClient(cfg(await assume(onlyLogs)));
    const denied = await refusal(sm.send(new GetSecretValueCommand({ SecretId: 'allowed-one' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toMatch(/because no session policy allows the secretsmanager:GetSecretValue action$/);
    sm.destroy();
  });
});
