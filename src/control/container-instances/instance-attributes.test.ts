import { describe, expect, it } from 'vitest';
import type { TaskAgent } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createEcsControl } from '../ecs-control.js';
import { checkAttribute, checkCustomLimit, isSystemAttribute, mergeAttributes } from './attribute-rules.js';

const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 1, memory: 1 }) };
const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(0) };

async function setup() {
  const ecs = createEcsControl(new MemoryStore(), agent);
  await ecs.clusters.create(scope, { clusterName: 'c' });
  await ecs.clusters.create(scope, {});
  const reg = (cluster: string) =>
    ecs.containerInstances.registerAgent(scope, { cluster, host: 'h', agentVersion: '1', attributes: [], cpu: 1024, memory: 1024 });
  return { ecs, attrs: ecs.containerInstances.attributes, reg };
}

describe('attribute rules', () => {
  it('accepts the characters the API reference allows and refuses others', () => {
    expect(() => checkAttribute({ name: 'a-b_c/d\\e.f', value: 'x@y:z /w' })).not.toThrow();
    expect(() => checkAttribute({ name: 'flag' })).not.toThrow();
    for (const bad of [{ name: '' }, { name: 'a b' }, { name: 'x'.repeat(129) }, { name: 'k', value: ' lead' }, { name: 'k', value: 'a#b' }, { name: 'k', value: '' }]) {
      expect(() => checkAttribute(bad), JSON.stringify(bad)).toThrow();
    }
  });

  it('counts only custom attributes against the limit of ten', () => {
    const custom = Array.from({ length: 10 }, (_, i) => ({ name: `k${i}` }));
    expect(() => checkCustomLimit([...custom, { name: 'ecs.os-type', value: 'linux' }, { name: 'com.amazonaws.ecs.capability.x' }])).not.toThrow();
    expect(() => checkCustomLimit([...custom, { name: 'one-more' }])).toThrow(expect.objectContaining({ kind: 'LimitExceeded', subject: 'attributes' }));
    expect(isSystemAttribute('ecs.instance-type')).toBe(true);
    expect(isSystemAttribute('ecsx')).toBe(false);
  });

  it('replaces values by name and keeps the order', () => {
    expect(mergeAttributes([{ name: 'a', value: '1' }, { name: 'b' }], [{ name: 'a', value: '2', targetId: 'x' }, { name: 'c' }])).toEqual([
      { name: 'a', value: '2' },
      { name: 'b' },
      { name: 'c' },
    ]);
  });
});

describe('InstanceAttributes', () => {
  it('puts, lists with filters and pages, and deletes attributes by ARN or id', async () => {
    const { attrs, reg } = await setup();
    const a = await reg('c');
    const b = await reg('c');
    await attrs.put(scope, 'c', [
      { name: 'stack', value: 'prod', targetId: a.containerInstanceArn },
      { name: 'stack', value: 'dev', targetId: b.id, targetType: 'container-instance' },
    ]);
    const prod = await attrs.list(scope, 'c', { targetType: 'container-instance', attributeName: 'stack', attributeValue: 'prod', maxResults: 100 });
    expect(prod.items).toEqual([{ name: 'stack', value: 'prod', targetType: 'container-instance', targetId: a.containerInstanceArn }]);

    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await attrs.list(scope, 'c', { targetType: 'container-instance', maxResults: 7, ...(token && { nextToken: token }) });
      seen.push(...page.items.map((x) => `${x.targetId} ${x.name}`));
      token = page.nextToken;
      if (!token) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(a.attributes.length + b.attributes.length + 2);

    await attrs.delete(scope, 'c', [{ name: 'stack', targetId: a.containerInstanceArn }]);
    expect((await attrs.list(scope, 'c', { targetType: 'container-instance', attributeName: 'stack', maxResults: 100 })).items.map((x) => x.value)).toEqual([
      'dev',
    ]);
  });

  it('refuses unknown targets, short ids without a type, too many attributes, and works on the default cluster', async () => {
    const { attrs, reg } = await setup();
    const a = await reg('c');
    const d = await reg('default');
    await expect(attrs.put(scope, 'c', [{ name: 'k', targetId: 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/none' }])).rejects.toMatchObject({
      subject: 'attribute-target',
    });
    await expect(attrs.put(scope, 'c', [{ name: 'k', targetId: d.containerInstanceArn }])).rejects.toMatchObject({ subject: 'attribute-target' });
    await expect(attrs.put(scope, 'c', [{ name: 'k', targetId: a.id }])).rejects.toMatchObject({ subject: 'parameter' });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `k${i}`, targetId: a.containerInstanceArn }));
    await expect(attrs.put(scope, 'c', eleven)).rejects.toMatchObject({ subject: 'attributes' });
    await attrs.put(scope, 'c', eleven.slice(0, 6));
    await expect(attrs.put(scope, 'c', eleven.slice(6, 11))).rejects.toMatchObject({ subject: 'attributes' });
    expect((await attrs.list(scope, 'c', { targetType: 'container-instance', attributeName: 'k10', maxResults: 10 })).items).toEqual([]);
    // A call fails as a whole: the known target's change is not kept when another target is unknown.
    const mixed = [{ name: 'both', targetId: a.containerInstanceArn }, { name: 'both', targetId: 'ffff', targetType: 'container-instance' as const }];
    await expect(attrs.put(scope, 'c', mixed)).rejects.toMatchObject({ subject: 'attribute-target' });
    expect((await attrs.list(scope, 'c', { targetType: 'container-instance', attributeName: 'both', maxResults: 10 })).items).toEqual([]);
    await attrs.put(scope, undefined, [{ name: 'here', targetId: d.containerInstanceArn }]);
    expect((await attrs.list(scope, undefined, { targetType: 'container-instance', attributeName: 'here', maxResults: 10 })).items).toHaveLength(1);
  });

  it('refuses to change the agent’s own attributes and other target types', async () => {
    const { attrs, reg } = await setup();
    const i = await reg('c');
    for (const name of ['ecs.availability-zone', 'minato.capacity-group']) {
      await expect(attrs.put(scope, 'c', [{ name, value: 'x', targetId: i.containerInstanceArn }])).rejects.toThrow(/reserved/);
      await expect(attrs.delete(scope, 'c', [{ name, targetId: i.containerInstanceArn }])).rejects.toThrow(/reserved/);
    }
    await expect(attrs.put(scope, 'c', [{ name: 'k', value: 'v', targetType: 'task' as 'container-instance', targetId: i.containerInstanceArn }])).rejects.toThrow(/targetType/);
  });
});
