import { describe, expect, it } from 'vitest';
import { checkFilters, matchesFilters } from './filters.js';

const subnet = { 'vpc-id': ['vpc-0123456789abcdef0'], 'default-for-az': [true], 'availability-zone': ['us-east-1a'] };
const tags = [{ Key: 'Name', Value: 'public-a' }];

describe('EC2 filters', () => {
  it('matches every filter, any value of each', () => {
    expect(matchesFilters([], subnet, tags)).toBe(true);
    expect(matchesFilters([{ Name: 'vpc-id', Values: ['vpc-other', 'vpc-0123456789abcdef0'] }], subnet, tags)).toBe(true);
    expect(matchesFilters([{ Name: 'default-for-az', Values: ['true'] }, { Name: 'availability-zone', Values: ['us-east-1b'] }], subnet, tags)).toBe(false);
    expect(matchesFilters([{ Name: 'default-for-az', Values: ['false'] }], subnet, tags)).toBe(false);
  });

  it('reads wildcards, tag:<key> and tag-key', () => {
    expect(matchesFilters([{ Name: 'availability-zone', Values: ['us-east-1?'] }], subnet, tags)).toBe(true);
    expect(matchesFilters([{ Name: 'tag:Name', Values: ['public-*'] }], subnet, tags)).toBe(true);
    expect(matchesFilters([{ Name: 'tag:Name', Values: ['private-*'] }], subnet, tags)).toBe(false);
    expect(matchesFilters([{ Name: 'tag:Env', Values: ['*'] }], subnet, tags)).toBe(false);
    expect(matchesFilters([{ Name: 'tag-key', Values: ['Name'] }], subnet, tags)).toBe(true);
    // A dot is literal, not a regular-expression wildcard.
    expect(matchesFilters([{ Name: 'availability-zone', Values: ['us-east-1.'] }], subnet, tags)).toBe(false);
  });

  it('refuses a filter name the resource does not know', () => {
    expect(() => checkFilters([{ Name: 'vpc-id' }, { Name: 'tag:x' }], ['vpc-id'])).not.toThrow();
    expect(() => checkFilters([{ Name: 'colour' }], ['vpc-id'])).toThrow("The filter 'colour' is invalid");
  });
});
