import { describe, expect, it } from 'vitest';
import { instanceArn, instanceIdIn, newEc2InstanceId, newInstanceId, parseIdentityDocument, parseInstanceArn } from './instance-identity.js';

const scope = { accountId: '000000000000', region: 'eu-west-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(0) };

describe('instance identity', () => {
  it('makes ids of ECS and EC2 shapes', () => {
    expect(newInstanceId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newEc2InstanceId()).toMatch(/^i-[0-9a-f]{17}$/);
    expect(newInstanceId()).not.toBe(newInstanceId());
  });

  it('formats and parses long-format ARNs', () => {
    const arn = instanceArn(scope, 'web', 'abc');
    expect(arn).toBe('arn:aws:ecs:eu-west-1:000000000000:container-instance/web/abc');
    expect(parseInstanceArn(arn)).toEqual({
      region: 'eu-west-1',
      accountId: '000000000000',
      clusterName: 'web',
      id: 'abc',
      clusterArn: 'arn:aws:ecs:eu-west-1:000000000000:cluster/web',
    });
    expect(parseInstanceArn('arn:aws:ecs:eu-west-1:000000000000:task/web/abc')).toBeUndefined();
  });

  it('resolves ids and ARNs only within the scope and cluster', () => {
    expect(instanceIdIn(scope, 'web', 'abc')).toBe('abc');
    expect(instanceIdIn(scope, 'web', instanceArn(scope, 'web', 'abc'))).toBe('abc');
    expect(instanceIdIn(scope, 'web', instanceArn(scope, 'other', 'abc'))).toBeUndefined();
    expect(instanceIdIn(scope, 'web', instanceArn({ ...scope, region: 'us-east-1' }, 'web', 'abc'))).toBeUndefined();
    expect(instanceIdIn(scope, 'web', 'a/b')).toBeUndefined();
  });

  it('reads the identity document when it is one, and nothing otherwise', () => {
    const doc = JSON.stringify({ instanceId: 'i-1', availabilityZone: 'eu-west-1b', instanceType: 'm7g.large', privateIp: '10.0.0.9', extra: 1 });
    expect(parseIdentityDocument(doc)).toEqual({ instanceId: 'i-1', availabilityZone: 'eu-west-1b', instanceType: 'm7g.large', privateIp: '10.0.0.9' });
    expect(parseIdentityDocument('not json')).toEqual({});
    expect(parseIdentityDocument('"text"')).toEqual({});
    expect(parseIdentityDocument(JSON.stringify({ instanceId: 42 }))).toEqual({});
    expect(parseIdentityDocument(undefined)).toEqual({});
  });
});
