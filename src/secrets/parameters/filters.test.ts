import { describe, expect, it } from 'vitest';
import { checkParameterFilters, matchesParameterFilters, underPath, type ParameterStringFilter } from './filters.js';
import type { ParameterVersionRecord } from './parameter.js';

const version = (over: Partial<ParameterVersionRecord> = {}): ParameterVersionRecord => ({
  version: 1,
  type: 'String',
  tier: 'Standard',
  dataType: 'text',
  labels: [],
  lastModifiedDate: 0,
  lastModifiedUser: 'u',
  ...over,
});
const matches = (name: string, filters: ParameterStringFilter[], over: Partial<ParameterVersionRecord> = {}, tags = [{ Key: 'env', Value: 'prod' }]) =>
  matchesParameterFilters({ name, version: version(over), tags }, filters);

describe('parameter filters', () => {
  it('checks keys per operation, duplicates, options and values with the service texts', () => {
    expect(() => checkParameterFilters([{ Key: 'Name', Values: ['x'] }], 'by-path')).toThrow(
      'The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId].',
    );
    expect(() => checkParameterFilters([{ Key: 'Label', Values: ['x'] }], 'describe')).toThrow(/Label. Valid filter keys include: \[Path, Name/);
    expect(() => checkParameterFilters([{ Key: 'Type', Values: ['String'] }, { Key: 'Type', Values: ['String'] }], 'describe')).toThrow(
      'The following filter is duplicated in the request: Type. A request can contain only one occurrence of a specific filter.',
    );
    expect(() => checkParameterFilters([{ Key: 'Type', Option: 'Contains', Values: ['String'] }], 'describe')).toThrow(
      'The following filter option is not valid: Contains. Valid options include: [BeginsWith, Equals].',
    );
    expect(() => checkParameterFilters([{ Key: 'Path', Option: 'Equals', Values: ['/a'] }], 'describe')).toThrow(/\[Recursive, OneLevel\]/);
    expect(() => checkParameterFilters([{ Key: 'Name' }], 'describe')).toThrow('The following filter values are missing : null for filter key Name.');
    expect(() => checkParameterFilters([{ Key: 'Path', Values: ['/aws/x'] }], 'describe')).toThrow(/common parameters/);
    expect(() => checkParameterFilters([{ Key: 'Path', Values: ['no-slash'] }], 'describe')).toThrow(/must begin with a forward slash/);
    expect(() => checkParameterFilters([{ Key: 'tag:env' }, { Key: 'Name', Option: 'Contains', Values: ['a'] }], 'describe')).not.toThrow();
  });

  it('matches names with or without a leading slash, prefixes and substrings', () => {
    expect(matches('x', [{ Key: 'Name', Values: ['/x'] }])).toBe(true);
    expect(matches('/app/db', [{ Key: 'Name', Option: 'BeginsWith', Values: ['/app'] }])).toBe(true);
    expect(matches('/app/db', [{ Key: 'Name', Option: 'Contains', Values: ['p/d'] }])).toBe(true);
    expect(matches('/app/db', [{ Key: 'Name', Values: ['/app'] }])).toBe(false);
  });

  it('matches type, key, tier, label and tags', () => {
    expect(matches('/a', [{ Key: 'Type', Values: ['SecureString'] }], { type: 'SecureString' })).toBe(true);
    expect(matches('/a', [{ Key: 'KeyId', Values: ['alias/aws/ssm'] }])).toBe(false);
    expect(matches('/a', [{ Key: 'Tier', Values: ['Advanced'] }], { tier: 'Advanced' })).toBe(true);
    expect(matches('/a', [{ Key: 'Label', Values: ['prod'] }], { labels: ['prod'] })).toBe(true);
    expect(matches('/a', [{ Key: 'tag:env' }])).toBe(true);
    expect(matches('/a', [{ Key: 'tag:env', Values: ['dev'] }])).toBe(false);
    expect(matches('/a', [{ Key: 'tag:env', Option: 'BeginsWith', Values: ['pr'] }])).toBe(true);
    expect(matches('/a', [{ Key: 'tag:team' }])).toBe(false);
  });

  it('places names under paths, one level or recursively', () => {
    expect(underPath('/a/b', '/a', false)).toBe(true);
    expect(underPath('/a/b/c', '/a', false)).toBe(false);
    expect(underPath('/a/b/c', '/a/', true)).toBe(true);
    expect(underPath('/ab/c', '/a', true)).toBe(false);
    expect(underPath('top', '/', false)).toBe(true);
    expect(underPath('/a/b', '/', false)).toBe(false);
    expect(underPath('/a/b', '/', true)).toBe(true);
  });
});
