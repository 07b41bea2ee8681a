import { describe, expect, it } from 'vitest';
import { checkFilters, matchesFilters, splitWords, type SecretFilter } from './list-filters.js';
import type { SecretRecord } from './secret.js';

const secret = (name: string, description?: string, tags: Array<[string, string]> = []): SecretRecord => ({
  arn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`,
  name,
  ...(description !== undefined && { description }),
  tags: tags.map(([Key, Value]) => ({ Key, Value })),
  versions: [],
  createdDate: 0,
  lastChangedDate: 0,
});

const names = (secrets: SecretRecord[], filters: SecretFilter[]) => secrets.filter((s) => matchesFilters(s, filters)).map((s) => s.name);

describe('splitWords (the cases measured against Secrets Manager)', () => {
  it.each([
    ['test', ['test']],
    ['my test', ['my', 'test']],
    ['Mytest', ['Mytest']],
    ['MyTest', ['My', 'Test']],
    ['MyTestPhrase', ['My', 'Test', 'Phrase']],
    ['myTest', ['my', 'Test']],
    ['my/test', ['my', 'test']],
    ['COMPANYthings', ['COMPAN', 'Ythings']],
    ['prod-AppBeta/x', ['prod-AppBeta/x']],
    ['+', []],
  ])('%s → %j', (input, words) => {
    expect(splitWords(input)).toEqual(words);
  });
});

describe('ListSecrets filters', () => {
  const all = [
    secret('SecretOne'),
    secret('SecretTwo', 'DescTwo'),
    secret('Thirdsecret'),
    secret('SecretFTag', undefined, [['1', 'foo']]),
    secret('SecretFValue', undefined, [['foo', 'v']]),
    secret('none'),
  ];

  it('name is a case-sensitive prefix; values are ORed; filters are ANDed', () => {
    expect(names(all, [{ Key: 'name', Values: ['Secret'] }])).toEqual(['SecretOne', 'SecretTwo', 'SecretFTag', 'SecretFValue']);
    expect(names(all, [{ Key: 'name', Values: ['secret'] }])).toEqual([]);
    expect(names(all, [{ Key: 'name', Values: ['none', 'Third'] }])).toEqual(['Thirdsecret', 'none']);
    expect(names(all, [{ Key: 'name', Values: ['Secret'] }, { Key: 'tag-key', Values: ['fo'] }])).toEqual(['SecretFValue']);
  });

  it('all matches words of any attribute, not case-sensitive (AWS-verified expectations)', () => {
    expect(names(all, [{ Key: 'all', Values: ['SecretOne'] }])).toEqual(['SecretOne']);
    expect(names(all, [{ Key: 'all', Values: ['foo'] }])).toEqual(['SecretFTag', 'SecretFValue']);
    expect(names(all, [{ Key: 'all', Values: ['secret'] }])).toEqual(['SecretOne', 'SecretTwo', 'SecretFTag', 'SecretFValue']);
    expect(names(all, [{ Key: 'all', Values: ['ret'] }])).toEqual([]);
    expect(names(all, [{ Key: 'all', Values: ['d t'] }])).toEqual(['SecretTwo']);
    expect(names(all, [{ Key: 'all', Values: ['t'] }])).toEqual(['SecretTwo', 'Thirdsecret', 'SecretFTag']);
  });

  it('description matches words; two filters with one key are ANDed; ! negates', () => {
    const described = [secret('foo', 'one two'), secret('bar', 'one and two'), secret('baz', 'one'), secret('qux', 'two'), secret('x', 'unrelated')];
    expect(names(described, [{ Key: 'description', Values: ['one two'] }])).toEqual(['foo', 'bar']);
    expect(names(described, [{ Key: 'description', Values: ['one'] }, { Key: 'description', Values: ['two'] }])).toEqual(['foo', 'bar']);
    expect(names(described, [{ Key: 'description', Values: ['!o'] }])).toEqual(['qux', 'x']);
    expect(names(described, [{ Key: 'name', Values: ['!b'] }])).toEqual(['foo', 'qux', 'x']);
  });

  it('refuses a filter without key or values, with the service texts', () => {
    expect(() => checkFilters([{ Values: ['x'] }])).toThrow('Invalid filter key');
    expect(() => checkFilters([{ Key: 'description' }])).toThrow('Invalid filter values for key: description');
  });
});
