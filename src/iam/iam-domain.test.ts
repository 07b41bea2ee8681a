import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValueCipher } from '../secrets/crypto/value-cipher.js';
import { MemoryStore } from '../store/memory-store.js';
import { rootPrincipal, type Scope } from '../lib/scope.js';
import { createIamDomain } from './iam-domain.js';
import { ACCESS_KEYS, ROLES, type AccessKeyRecord } from './records.js';

const ACCOUNT = '123456789012';
const scope: Scope = { accountId: ACCOUNT, region: 'us-east-1', principalArn: rootPrincipal(ACCOUNT), now: new Date('2026-12-01T00:00:00Z') };
const trust = (principal: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }] });

function domain() {
  const store = new MemoryStore();
  // A test key; the domain only sees the cipher.
  return { store, iam: createIamDomain(store, new ValueCipher(randomBytes(32))) };
}

describe('roleTrusts', () => {
  it('tells a trusting role from a missing or untrusting one', async () => {
    const { iam } = domain();
    const tasks = await iam.roles.create(scope, { name: 'task', path: '/app/', assumeRolePolicyDocument: trust({ Service: ['ecs-tasks.amazonaws.com'] }) });
    const ec2 = await iam.roles.create(scope, { name: 'host', assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }) });
    const conditioned = await iam.roles.create(scope, {
      name: 'cond',
      assumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }),
    });
    expect(await iam.roleTrusts(ACCOUNT, tasks.arn, 'ecs-tasks.amazonaws.com')).toBe('ok');
    expect(await iam.roleTrusts(ACCOUNT, conditioned.arn, 'ecs-tasks.amazonaws.com')).toBe('ok');
    expect(await iam.roleTrusts(ACCOUNT, ec2.arn, 'ecs-tasks.amazonaws.com')).toBe('untrusted');
    // The path is part of the ARN: the same name under another path is another role.
    expect(await iam.roleTrusts(ACCOUNT, `arn:aws:iam::${ACCOUNT}:role/task`, 'ecs-tasks.amazonaws.com')).toBe('missing');
    expect(await iam.roleTrusts(ACCOUNT, `arn:aws:iam::999999999999:role/app/task`, 'ecs-tasks.amazonaws.com')).toBe('missing');
    expect(await iam.roleTrusts(ACCOUNT, 'not-an-arn', 'ecs-tasks.amazonaws.com')).toBe('missing');
    await iam.roles.updateTrust(scope, 'task', JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: '*', Action: 'sts:*' },
      ],
    }));
    expect(await iam.roleTrusts(ACCOUNT, tasks.arn, 'ecs-tasks.amazonaws.com')).toBe('untrusted');
  });
});

describe('policy documents', () => {
  it('are refused with IAM messages and leave nothing behind', async () => {
    const { iam, store } = domain();
    const cases: Array<[string, string]> = [
      ['{', 'Syntax errors in policy.'],
      [trust({ Service: 'ecs-tasks.amazonaws.com' }, { Resource: '*' }), 'Has prohibited field Resource'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }), 'Missing required field Principal'],
    ];
    for (const [doc, message] of cases) {
      await expect(iam.roles.create(scope, { name: 'r', assumeRolePolicyDocument: doc })).rejects.toMatchObject({ subject: 'malformed-policy', message });
    }
    expect(await store.collection(ROLES).list()).toEqual([]);
    await iam.roles.create(scope, { name: 'r', assumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }) });
    await expect(iam.roles.putInlinePolicy(scope, 'r', 'p', trust({ Service: 'x.amazonaws.com' }, { Resource: '*' }))).rejects.toMatchObject({
      message: 'Policy document should not specify a principal.',
    });
    await expect(iam.roles.putInlinePolicy(scope, 'r', 'p', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*' }] }))).rejects.toMatchObject({
      message: 'Policy statement must contain resources.',
    });
    expect((await iam.roles.get(scope, 'r')).inlinePolicies).toEqual({});
  });
});

describe('access keys', () => {
  it('keep their secret sealed at rest and open it again', async () => {
    const { iam, store } = domain();
    await iam.users.create(scope, { name: 'ci' });
    const created = await iam.users.createAccessKey(scope, 'ci');
    expect(created.key.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(created.secretAccessKey).toHaveLength(40);
    const stored = await store.collection<AccessKeyRecord>(ACCESS_KEYS).get(`${ACCOUNT}/${created.key.accessKeyId}`);
    expect(JSON.stringify(stored)).not.toContain(created.secretAccessKey);
    expect(await iam.users.secretOf(ACCOUNT, created.key.accessKeyId)).toBe(created.secretAccessKey);
    await iam.users.updateAccessKey(scope, 'ci', created.key.accessKeyId, 'Inactive');
    expect(await iam.users.secretOf(ACCOUNT, created.key.accessKeyId)).toBeUndefined();
    await iam.users.createAccessKey(scope, 'ci');
    await expect(iam.users.createAccessKey(scope, 'ci')).rejects.toMatchObject({ message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
    await expect(iam.users.delete(scope, 'ci')).rejects.toMatchObject({ message: 'Cannot delete entity, must delete access keys first.' });
  });
});

describe('users’ inline policies', () => {
  const allow = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: '*' }] });

  it('are put, replaced regardless of case, read back as sent, and block the user’s deletion until deleted', async () => {
    const { iam } = domain();
    await iam.users.create(scope, { name: 'deployer' });
    await iam.users.putInlinePolicy(scope, 'deployer', 'Deploy', allow);
    await iam.users.putInlinePolicy(scope, 'DEPLOYER', 'deploy', allow.replace('DescribeServices', 'UpdateService'));
    expect(await iam.users.getInlinePolicy(scope, 'deployer', 'DEPLOY')).toEqual({ userName: 'deployer', name: 'deploy', document: allow.replace('DescribeServices', 'UpdateService') });
    await expect(iam.users.delete(scope, 'deployer')).rejects.toThrow('must delete policies first');
    await iam.users.deleteInlinePolicy(scope, 'deployer', 'deploy');
    await expect(iam.users.getInlinePolicy(scope, 'deployer', 'deploy')).rejects.toThrow('The user policy with name deploy cannot be found.');
    await iam.users.delete(scope, 'deployer');
  });

  it('are refused when the document is not a permissions policy, or the user does not exist', async () => {
    const { iam } = domain();
    await iam.users.create(scope, { name: 'ci' });
    await expect(iam.users.putInlinePolicy(scope, 'ci', 'bad', '{"Statement":[]}')).rejects.toMatchObject({ subject: 'malformed-policy' });
    await expect(iam.users.putInlinePolicy(scope, 'nobody', 'p', allow)).rejects.toThrow('The user with name nobody cannot be found.');
    expect((await iam.users.get(scope, 'ci')).inlinePolicies ?? {}).toEqual({});
  });
});

describe('service-linked roles', () => {
  it('have the description they were created with, none otherwise; only the description can be edited', async () => {
    const { iam } = domain();
    const ecs = await iam.serviceLinkedRoles.create(scope, { serviceName: 'ecs.amazonaws.com' });
    expect(ecs.description).toBeUndefined();
    expect((await iam.roles.update(scope, ecs.name, { description: 'ECS for the platform' })).description).toBe('ECS for the platform');
    await expect(iam.roles.update(scope, ecs.name, { maxSessionDuration: 7200 })).rejects.toMatchObject({ subject: 'unmodifiable' });
    const elb = await iam.serviceLinkedRoles.create(scope, { serviceName: 'elasticloadbalancing.amazonaws.com', description: 'load balancers' });
    expect(elb.description).toBe('load balancers');
  });
});

describe('instance profiles’ tags', () => {
  it('are merged by key and removed by key', async () => {
    const { iam } = domain();
    await iam.instanceProfiles.create(scope, { name: 'node', tags: [{ Key: 'a', Value: '1' }] });
    await iam.instanceProfiles.tag(scope, 'node', [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }]);
    await iam.instanceProfiles.untag(scope, 'node', ['b']);
    expect((await iam.instanceProfiles.get(scope, 'node')).profile.tags).toEqual([{ Key: 'a', Value: '2' }]);
  });
});

describe('GetAccessKeyLastUsed', () => {
  it('names the key’s user, and refuses a key the account does not have', async () => {
    const { iam } = domain();
    await iam.users.create(scope, { name: 'ci' });
    const { key } = await iam.users.createAccessKey(scope, 'ci');
    expect(await iam.users.ownerOfAccessKey(scope, key.accessKeyId)).toBe('ci');
    await expect(iam.users.ownerOfAccessKey({ ...scope, accountId: '999999999999' }, key.accessKeyId)).rejects.toThrow('cannot be found');
  });
});
