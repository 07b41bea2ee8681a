import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../lib/scope.js';
import { ValueCipher } from '../secrets/crypto/value-cipher.js';
import { MemoryStore } from '../store/memory-store.js';
import { createIamDomain } from './iam-domain.js';

const ACCOUNT = '000000000000';
const base = { accountId: ACCOUNT, region: 'us-east-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date() };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const session = (sessionPolicy?: string): Scope => ({
  ...base,
  principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s`,
  caller: { kind: 'assumed-role', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s`, userId: 'AROAX:s', accessKeyId: 'ASIAX', temporary: true, roleArn: ROLE, ...(sessionPolicy && { sessionPolicy }) },
});
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function domain() {
  const iam = createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32)));
  await iam.roles.create(base, { name: 'app', assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) });
  return iam;
}

describe('Authorizer', () => {
  it('allows what a policy allows, and an explicit deny wins', async () => {
    const iam = await domain();
    await iam.roles.putInlinePolicy(base, 'app', 'p', doc({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }, { Effect: 'Deny', Action: 'logs:PutLogEvents', Resource: 'arn:aws:logs:*:*:log-group:/secret:*' }));
    expect(await iam.authorizer.decide(session(), 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:0:log-group:/app:log-stream:s')).toEqual({ allowed: true });
    const denied = await iam.authorizer.decide(session(), 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:0:log-group:/secret:log-stream:s');
    expect(denied).toEqual({ allowed: false, message: expect.stringMatching(/with an explicit deny in an identity-based policy$/) });
  });

  it('grants nothing once the role is gone, and leaves the root and users alone', async () => {
    const iam = await domain();
    await iam.roles.putInlinePolicy(base, 'app', 'p', doc({ Effect: 'Allow', Action: '*', Resource: '*' }));
    expect((await iam.authorizer.decide(session(), 'secretsmanager:GetSecretValue', 'arn:x')).allowed).toBe(true);
    await iam.roles.deleteInlinePolicy(base, 'app', 'p');
    await iam.roles.delete(base, 'app');
    expect((await iam.authorizer.decide(session(), 'secretsmanager:GetSecretValue', 'arn:x')).allowed).toBe(false);
    expect((await iam.authorizer.decide(base, 'secretsmanager:GetSecretValue', 'arn:x')).allowed).toBe(true);
  });
});
