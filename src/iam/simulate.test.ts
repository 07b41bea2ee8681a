import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootPrincipal, type Scope } from '../lib/scope.js';
import { ValueCipher } from '../secrets/crypto/value-cipher.js';
import { MemoryStore } from '../store/memory-store.js';
import { createIamDomain } from './iam-domain.js';
import { simulatePrincipal } from './simulate.js';

const ACCOUNT = '123456789012';
const scope: Scope = { accountId: ACCOUNT, region: 'us-east-1', principalArn: rootPrincipal(ACCOUNT), now: new Date('2026-12-01T00:00:00Z') };
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('simulatePrincipal for a user', () => {
  it("evaluates the user's own inline and attached policies and its groups'", async () => {
    const store = new MemoryStore();
    const iam = createIamDomain(store, new ValueCipher(randomBytes(32)));
    const user = await iam.users.create(scope, { name: 'alice' });
    await iam.users.putInlinePolicy(scope, 'alice', 'logs', doc({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }));
    await iam.groups.create(scope, { name: 'readers' });
    await iam.groups.attachPolicy(scope, 'readers', 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess');
    await iam.groups.putInlinePolicy(scope, 'readers', 'no-secrets', doc({ Effect: 'Deny', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:*:*:parameter/secret/*' }));
    await iam.groups.addUser(scope, 'readers', 'alice');
    const run = (action: string, resource: string) =>
      simulatePrincipal(store, iam.policies, scope, { policySourceArn: user.arn, actionNames: [action], resourceArns: [resource] }).then(([r]) => r!);
    expect(await run('logs:PutLogEvents', '*')).toMatchObject({ decision: 'allowed', matched: [{ policyId: 'logs', policyType: 'user' }] });
    expect(await run('ssm:GetParameter', 'arn:aws:ssm:us-east-1:1:parameter/app/x')).toMatchObject({
      decision: 'allowed',
      matched: [{ policyId: 'AmazonSSMReadOnlyAccess', policyType: 'aws-managed' }],
    });
    expect(await run('ssm:GetParameter', 'arn:aws:ssm:us-east-1:1:parameter/secret/x')).toMatchObject({
      decision: 'explicitDeny',
      matched: [{ policyId: 'no-secrets', policyType: 'group' }],
    });
    await iam.groups.removeUser(scope, 'readers', 'alice');
    expect((await run('ssm:GetParameter', 'arn:aws:ssm:us-east-1:1:parameter/app/x')).decision).toBe('implicitDeny');
  });
});
