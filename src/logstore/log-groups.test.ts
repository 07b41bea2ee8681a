import { describe, expect, it } from 'vitest';
import { DAY, NOW, newService, scopeAt, thrown } from './service.fixtures.js';

describe('log groups', () => {
  it('creates a group with its settings and refuses the same name twice', async () => {
    const { logs } = newService();
    const scope = scopeAt();
    const group = await logs.groups.create(scope, {
      name: '/ecs/web',
      kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k',
      tags: { team: 'blue' },
      logGroupClass: 'INFREQUENT_ACCESS',
    });
    expect(group).toMatchObject({
      name: '/ecs/web',
      createdAt: NOW,
      kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k',
      logGroupClass: 'INFREQUENT_ACCESS',
      tags: { team: 'blue' },
      storedBytes: 0,
      deletionProtection: false,
    });
    expect(group.retentionDays).toBeUndefined();
    expect(await thrown(() => logs.groups.create(scope, { name: '/ecs/web' }))).toMatchObject({
      kind: 'AlreadyExists',
      message: 'The specified log group already exists',
    });
  });

  it('keeps regions apart', async () => {
    const { logs } = newService();
    await logs.groups.create(scopeAt(NOW, 'us-east-1'), { name: 'g' });
    await expect(logs.groups.create(scopeAt(NOW, 'eu-west-1'), { name: 'g' })).resolves.toMatchObject({ name: 'g', region: 'eu-west-1' });
    expect((await logs.groups.describe(scopeAt(NOW, 'eu-west-1'), {})).items).toHaveLength(1);
  });

  it('refuses reserved tag keys', async () => {
    const { logs } = newService();
    expect((await thrown(() => logs.groups.create(scopeAt(), { name: 'g', tags: { 'aws:x': '1' } }))).kind).toBe('InvalidArgument');
  });

  it('lists in name order, pages with tokens, and filters by prefix, substring, class and identifiers', async () => {
    const { logs } = newService();
    const scope = scopeAt();
    for (const name of ['b/DataLogs', 'a', 'aws/DataLogs', 'GroupDataLogs', 'datalogs', 'c']) {
      await logs.groups.create(scope, { name, ...(name === 'c' && { logGroupClass: 'INFREQUENT_ACCESS' as const }) });
    }
    const names = async (input: Parameters<typeof logs.groups.describe>[1]) => (await logs.groups.describe(scope, input)).items.map((g) => g.name);
    expect(await names({})).toEqual(['GroupDataLogs', 'a', 'aws/DataLogs', 'b/DataLogs', 'c', 'datalogs']);
    expect(await names({ prefix: 'a' })).toEqual(['a', 'aws/DataLogs']);
    expect(await names({ pattern: 'DataLogs' })).toEqual(['GroupDataLogs', 'aws/DataLogs', 'b/DataLogs']);
    expect(await names({ logGroupClass: 'INFREQUENT_ACCESS' })).toEqual(['c']);
    expect(await names({ identifiers: ['c', 'arn:aws:logs:us-east-1:000000000000:log-group:a:*', 'missing'] })).toEqual(['a', 'c']);
    expect(await names({ identifiers: ['arn:aws:logs:eu-west-1:000000000000:log-group:a'] })).toEqual([]);

    const seen: string[] = [];
    let nextToken: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await logs.groups.describe(scope, { limit: 4, ...(nextToken && { nextToken }) });
      seen.push(...page.items.map((g) => g.name));
      nextToken = page.nextToken;
      if (!nextToken) break;
    }
    expect(seen).toEqual(await names({}));
  });

  it('refuses a prefix with a pattern, and a forged token', async () => {
    const { logs } = newService();
    expect((await thrown(() => logs.groups.describe(scopeAt(), { prefix: 'a', pattern: 'b' }))).kind).toBe('InvalidArgument');
    expect((await thrown(() => logs.groups.describe(scopeAt(), { nextToken: 'bm9wZQ' }))).message).toBe('Invalid nextToken value.');
  });

  it('sets and removes retention, accepting only the listed periods', async () => {
    const { logs } = newService();
    const scope = scopeAt();
    await logs.groups.create(scope, { name: 'g' });
    await logs.groups.putRetention(scope, 'g', 3653);
    expect((await logs.groups.require(scope, 'g')).retentionDays).toBe(3653);
    const err = await thrown(() => logs.groups.putRetention(scope, 'g', 2));
    expect(err.kind).toBe('InvalidArgument');
    expect(err.message).toContain("Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14,");
    await logs.groups.deleteRetention(scope, 'g');
    expect((await logs.groups.require(scope, 'g')).retentionDays).toBeUndefined();
    expect(await thrown(() => logs.groups.putRetention(scope, 'nope', 1))).toMatchObject({
      kind: 'NotFound',
      message: 'The specified log group does not exist.',
    });
  });

  it('deletes groups with their streams and events, unless deletion protection is on', async () => {
    const { logs, store } = newService();
    const scope = scopeAt();
    await logs.groups.create(scope, { name: 'g', deletionProtection: true });
    await logs.appendEvents(scope, 'g', 's', [{ timestamp: NOW, message: 'hello' }]);
    const stream = (await store.stream((await logs.groups.require(scope, 'g')).id, 's'))!;
    expect(await thrown(() => logs.groups.delete(scope, 'g'))).toMatchObject({ kind: 'FailedPrecondition', subject: 'log-group-protected' });
    await logs.groups.setDeletionProtection(scope, 'g', false);
    await logs.groups.delete(scope, 'g');
    expect(await logs.groups.find(scope, 'g')).toBeUndefined();
    expect(await store.countEvents(stream.id)).toBe(0);
    // A new group of the same name starts empty.
    await logs.groups.create(scopeAt(NOW + DAY), { name: 'g' });
    expect((await logs.streams.describe(scope, 'g', {})).items).toEqual([]);
  });

  it('merges, lists and removes tags, up to 50', async () => {
    const { logs } = newService();
    const scope = scopeAt();
    await logs.groups.create(scope, { name: 'g', tags: { a: '1', b: '2' } });
    await logs.groups.tag(scope, 'g', { b: '3', c: '4' });
    expect(await logs.groups.tags(scope, 'g')).toEqual({ a: '1', b: '3', c: '4' });
    await logs.groups.untag(scope, 'g', ['a', 'zz']);
    expect(await logs.groups.tags(scope, 'g')).toEqual({ b: '3', c: '4' });
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    expect(await thrown(() => logs.groups.tag(scope, 'g', many))).toMatchObject({ kind: 'LimitExceeded', subject: 'tags' });
    expect(Object.keys(await logs.groups.tags(scope, 'g'))).toHaveLength(2);
  });
});
