import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValueCipher } from '../../secrets/crypto/value-cipher.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createIamDomain } from '../iam-domain.js';

const ACCOUNT = '000000000000';
const scope = { accountId: ACCOUNT, region: 'us-east-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date('2026-01-01T00:00:00Z') };
const trust = (principal: object, extra: object = {}) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }] });

async function domain() {
  const iam = createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32)));
  await iam.roles.create(scope, { name: 'task', assumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }) });
  await iam.roles.create(scope, { name: 'other', assumeRolePolicyDocument: trust({ Service: 'lambda.amazonaws.com' }) });
  await iam.roles.create(scope, { name: 'ext', assumeRolePolicyDocument: trust({ AWS: ACCOUNT }, { Condition: { StringEquals: { 'sts:ExternalId': 'open-sesame' } } }) });
  return iam;
}

describe('task role credentials', () => {
  it('are issued for a role that trusts ecs-tasks, as a session named by the task id, and authenticate until they expire', async () => {
    const iam = await domain();
    const arn = `arn:aws:iam::${ACCOUNT}:role/task`;
    const got = await iam.tokens.forTask(ACCOUNT, arn, 'abc123', scope.now);
    if (!got.ok) throw new Error(got.reason);
    expect(got.credentials.expiration).toBe(scope.now.getTime() + 6 * 3600_000);
    const auth = await iam.tokens.authenticate(ACCOUNT, got.credentials.accessKeyId, got.credentials.sessionToken, scope.now);
    expect(auth).toMatchObject({ secret: got.credentials.secretAccessKey, caller: { kind: 'assumed-role', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/task/abc123`, roleArn: arn } });
    expect(await iam.tokens.authenticate(ACCOUNT, got.credentials.accessKeyId, got.credentials.sessionToken, new Date(got.credentials.expiration))).toBe('expired');
    expect(await iam.tokens.authenticate('111111111111', got.credentials.accessKeyId, got.credentials.sessionToken, scope.now)).toBe('invalid');
  });

  it("give ECS's reason for a role that is missing or does not trust ecs-tasks", async () => {
    const iam = await domain();
    for (const arn of [`arn:aws:iam::${ACCOUNT}:role/other`, `arn:aws:iam::${ACCOUNT}:role/none`, `arn:aws:iam::111111111111:role/task`]) {
      expect(await iam.tokens.forTask(ACCOUNT, arn, 't', scope.now)).toEqual({
        ok: false,
        reason: `ECS was unable to assume the role '${arn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
      });
    }
  });
});

describe('AssumeRole trust', () => {
  it("holds the trust policy's conditions (sts:ExternalId)", async () => {
    const iam = await domain();
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/ext`;
    await expect(iam.tokens.assumeRole(scope, { roleArn, sessionName: 's1' })).rejects.toThrow(/not authorized to perform: sts:AssumeRole/);
    await expect(iam.tokens.assumeRole(scope, { roleArn, sessionName: 's1', externalId: 'wrong' })).rejects.toThrow(/not authorized/);
    const ok = await iam.tokens.assumeRole(scope, { roleArn, sessionName: 's1', externalId: 'open-sesame' });
    expect(ok.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/ext/s1`);
  });

  it('refuses a role of another account, or an ARN that names no role', async () => {
    const iam = await domain();
    for (const roleArn of ['arn:aws:iam::111111111111:role/ext', `arn:aws:iam::${ACCOUNT}:user/ext`, 'not-an-arn-at-all-really']) {
      await expect(iam.tokens.assumeRole(scope, { roleArn, sessionName: 's1' })).rejects.toThrow(`on resource: ${roleArn}`);
    }
  });
});
