import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBalancerAttributeDefaults, targetGroupAttributeDefaults } from './attributes.js';
import { defaultHealthCheck } from './health-check.js';
import { loadBalancersOfGroup, proxyConfigFor } from './proxy-config-for.js';
import type { ElbRecords, ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord } from './records.js';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0000000000000001';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/0000000000000001/000000000000000a';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/api/0000000000000002';
const forward = (arn: string) => [{ Type: 'forward', TargetGroupArn: arn, ForwardConfig: { TargetGroups: [{ TargetGroupArn: arn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } }];
const base = { accountId: '000000000000', region: 'us-east-1', tags: [] };

const lb: LoadBalancerRecord = { ...base, arn: LB, name: 'web', type: 'application', scheme: 'internet-facing', dnsName: 'web-1.us-east-1.elb.amazonaws.com', address: '127.77.0.1', createdTime: 0, state: 'active', vpcId: 'vpc-1', zones: [], securityGroups: [], ipAddressType: 'ipv4', attributes: { ...loadBalancerAttributeDefaults('application'), 'idle_timeout.timeout_seconds': '90' } };
const tg: TargetGroupRecord = { ...base, arn: TG, name: 'api', targetType: 'ip', protocol: 'HTTP', protocolVersion: 'HTTP1', port: 8080, vpcId: 'vpc-1', ipAddressType: 'ipv4', healthCheck: defaultHealthCheck('HTTP', 'HTTP1'), attributes: targetGroupAttributeDefaults('application'), targets: [{ id: '10.0.0.1', address: '10.0.0.1', port: 8080 }, { id: '10.0.0.2', address: '10.0.0.2', port: 8080, drainUntil: 5 }], createdTime: 0 };
const listener: ListenerRecord = { ...base, arn: LISTENER, loadBalancerArn: LB, port: 443, protocol: 'HTTPS', certificates: [{ arn: 'cert-b', isDefault: false }, { arn: 'cert-gone', isDefault: false }, { arn: 'cert-a', isDefault: true }], sslPolicy: 'ELBSecurityPolicy-2016-08', defaultActions: forward(TG), defaultRuleArn: `${LISTENER}/d`.replace(':listener/', ':listener-rule/'), };
const rule = (priority: number): RuleRecord => ({ ...base, arn: `${LISTENER.replace(':listener/', ':listener-rule/')}/${priority.toString(16).padStart(16, '0')}`, listenerArn: LISTENER, priority, conditions: [{ Field: 'path-pattern', Values: [`/${priority}`], PathPatternConfig: { Values: [`/${priority}`] } }], actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] });

const material = new Map([
  ['cert-a', { certificatePem: 'A', privateKeyPem: 'KA' }],
  ['cert-b', { certificatePem: 'B', privateKeyPem: 'KB', chainPem: 'CB' }],
]);

describe('proxyConfigFor', () => {
  it('derives the data plane state: rules by priority with the default last, the default certificate first', () => {
    const records: ElbRecords = { loadBalancers: [lb], targetGroups: [tg], listeners: [listener], rules: [rule(30), rule(2), rule(10)] };
    const config = proxyConfigFor(records, material);
    const served = config.loadBalancers[0]!;
    expect(served).toMatchObject({ arn: LB, address: '127.77.0.1', idleTimeoutSeconds: 90, type: 'application' });
    expect(served.listeners[0]!.rules.map((r) => r.priority)).toEqual([2, 10, 30, 'default']);
    expect(served.listeners[0]!.rules.at(-1)).toEqual({ arn: listener.defaultRuleArn, priority: 'default', conditions: [], action: { type: 'forward', targetGroups: [{ arn: TG, weight: 1 }] } });
    expect(served.listeners[0]!.certificates).toEqual([{ arn: 'cert-a', certificatePem: 'A', privateKeyPem: 'KA' }, { arn: 'cert-b', certificatePem: 'B', privateKeyPem: 'KB', chainPem: 'CB' }]);
    expect(config.targetGroups).toEqual([
      {
        arn: TG,
        name: 'api',
        protocol: 'HTTP',
        protocolVersion: 'HTTP1',
        healthCheck: { enabled: true, protocol: 'HTTP', port: 'traffic-port', path: '/', intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 5, unhealthyThreshold: 2, matcher: '200' },
        deregistrationDelaySeconds: 300,
        slowStartSeconds: 0,
        stickiness: { enabled: false, type: 'lb_cookie', durationSeconds: 86400 },
        algorithm: 'round_robin',
        targets: [{ id: '10.0.0.1', address: '10.0.0.1', port: 8080, draining: false }, { id: '10.0.0.2', address: '10.0.0.2', port: 8080, draining: true }],
      },
    ]);
    expect(loadBalancersOfGroup(records, TG)).toEqual([LB]);
  });

  it('does not depend on the order the records were read in', () => {
    const records: ElbRecords = { loadBalancers: [lb, { ...lb, arn: LB.replace('01', '09'), name: 'b' }], targetGroups: [tg, { ...tg, arn: TG.replace('02', '07') }], listeners: [listener], rules: [1, 2, 3, 4, 5].map(rule) };
    const expected = proxyConfigFor(records, material);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), (keys) => {
        const shuffle = <T>(xs: T[], k: number) => xs.map((x, i) => ({ x, key: keys[(i + k) % keys.length]! })).sort((a, b) => a.key - b.key).map((e) => e.x);
        const shuffled: ElbRecords = { loadBalancers: shuffle(records.loadBalancers, 0), targetGroups: shuffle(records.targetGroups, 3), listeners: records.listeners, rules: shuffle(records.rules, 5) };
        expect(proxyConfigFor(shuffled, material)).toEqual(expected);
      }),
    );
  });

  it('carries app-cookie stickiness with its cookie name and duration', () => {
    const sticky = { ...tg, attributes: { ...tg.attributes, 'stickiness.enabled': 'true', 'stickiness.type': 'app_cookie', 'stickiness.app_cookie.cookie_name': 'SESSION', 'stickiness.app_cookie.duration_seconds': '600' } };
    expect(proxyConfigFor({ loadBalancers: [], targetGroups: [sticky], listeners: [], rules: [] }, material).targetGroups[0]!.stickiness).toEqual({ enabled: true, type: 'app_cookie', durationSeconds: 600, cookieName: 'SESSION' });
  });
});
