import {
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DeleteAccountSettingCommand,
  InvalidParameterException,
  ListAccountSettingsCommand,
  ListTagsForResourceCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  RegisterTaskDefinitionCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from './support/platform.js';

const env = usePlatform();
let ecs: ECSClient;
beforeAll(() => {
  ecs = env.ecs();
});

describe('TagResource, UntagResource, ListTagsForResource', () => {
  it('tags and untags a cluster', async () => {
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'tagged' }));
    const arn = cluster!.clusterArn!;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] }));
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'a', value: 'changed' }] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { key: 'a', value: 'changed' },
      { key: 'b', value: '2' },
    ]);
    await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'b', value: '2' }]);
  });

  it('tags a task definition revision', async () => {
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'tagme', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] }),
    );
    const arn = taskDefinition!.taskDefinitionArn!;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'k', value: 'v' }] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'k', value: 'v' }]);
  });

  it('answers with the exception ECS uses for unknown or invalid resources', async () => {
    await expect(
      ecs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/none' })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
    const missingRevision = 'arn:aws:ecs:us-east-1:000000000000:task-definition/none:1';
    await expect(
      ecs.send(new TagResourceCommand({ resourceArn: missingRevision, tags: [{ key: 'k', value: 'v' }] })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    // ListTagsForResource does not list ResourceNotFoundException; ECS answers ClientException there.
    await expect(ecs.send(new ListTagsForResourceCommand({ resourceArn: missingRevision }))).rejects.toBeInstanceOf(ClientException);
    await expect(ecs.send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('refuses the reserved aws: prefix and more than 50 tags, changing nothing', async () => {
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'limits', tags: [{ key: 'keep', value: '1' }] }));
    const arn = cluster!.clusterArn!;
    await expect(ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'aws:owner', value: 'x' }] }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expect(ecs.send(new TagResourceCommand({ resourceArn: arn, tags: fifty }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'keep', value: '1' }]);
  });
});

describe('account settings', () => {
  const root = 'arn:aws:iam::000000000000:root';
  const user = 'arn:aws:iam::000000000000:user/alice';

  it('shows AWS defaults as effective settings until a default or a principal setting overrides them', async () => {
    const before = await ecs.send(new ListAccountSettingsCommand({ name: 'containerInsights', effectiveSettings: true }));
    expect(before.settings).toEqual([{ name: 'containerInsights', value: 'disabled', principalArn: root, type: 'aws_managed' }]);

    const def = await ecs.send(new PutAccountSettingDefaultCommand({ name: 'containerInsights', value: 'enabled' }));
    expect(def.setting).toMatchObject({ name: 'containerInsights', value: 'enabled', principalArn: root });

    const forUser = await ecs.send(
      new ListAccountSettingsCommand({ name: 'containerInsights', principalArn: user, effectiveSettings: true }),
    );
    expect(forUser.settings?.[0]?.value).toBe('enabled');

    await ecs.send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'enhanced', principalArn: user }));
    const own = await ecs.send(new ListAccountSettingsCommand({ principalArn: user }));
    expect(own.settings).toEqual([{ name: 'containerInsights', value: 'enhanced', principalArn: user, type: 'user' }]);

    const deleted = await ecs.send(new DeleteAccountSettingCommand({ name: 'containerInsights', principalArn: user }));
    expect(deleted.setting?.value).toBe('enhanced');
    expect((await ecs.send(new ListAccountSettingsCommand({ principalArn: user }))).settings).toEqual([]);
  });

  it('pages effective settings ten at most at a time', async () => {
    const first = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, maxResults: 4 }));
    expect(first.settings).toHaveLength(4);
    expect(first.nextToken).toBeDefined();
    const rest = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, nextToken: first.nextToken }));
    const names = [...first.settings!, ...rest.settings!].map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('fargateTaskRetirementWaitPeriod');
    await expect(ecs.send(new ListAccountSettingsCommand({ maxResults: 11 }))).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('rejects values a setting does not take, read-only settings and foreign principals', async () => {
    await expect(ecs.send(new PutAccountSettingCommand({ name: 'taskLongArnFormat', value: 'maybe' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(
      ecs.send(new PutAccountSettingDefaultCommand({ name: 'fargateTaskRetirementWaitPeriod', value: '3' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(ecs.send(new PutAccountSettingCommand({ name: 'guardDutyActivate', value: 'enabled' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(
      ecs.send(new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled', principalArn: 'arn:aws:iam::111111111111:root' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(ecs.send(new DeleteAccountSettingCommand({ name: 'awsvpcTrunking' }))).rejects.toBeInstanceOf(InvalidParameterException);
    const ok = await ecs.send(new PutAccountSettingDefaultCommand({ name: 'fargateTaskRetirementWaitPeriod', value: '14' }));
    expect(ok.setting?.value).toBe('14');
  });
});
