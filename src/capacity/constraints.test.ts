import { describe, expect, it } from 'vitest';
import { compileMemberOf, standardAttributes } from './constraints.js';

const node = standardAttributes('c7i.large', 'apne1-az1', 'x86_64', { stack: 'prod', cores: '8' });

describe('memberOf expressions', () => {
  it.each([
    ['attribute:ecs.instance-type == c7i.large', true],
    ['attribute:ecs.instance-type != c7i.large', false],
    ['attribute:ecs.instance-type =~ c7*', true],
    ['attribute:ecs.instance-type =~ g5.*', false],
    ['attribute:ecs.instance-type !~ t3.*', true],
    ['attribute:ecs.availability-zone in [apne1-az2, apne1-az1]', true],
    ['attribute:ecs.availability-zone not_in [apne1-az1]', false],
    ['attribute:stack exists', true],
    ['attribute:team exists', false],
    ['attribute:cores >= 8 and attribute:stack == prod', true],
    ['attribute:cores > 8 or attribute:ecs.cpu-architecture == x86_64', true],
    ['not(attribute:stack == prod)', false],
  ])('%s -> %s', (expr, expected) => {
    expect(compileMemberOf(expr)(node)).toBe(expected);
  });

  it('rejects what it does not understand, with InvalidParameter', () => {
    expect(() => compileMemberOf('task:group == web')).toThrow(/unsupported placement expression/);
    expect(() => compileMemberOf('attribute:x in y')).toThrow(/list/);
  });
});
