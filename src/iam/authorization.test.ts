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

describe("Authorizer's request context", () => {
  it('holds the global condition keys: principal, region, time, source address, TLS, principal and request tags', async () => {
    const iam = await domain();
    await iam.roles.tag(base, 'app', [{ Key: 'team', Value: 'web' }]);
    const conditioned = doc({
      Effect: 'Allow',
      Action: 'ecs:*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:PrincipalArn': ROLE, 'aws:PrincipalAccount': ACCOUNT, 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalTag/team': 'web', 'aws:RequestTag/env': 'prod' },
        IpAddress: { 'aws:SourceIp': '127.0.0.0/8' },
        Bool: { 'aws:SecureTransport': 'false' },
        DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
      },
    });
    await iam.roles.putInlinePolicy(base, 'app', 'p', conditioned);
    const facts = { sourceIp: '127.0.0.1', secureTransport: false, requestTags: { env: 'prod' } };
    expect(await iam.authorizer.decide(session(), 'ecs:CreateCluster', '*', facts)).toEqual({ allowed: true });
    for (const changed of [{ ...facts, sourceIp: '10.0.0.1' }, { ...facts, secureTransport: true }, { ...facts, requestTags: { env: 'dev' } }]) {
      expect((await iam.authorizer.decide(session(), 'ecs:CreateCluster', '*', changed)).allowed).toBe(false);
    }
    expect((await iam.authorizer.decide({ ...session(), region: 'eu-west-1' }, 'ecs:CreateCluster', '*', facts)).allowed).toBe(false);
  });

  it('decides several checks at once: the first refused one names the refusal', async () => {
    const iam = await domain();
    await iam.roles.putInlinePolicy(base, 'app', 'p', doc({ Effect: 'Allow', Action: 'ecs:DescribeClusters', Resource: 'arn:aws:ecs:*:*:cluster/a' }));
    const checks = ['a', 'b'].map((c) => ({ action: 'ecs:DescribeClusters', resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${c}` }));
    expect(await iam.authorizer.decideAll(session(), checks.slice(0, 1))).toEqual({ allowed: true });
    expect(await iam.authorizer.decideAll(session(), checks)).toEqual({
      allowed: false,
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/app/s is not authorized to perform: ecs:DescribeClusters on resource: arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/b because no identity-based policy allows the ecs:DescribeClusters action`,
    });
    expect(iam.authorizer.restricts(session())).toBe(true);
    expect(iam.authorizer.restricts(base)).toBe(false);
  });
});

describe("Authorizer's decisions for an IAM user", () => {
  const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const asUser = (): Scope => ({ ...base, principalArn: USER, caller: { kind: 'user', arn: USER, userId: 'AIDAX', accessKeyId: 'AKIAX' } });
  const PARAM = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/db`;

  it("take the union of the user's and its groups' inline and attached policies; a Deny in any wins; the boundary caps them", async () => {
    const iam = await domain();
    await iam.users.create(base, { name: 'alice' });
    await iam.groups.create(base, { name: 'readers' });
    await iam.groups.create(base, { name: 'locked' });
    const read = await iam.policies.create(base, { name: 'read', document: doc({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: PARAM }) });
    await iam.groups.attachPolicy(base, 'readers', read.arn);
    expect((await iam.authorizer.decide(asUser(), 'ssm:GetParameter', PARAM)).allowed).toBe(false);
    await iam.groups.addUser(base, 'readers', 'alice');
    expect(await iam.authorizer.decide(asUser(), 'ssm:GetParameter', PARAM)).toEqual({ allowed: true });
    expect((await iam.authorizer.decide(asUser(), 'ssm:PutParameter', PARAM)).allowed).toBe(false);
    // The user's own attached policy and a group's inline policy add up with the rest.
    await iam.users.attachPolicy(base, 'alice', 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess');
    expect((await iam.authorizer.decide(asUser(), 'ssm:DescribeParameters', '*')).allowed).toBe(true);
    await iam.groups.putInlinePolicy(base, 'locked', 'deny', doc({ Effect: 'Deny', Action: 'ssm:GetParameter', Resource: '*' }));
    await iam.groups.addUser(base, 'locked', 'alice');
    expect(await iam.authorizer.decide(asUser(), 'ssm:GetParameter', PARAM)).toEqual({
      allowed: false,
      message: expect.stringMatching(/with an explicit deny in an identity-based policy$/),
    });
    await iam.groups.removeUser(base, 'locked', 'alice');
    // A boundary that allows only Describe* leaves the group's grant of GetParameter without effect.
    const boundary = await iam.policies.create(base, { name: 'describe-only', document: doc({ Effect: 'Allow', Action: 'ssm:Describe*', Resource: '*' }) });
    const capped = `arn:aws:iam::${ACCOUNT}:user/capped`;
    await iam.users.create(base, { name: 'capped', permissionsBoundary: boundary.arn });
    await iam.groups.addUser(base, 'readers', 'capped');
    await iam.users.attachPolicy(base, 'capped', 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess');
    const asCapped: Scope = { ...base, principalArn: capped, caller: { kind: 'user', arn: capped, userId: 'AIDAY', accessKeyId: 'AKIAY' } };
    expect((await iam.authorizer.decide(asCapped, 'ssm:DescribeParameters', '*')).allowed).toBe(true);
    expect(await iam.authorizer.decide(asCapped, 'ssm:GetParameter', PARAM)).toEqual({
      allowed: false,
      message: expect.stringMatching(/because no permissions boundary allows the ssm:GetParameter action$/),
    });
  });

  it('follow a managed policy’s default version, and lose what a group gave once the user leaves it', async () => {
    const iam = await domain();
    await iam.users.create(base, { name: 'alice' });
    await iam.groups.create(base, { name: 'readers' });
    const read = await iam.policies.create(base, { name: 'read', document: doc({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: PARAM }) });
    await iam.groups.attachPolicy(base, 'readers', read.arn);
    await iam.groups.addUser(base, 'readers', 'alice');
    await iam.policies.createVersion(base, read.arn, doc({ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: PARAM }), false);
    expect((await iam.authorizer.decide(asUser(), 'ssm:GetParameters', PARAM)).allowed).toBe(false);
    await iam.policies.setDefaultVersion(base, read.arn, 'v2');
    expect((await iam.authorizer.decide(asUser(), 'ssm:GetParameters', PARAM)).allowed).toBe(true);
    await iam.groups.removeUser(base, 'readers', 'alice');
    expect((await iam.authorizer.decide(asUser(), 'ssm:GetParameters', PARAM)).allowed).toBe(false);
  });
});
