import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLoadBalancerName, checkTargetGroupName, dnsNameOf, listenerArn, loadBalancerArn, resourceKind, ruleArn, targetGroupArn, zoneOfSubnet } from './names.js';

describe('names and ARNs', () => {
  it('takes 1-32 alphanumerics and hyphens, not at either end, and no internal- load balancer', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9-]{0,40}$/), (name) => {
        const valid = name.length >= 1 && name.length <= 32 && !name.startsWith('-') && !name.endsWith('-');
        if (valid) expect(() => checkTargetGroupName(name)).not.toThrow();
        else expect(() => checkTargetGroupName(name)).toThrow(/must/);
      }),
      { numRuns: 300 },
    );
    expect(() => checkLoadBalancerName('internal-web')).toThrow(/internal-/);
    expect(() => checkLoadBalancerName('Internal-web')).toThrow(/internal-/);
    expect(() => checkLoadBalancerName('web_1')).toThrow();
  });

  it('spells DNS names as AWS', () => {
    expect(dnsNameOf('Web', '00000000000000ff', 'application', 'internet-facing', 'eu-west-1')).toBe('web-0000000255.eu-west-1.elb.amazonaws.com');
    expect(dnsNameOf('web', '00000000000000ff', 'application', 'internal', 'us-east-1')).toBe('internal-web-0000000255.us-east-1.elb.amazonaws.com');
    expect(dnsNameOf('db', '00000000000000ff', 'network', 'internet-facing', 'us-east-1')).toBe('db-00000000000000ff.elb.us-east-1.amazonaws.com');
  });

  it('tells the kind of each ARN it makes', () => {
    const lb = loadBalancerArn('us-east-1', '000000000000', 'application', 'web', '0123456789abcdef');
    const listener = listenerArn(lb, '1111111111111111');
    expect([lb, targetGroupArn('us-east-1', '000000000000', 'api', '0123456789abcdef'), listener, ruleArn(listener, '2222222222222222')].map(resourceKind)).toEqual(['load-balancer', 'target-group', 'listener', 'rule']);
    expect(listener).toBe('arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/0123456789abcdef/1111111111111111');
    expect(resourceKind('arn:aws:acm:us-east-1:000000000000:certificate/x')).toBeUndefined();
    expect(resourceKind('nope')).toBeUndefined();
  });

  it('puts a subnet in the same zone of the region every time', () => {
    fc.assert(fc.property(fc.stringMatching(/^subnet-[0-9a-f]{8}$/), (id) => {
      expect(zoneOfSubnet('us-east-1', id)).toMatch(/^us-east-1[a-f]$/);
    }));
    expect(zoneOfSubnet('us-east-1', 'subnet-00000001')).toBe(zoneOfSubnet('us-east-1', 'subnet-00000001'));
  });
});
