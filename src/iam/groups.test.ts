import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootPrincipal, type Scope } from '../lib/scope.js';
import { ValueCipher } from '../secrets/crypto/value-cipher.js';
import { MemoryStore } from '../store/memory-store.js';
import { createIamDomain } from './iam-domain.js';

const ACCOUNT = '123456789012';
const scope: Scope = { accountId: ACCOUNT, region: 'us-east-1', principalArn: rootPrincipal(ACCOUNT), now: new Date('2026-12-01T00:00:00Z') };
const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const SSM_READ = 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess';

function domain() {
  return createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32)));
}

describe('groups', () => {
  it('are created under a path with an AGPA id, unique regardless of case, listed by name and PathPrefix', async () => {
    const iam = domain();
    const ops = await iam.groups.create(scope, { name: 'ops', path: '/teams/' });
    expect(ops).toMatchObject({ name: 'ops', path: '/teams/', arn: `arn:aws:iam::${ACCOUNT}:group/teams/ops` });
    expect(ops.groupId).toMatch(/^AGPA[A-Z2-7]{17}$/);
    await iam.groups.create(scope, { name: 'Admins' });
    await expect(iam.groups.create(scope, { name: 'OPS' })).rejects.toMatchObject({ message: 'Group with name OPS already exists.' });
    expect((await iam.groups.list(scope, {})).items.map((g) => g.name)).toEqual(['Admins', 'ops']);
    expect((await iam.groups.list(scope, { pathPrefix: '/teams/' })).items.map((g) => g.name)).toEqual(['ops']);
    const first = await iam.groups.list(scope, { maxItems: 1 });
    expect(first.items.map((g) => g.name)).toEqual(['Admins']);
    expect((await iam.groups.list(scope, { marker: first.marker })).items.map((g) => g.name)).toEqual(['ops']);
    await expect(iam.groups.get(scope, 'nope')).rejects.toMatchObject({ message: 'The group with name nope cannot be found.' });
  });

  it('take users (once each, up to the quota); GetGroup pages its members, ListGroupsForUser the user’s groups', async () => {
    const iam = domain();
    await iam.groups.create(scope, { name: 'ops' });
    for (const name of ['carol', 'alice', 'bob']) await iam.users.create(scope, { name });
    for (const name of ['carol', 'alice', 'ALICE']) await iam.groups.addUser(scope, 'OPS', name);
    const page = await iam.groups.members(scope, 'ops', { maxItems: 1 });
    expect(page.group.name).toBe('ops');
    expect(page.users.items.map((u) => u.name)).toEqual(['alice']);
    expect((await iam.groups.members(scope, 'ops', { marker: page.users.marker })).users.items.map((u) => u.name)).toEqual(['carol']);
    expect((await iam.groups.forUser(scope, 'bob', {})).items).toEqual([]);
    await expect(iam.groups.addUser(scope, 'ops', 'nobody')).rejects.toMatchObject({ message: 'The user with name nobody cannot be found.' });
    await expect(iam.groups.addUser(scope, 'none', 'bob')).rejects.toMatchObject({ message: 'The group with name none cannot be found.' });
    for (let i = 0; i < 9; i++) {
      await iam.groups.create(scope, { name: `g${i}` });
      await iam.groups.addUser(scope, `g${i}`, 'alice');
    }
    expect((await iam.groups.forUser(scope, 'alice', {})).items.map((g) => g.name)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'ops']);
    await iam.groups.create(scope, { name: 'one-too-many' });
    await expect(iam.groups.addUser(scope, 'one-too-many', 'alice')).rejects.toMatchObject({ message: 'Cannot exceed quota for GroupsPerUser: 10' });
    await iam.groups.removeUser(scope, 'ops', 'Carol');
    await expect(iam.groups.removeUser(scope, 'ops', 'carol')).rejects.toMatchObject({ message: 'The user with name carol cannot be found.' });
    expect((await iam.groups.members(scope, 'ops', {})).users.items.map((u) => u.name)).toEqual(['alice']);
  });

  it('refuse deletion while they have members, inline policies or attached policies, in that order', async () => {
    const iam = domain();
    await iam.groups.create(scope, { name: 'ops' });
    await iam.users.create(scope, { name: 'alice' });
    await iam.groups.addUser(scope, 'ops', 'alice');
    await iam.groups.putInlinePolicy(scope, 'ops', 'read', allow('ssm:GetParameter'));
    await iam.groups.attachPolicy(scope, 'ops', SSM_READ);
    await expect(iam.groups.delete(scope, 'ops')).rejects.toMatchObject({ subject: 'delete-conflict', message: 'Cannot delete entity, must remove users from group first.' });
    await expect(iam.users.delete(scope, 'alice')).rejects.toMatchObject({ subject: 'delete-conflict', message: 'Cannot delete entity, must remove users from group first.' });
    await iam.groups.removeUser(scope, 'ops', 'alice');
    await iam.users.delete(scope, 'alice');
    await expect(iam.groups.delete(scope, 'ops')).rejects.toMatchObject({ message: 'Cannot delete entity, must delete policies first.' });
    await iam.groups.deleteInlinePolicy(scope, 'ops', 'READ');
    await expect(iam.groups.delete(scope, 'ops')).rejects.toMatchObject({ message: 'Cannot delete entity, must detach all policies first.' });
    await iam.groups.detachPolicy(scope, 'ops', SSM_READ);
    await iam.groups.delete(scope, 'ops');
    await expect(iam.groups.get(scope, 'ops')).rejects.toMatchObject({ subject: 'entity' });
  });

  it('keep inline policies by name regardless of case, checked as permissions policies', async () => {
    const iam = domain();
    await iam.groups.create(scope, { name: 'ops' });
    await iam.groups.putInlinePolicy(scope, 'ops', 'Read', allow('ssm:GetParameter'));
    await iam.groups.putInlinePolicy(scope, 'ops', 'read', allow('ssm:GetParameters'));
    expect(await iam.groups.getInlinePolicy(scope, 'OPS', 'READ')).toEqual({ groupName: 'ops', name: 'read', document: allow('ssm:GetParameters') });
    await expect(iam.groups.putInlinePolicy(scope, 'ops', 'bad', '{"Statement":[]}')).rejects.toMatchObject({ subject: 'malformed-policy' });
    await expect(iam.groups.getInlinePolicy(scope, 'ops', 'other')).rejects.toMatchObject({ message: 'The group policy with name other cannot be found.' });
    await expect(iam.groups.deleteInlinePolicy(scope, 'ops', 'other')).rejects.toMatchObject({ subject: 'entity' });
  });

  it('are renamed and moved by UpdateGroup; their members follow the new name', async () => {
    const iam = domain();
    await iam.groups.create(scope, { name: 'ops' });
    await iam.groups.create(scope, { name: 'dev' });
    await iam.users.create(scope, { name: 'alice' });
    await iam.groups.addUser(scope, 'ops', 'alice');
    await expect(iam.groups.update(scope, 'ops', { newName: 'DEV' })).rejects.toMatchObject({ message: 'Group with name DEV already exists.' });
    await iam.groups.update(scope, 'ops', { newName: 'platform', newPath: '/teams/' });
    await expect(iam.groups.get(scope, 'ops')).rejects.toMatchObject({ subject: 'entity' });
    expect((await iam.groups.get(scope, 'platform')).arn).toBe(`arn:aws:iam::${ACCOUNT}:group/teams/platform`);
    expect((await iam.groups.forUser(scope, 'alice', {})).items.map((g) => g.name)).toEqual(['platform']);
    expect((await iam.groups.members(scope, 'platform', {})).users.items.map((u) => u.name)).toEqual(['alice']);
    await iam.groups.update(scope, 'platform', { newName: 'Platform' });
    expect((await iam.groups.get(scope, 'platform')).name).toBe('Platform');
  });
});

describe('managed policies attached to users and groups', () => {
  it('count in AttachmentCount and ListEntitiesForPolicy, and block DeletePolicy and DeleteUser until detached', async () => {
    const iam = domain();
    const policy = await iam.policies.create(scope, { name: 'read', path: '/app/', document: allow('ssm:GetParameter') });
    await iam.users.create(scope, { name: 'alice' });
    await iam.groups.create(scope, { name: 'ops' });
    await iam.roles.create(scope, {
      name: 'task',
      assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    });
    await iam.users.attachPolicy(scope, 'alice', policy.arn);
    await iam.users.attachPolicy(scope, 'alice', policy.arn);
    await iam.groups.attachPolicy(scope, 'ops', policy.arn);
    await iam.roles.attachPolicy(scope, 'task', policy.arn);
    expect((await iam.policies.get(scope, policy.arn)).attachmentCount).toBe(3);
    const holders = await iam.policies.holders(scope, policy.arn);
    expect([holders.users.map((u) => u.name), holders.groups.map((g) => g.name), holders.roles.map((r) => r.name)]).toEqual([['alice'], ['ops'], ['task']]);
    expect((await iam.users.get(scope, 'alice')).attachedPolicies).toEqual([policy.arn]);
    await expect(iam.policies.delete(scope, policy.arn)).rejects.toMatchObject({ message: 'Cannot delete a policy attached to entities.' });
    await expect(iam.users.delete(scope, 'alice')).rejects.toMatchObject({ message: 'Cannot delete entity, must detach all policies first.' });
    await iam.users.detachPolicy(scope, 'alice', policy.arn);
    await expect(iam.users.detachPolicy(scope, 'alice', policy.arn)).rejects.toMatchObject({ message: `Policy ${policy.arn} was not found.` });
    await iam.groups.detachPolicy(scope, 'ops', policy.arn);
    await iam.roles.detachPolicy(scope, 'task', policy.arn);
    expect((await iam.policies.get(scope, policy.arn)).attachmentCount).toBe(0);
    await iam.users.delete(scope, 'alice');
    await iam.policies.delete(scope, policy.arn);
  });

  it('count users and roles using one as their permissions boundary apart from its attachments, and filter by that usage', async () => {
    const iam = domain();
    const boundary = await iam.policies.create(scope, { name: 'boundary', document: allow('ssm:*') });
    const other = await iam.policies.create(scope, { name: 'other', document: allow('ecs:*') });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.users.create(scope, { name: 'alice', permissionsBoundary: boundary.arn });
    await iam.roles.create(scope, { name: 'task', assumeRolePolicyDocument: trust, permissionsBoundary: boundary.arn });
    await iam.roles.create(scope, { name: 'plain', assumeRolePolicyDocument: trust });
    await iam.roles.attachPolicy(scope, 'plain', other.arn);
    expect(await iam.policies.get(scope, boundary.arn)).toMatchObject({ attachmentCount: 0, boundaryUsageCount: 2 });
    expect(await iam.policies.get(scope, other.arn)).toMatchObject({ attachmentCount: 1, boundaryUsageCount: 0 });
    const asBoundary = await iam.policies.holders(scope, boundary.arn, 'PermissionsBoundary');
    expect([asBoundary.users.map((u) => u.name), asBoundary.roles.map((r) => r.name), asBoundary.groups]).toEqual([['alice'], ['task'], []]);
    const attached = await iam.policies.holders(scope, boundary.arn);
    expect([attached.users, attached.roles, attached.groups]).toEqual([[], [], []]);
    const names = async (usage?: 'PermissionsPolicy' | 'PermissionsBoundary') =>
      (await iam.policies.list(scope, { scope: 'Local', onlyAttached: true, ...(usage && { usage }) })).items.map((p) => p.name);
    expect(await names()).toEqual(['other']);
    expect(await names('PermissionsPolicy')).toEqual(['other']);
    expect(await names('PermissionsBoundary')).toEqual(['boundary']);
    // Without OnlyAttached every policy is listed: any of them can be used either way.
    expect((await iam.policies.list(scope, { scope: 'Local', usage: 'PermissionsBoundary' })).items.map((p) => p.name)).toEqual(['boundary', 'other']);
  });

  it('must exist, and a user or group takes at most ten', async () => {
    const iam = domain();
    await iam.users.create(scope, { name: 'alice' });
    const missing = `arn:aws:iam::${ACCOUNT}:policy/missing`;
    await expect(iam.users.attachPolicy(scope, 'alice', missing)).rejects.toMatchObject({ subject: 'entity', message: `Policy ${missing} does not exist or is not attachable.` });
    await expect(iam.users.attachPolicy(scope, 'bob', SSM_READ)).rejects.toMatchObject({ message: 'The user with name bob cannot be found.' });
    await expect(iam.users.attachPolicy(scope, 'alice', 'arn:aws:s3:::bucket')).rejects.toMatchObject({ subject: 'parameter' });
    for (let i = 0; i < 10; i++) {
      const p = await iam.policies.create(scope, { name: `p${i}`, document: allow('ssm:GetParameter') });
      await iam.users.attachPolicy(scope, 'alice', p.arn);
    }
    await expect(iam.users.attachPolicy(scope, 'alice', SSM_READ)).rejects.toMatchObject({ message: 'Cannot exceed quota for PoliciesPerUser: 10' });
  });
});
