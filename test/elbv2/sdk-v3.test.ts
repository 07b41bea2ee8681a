import { ACMClient, DeleteCertificateCommand, DescribeCertificateCommand, ImportCertificateCommand, ListCertificatesCommand, ResourceInUseException } from '@aws-sdk/client-acm';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenerAttributesCommand,
  DescribeListenersCommand,
  DescribeCapacityReservationCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerAttributesCommand,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  SetIpAddressTypeCommand,
  SetRulePrioritiesCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
  waitUntilLoadBalancerAvailable,
  waitUntilTargetDeregistered,
  waitUntilTargetInService,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, useElbFrontDoor } from './elbv2-fixture.js';

const fixture = useElbFrontDoor();
let elb: ElasticLoadBalancingV2Client;
let acm: ACMClient;
const VPC = 'vpc-0a1b2c3d4e5f60718';
const SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-1a1b2c3d4e5f60718'];

beforeAll(() => {
  const common = { endpoint: fixture.endpoint(), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  elb = new ElasticLoadBalancingV2Client(common);
  acm = new ACMClient(common);
});
afterAll(() => {
  elb?.destroy();
  acm?.destroy();
  expect(fixture.errors).toEqual([]);
});

/** The error name and code a rejected call answered with. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; message: string; Code?: string };
    return { name: e.Code ?? e.name, message: e.message };
  }
  throw new Error('the call succeeded');
}

const createLb = async (name: string, extra: Record<string, unknown> = {}) =>
  (await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: SUBNETS, ...extra }))).LoadBalancers![0]!;

const createTg = async (name: string, extra: Record<string, unknown> = {}) =>
  (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 8080, VpcId: VPC, TargetType: 'ip', ...extra }))).TargetGroups![0]!;

describe('@aws-sdk/client-elastic-load-balancing-v2 and @aws-sdk/client-acm', () => {
  it('creates an application load balancer that turns active, with an address and a DNS name of its own', async () => {
    const lb = await createLb('web');
    expect(lb.State?.Code).toBe('provisioning');
    expect(lb.LoadBalancerArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\/web\/[0-9a-f]{16}$/);
    expect(lb.DNSName).toMatch(/^web-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(lb.Type).toBe('application');
    expect(lb.Scheme).toBe('internet-facing');
    expect(lb.AvailabilityZones!.map((z) => z.SubnetId).sort()).toEqual(SUBNETS);
    expect(lb.SecurityGroups).toHaveLength(1);
    await waitUntilLoadBalancerAvailable({ client: elb, maxWaitTime: 10, minDelay: 1 }, { LoadBalancerArns: [lb.LoadBalancerArn!] });
    const described = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['web'] }))).LoadBalancers!;
    expect(described.map((d) => d.State?.Code)).toEqual(['active']);
    expect(described[0]!.CreatedTime).toBeInstanceOf(Date);
    const served = fixture.dataPlane().last!.loadBalancers.find((l) => l.arn === lb.LoadBalancerArn)!;
    expect(served.address).toMatch(/^127\.77\.\d+\.\d+$/);
    expect(served.dnsName).toBe(lb.DNSName);

    // The same settings again: the same load balancer (idempotent); other settings: a duplicate.
    expect((await createLb('web')).LoadBalancerArn).toBe(lb.LoadBalancerArn);
    expect((await failure(createLb('web', { Scheme: 'internal' }))).name).toBe('DuplicateLoadBalancerName');

    const internal = await createLb('inner', { Scheme: 'internal' });
    expect(internal.DNSName).toMatch(/^internal-inner-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    const addresses = fixture.dataPlane().last!.loadBalancers.map((l) => l.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: internal.LoadBalancerArn! }));
  });

  it('keeps load balancer attributes, honouring idle timeout and deletion protection', async () => {
    const lb = await createLb('guarded');
    const attrs = (await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn! }))).Attributes!;
    expect(attrs).toContainEqual({ Key: 'idle_timeout.timeout_seconds', Value: '60' });
    expect(attrs).toContainEqual({ Key: 'deletion_protection.enabled', Value: 'false' });
    const reservation = await elb.send(new DescribeCapacityReservationCommand({ LoadBalancerArn: lb.LoadBalancerArn! }));
    expect([reservation.CapacityReservationState, reservation.MinimumLoadBalancerCapacity]).toEqual([[], undefined]);
    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '120' }, { Key: 'deletion_protection.enabled', Value: 'true' }] }));
    expect(fixture.dataPlane().last!.loadBalancers.find((l) => l.arn === lb.LoadBalancerArn)!.idleTimeoutSeconds).toBe(120);
    expect((await failure(elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn! })))).name).toBe('OperationNotPermitted');
    // Access logs need S3, which minato does not have: refused, not stored and ignored.
    const refused = await failure(elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Attributes: [{ Key: 'access_logs.s3.enabled', Value: 'true' }] })));
    expect(refused.name).toBe('InvalidConfigurationRequest');
    expect((await failure(elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Attributes: [{ Key: 'no.such.key', Value: '1' }] })))).name).toBe('ValidationError');
    const after = (await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn! }))).Attributes!;
    expect(after).toContainEqual({ Key: 'access_logs.s3.enabled', Value: 'false' });
    const groups = (await elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn!, SecurityGroups: ['sg-0123456789abcdef0'] }))).SecurityGroupIds;
    expect(groups).toEqual(['sg-0123456789abcdef0']);
    const zones = (await elb.send(new SetSubnetsCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Subnets: [SUBNETS[1]!, 'subnet-2a1b2c3d4e5f60718'] }))).AvailabilityZones!;
    expect(zones.map((z) => z.SubnetId)).toEqual([SUBNETS[1], 'subnet-2a1b2c3d4e5f60718']);
    expect((await failure(elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: lb.LoadBalancerArn!, IpAddressType: 'dualstack' })))).name).toBe('InvalidConfigurationRequest');
    expect(await failure(elb.send(new SetSubnetsCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Subnets: SUBNETS, EnablePrefixForIpv6SourceNat: 'on' })))).toEqual({
      name: 'InvalidConfigurationRequest',
      message: 'IPv6 source NAT prefixes are not supported by this endpoint',
    });
    expect((await failure(elb.send(new CreateLoadBalancerCommand({ Name: 'pooled', Subnets: SUBNETS, IpamPools: { Ipv4IpamPoolId: 'ipam-pool-0123456789abcdef0' } })))).name).toBe('InvalidConfigurationRequest');
    expect((await failure(elb.send(new DescribeLoadBalancersCommand({ Names: ['pooled'] })))).name).toBe('LoadBalancerNotFound');
    expect((await failure(elb.send(new CreateTargetGroupCommand({ Name: 'controlled', Protocol: 'HTTP', Port: 8080, VpcId: VPC, TargetType: 'ip', TargetControlPort: 3000 })))).name).toBe('InvalidConfigurationRequest');
    const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '204' } }] }))).Listeners![0]!;
    expect((await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: listener.ListenerArn! }))).Attributes).toEqual([{ Key: 'routing.http.response.server.enabled', Value: 'true' }]);
    expect((await failure(elb.send(new ModifyListenerAttributesCommand({ ListenerArn: listener.ListenerArn!, Attributes: [{ Key: 'routing.http.response.server.enabled', Value: 'false' }] })))).name).toBe('InvalidConfigurationRequest');
    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }] }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn! }));
    expect((await failure(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })))).name).toBe('LoadBalancerNotFound');
  });

  it('serves target groups with health checks, attributes, targets and their health', async () => {
    const tg = await createTg('api', { HealthCheckPath: '/health', Matcher: { HttpCode: '200-299' } });
    expect(tg).toMatchObject({ Protocol: 'HTTP', Port: 8080, HealthCheckProtocol: 'HTTP', HealthCheckPort: 'traffic-port', HealthCheckPath: '/health', Matcher: { HttpCode: '200-299' }, HealthCheckIntervalSeconds: 30, HealthCheckTimeoutSeconds: 5, HealthyThresholdCount: 5, UnhealthyThresholdCount: 2, TargetType: 'ip', ProtocolVersion: 'HTTP1', LoadBalancerArns: [] });
    const modified = (await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn!, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2 }))).TargetGroups![0]!;
    expect(modified).toMatchObject({ HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2, HealthCheckPath: '/health' });
    expect((await failure(elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn!, HealthCheckTimeoutSeconds: 20 })))).name).toBe('ValidationError');

    await elb.send(new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: tg.TargetGroupArn!,
      Attributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: '0' },
        { Key: 'slow_start.duration_seconds', Value: '30' },
        { Key: 'stickiness.enabled', Value: 'true' },
        { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
      ],
    }));
    const attrs = (await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn! }))).Attributes!;
    expect(attrs).toContainEqual({ Key: 'stickiness.type', Value: 'lb_cookie' });
    expect(attrs).toContainEqual({ Key: 'stickiness.lb_cookie.duration_seconds', Value: '86400' });
    expect((await failure(elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn!, Attributes: [{ Key: 'load_balancing.algorithm.type', Value: 'weighted_random' }] })))).name).toBe('InvalidConfigurationRequest');
    expect((await failure(elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn!, Attributes: [{ Key: 'slow_start.duration_seconds', Value: '10' }] })))).name).toBe('InvalidConfigurationRequest');
    const served = fixture.dataPlane().last!.targetGroups.find((g) => g.arn === tg.TargetGroupArn)!;
    expect(served).toMatchObject({ deregistrationDelaySeconds: 0, slowStartSeconds: 30, algorithm: 'least_outstanding_requests', stickiness: { enabled: true, type: 'lb_cookie', durationSeconds: 86400 } });

    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: '10.1.0.5' }, { Id: '10.1.0.6', Port: 9090 }] }));
    expect((await failure(elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: 'i-0123456789abcdef0' }] })))).name).toBe('InvalidTarget');
    // No listener uses the group yet: its targets are unused.
    const unused = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn! }))).TargetHealthDescriptions!;
    expect(unused.map((d) => [d.Target?.Id, d.Target?.Port, d.HealthCheckPort, d.TargetHealth])).toEqual([
      ['10.1.0.5', 8080, '8080', { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' }],
      ['10.1.0.6', 9090, '9090', { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' }],
    ]);
  });

  it('routes listeners and rules to target groups, and reports health through the data plane', async () => {
    const lb = await createLb('shop');
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ Names: ['api'] }))).TargetGroups![0]!;
    const other = await createTg('static');
    const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn! }] }))).Listeners![0]!;
    expect(listener.DefaultActions).toEqual([{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn, ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg.TargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } }]);
    expect((await failure(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] })))).name).toBe('DuplicateListener');
    expect((await failure(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'TCP', Port: 81, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn! }] })))).name).toBe('UnsupportedProtocol');

    await waitUntilTargetInService({ client: elb, maxWaitTime: 10, minDelay: 1 }, { TargetGroupArn: tg.TargetGroupArn! });
    fixture.dataPlane().unhealthy.add('10.1.0.6');
    const health = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn! }))).TargetHealthDescriptions!;
    expect(health.map((d) => d.TargetHealth)).toEqual([{ State: 'healthy' }, { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [500]' }]);
    fixture.dataPlane().unhealthy.clear();
    expect(await failure(elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn!, Include: ['AnomalyDetection'] })))).toEqual({
      name: 'ValidationError',
      message: 'Anomaly detection information (Include) is not supported by this endpoint',
    });
    expect((await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn! }))).TargetGroups!.map((g) => g.TargetGroupName)).toEqual(['api']);
    expect((await failure(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn! })))).name).toBe('ResourceInUse');

    const path = (await elb.send(new CreateRuleCommand({
      ListenerArn: listener.ListenerArn!,
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', Values: ['/static/*'] }, { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET', 'HEAD'] } }],
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: other.TargetGroupArn!, Weight: 3 }, { TargetGroupArn: tg.TargetGroupArn!, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 } } }],
    }))).Rules![0]!;
    expect(path.Priority).toBe('10');
    expect(path.Conditions![0]).toEqual({ Field: 'path-pattern', Values: ['/static/*'], PathPatternConfig: { Values: ['/static/*'] } });
    const host = (await elb.send(new CreateRuleCommand({
      ListenerArn: listener.ListenerArn!,
      Priority: 5,
      Conditions: [
        { Field: 'host-header', HostHeaderConfig: { Values: ['old.example.com'] } },
        { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '1' }] } },
        { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } },
      ],
      Actions: [{ Type: 'redirect', RedirectConfig: { Host: 'new.example.com', StatusCode: 'HTTP_301' } }],
    }))).Rules![0]!;
    expect(host.Actions![0]!.RedirectConfig).toEqual({ Protocol: '#{protocol}', Port: '#{port}', Host: 'new.example.com', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' });
    const header = (await elb.send(new CreateRuleCommand({
      ListenerArn: listener.ListenerArn!,
      Priority: 20,
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['yes'] } }],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'maintenance' } }],
    }))).Rules![0]!;
    expect((await failure(elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn!, Priority: 5, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] })))).name).toBe('PriorityInUse');
    const oidc = await failure(elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn!, Priority: 6, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: [{ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { Issuer: 'https://idp', AuthorizationEndpoint: 'https://idp/a', TokenEndpoint: 'https://idp/t', UserInfoEndpoint: 'https://idp/u', ClientId: 'c' } }, { Type: 'forward', Order: 2, TargetGroupArn: tg.TargetGroupArn! }] })));
    expect(oidc.name).toBe('InvalidLoadBalancerAction');

    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn! }))).Rules!;
    expect(rules.map((r) => [r.Priority, r.IsDefault])).toEqual([['5', false], ['10', false], ['20', false], ['default', true]]);
    const served = fixture.dataPlane().last!.loadBalancers.find((l) => l.arn === lb.LoadBalancerArn)!.listeners[0]!;
    expect(served.rules.map((r) => r.priority)).toEqual([5, 10, 20, 'default']);
    expect(served.rules[1]!.action).toEqual({ type: 'forward', targetGroups: [{ arn: other.TargetGroupArn, weight: 3 }, { arn: tg.TargetGroupArn, weight: 1 }], stickiness: { enabled: true, durationSeconds: 300 } });
    expect(served.rules[0]!.conditions).toEqual([{ field: 'host-header', values: ['old.example.com'] }, { field: 'query-string', values: [{ key: 'v', value: '1' }] }, { field: 'source-ip', values: ['10.0.0.0/8'] }]);

    const swapped = (await elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: host.RuleArn!, Priority: 30 }, { RuleArn: header.RuleArn!, Priority: 5 }] }))).Rules!;
    expect(swapped.map((r) => r.Priority)).toEqual(['30', '5']);
    expect((await failure(elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: host.RuleArn!, Priority: 10 }] })))).name).toBe('PriorityInUse');
    const changed = (await elb.send(new ModifyRuleCommand({ RuleArn: path.RuleArn!, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/assets/*'] } }] }))).Rules![0]!;
    expect(changed.Conditions).toEqual([{ Field: 'path-pattern', Values: ['/assets/*'], PathPatternConfig: { Values: ['/assets/*'] } }]);
    expect((await failure(elb.send(new DeleteRuleCommand({ RuleArn: rules[3]!.RuleArn! })))).name).toBe('OperationNotPermitted');
    await elb.send(new DeleteRuleCommand({ RuleArn: header.RuleArn! }));
    expect((await failure(elb.send(new DescribeRulesCommand({ RuleArns: [header.RuleArn!] })))).name).toBe('RuleNotFound');
    // The second group is used by another load balancer's rule: no second load balancer may use it.
    const lb2 = await createLb('other');
    expect((await failure(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb2.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: other.TargetGroupArn! }] })))).name).toBe('TargetGroupAssociationLimit');
    // Listeners of different load balancers share a port.
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb2.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] }));
  });

  it('drains deregistered targets and lets go of them at once when the delay is 0', async () => {
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ Names: ['api'] }))).TargetGroups![0]!;
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: '10.1.0.6', Port: 9090 }] }));
    await waitUntilTargetDeregistered({ client: elb, maxWaitTime: 10, minDelay: 1 }, { TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: '10.1.0.6', Port: 9090 }] });
    const gone = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: '10.1.0.6', Port: 9090 }] }))).TargetHealthDescriptions!;
    expect(gone[0]!.TargetHealth).toEqual({ State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' });
    expect((await failure(elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: '10.1.0.99' }] })))).name).toBe('InvalidTarget');

    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn!, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3600' }] }));
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: '10.1.0.5' }] }));
    const draining = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn! }))).TargetHealthDescriptions!;
    expect(draining.map((d) => d.TargetHealth)).toEqual([{ State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' }]);
    expect(fixture.dataPlane().last!.targetGroups.find((g) => g.arn === tg.TargetGroupArn)!.targets).toEqual([{ id: '10.1.0.5', address: '10.1.0.5', port: 8080, draining: true }]);
  });

  it('imports certificates for HTTPS listeners, keeps the key sealed, and refuses to delete one in use', async () => {
    const { certificatePem, privateKeyPem } = selfSignedCertificate(fixture.dataDir(), 'shop.example.com');
    const arn = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(certificatePem), PrivateKey: Buffer.from(privateKeyPem), Tags: [{ Key: 'team', Value: 'web' }] }))).CertificateArn!;
    expect(arn).toMatch(/^arn:aws:acm:us-east-1:000000000000:certificate\/[0-9a-f-]{36}$/);
    const detail = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
    expect(detail).toMatchObject({ DomainName: 'shop.example.com', SubjectAlternativeNames: ['shop.example.com', 'www.shop.example.com'], Status: 'ISSUED', Type: 'IMPORTED', KeyAlgorithm: 'RSA_2048', InUseBy: [] });
    expect(detail.NotAfter!.getTime()).toBeGreaterThan(Date.now());
    // The key is at rest only sealed: no line of it is in the database files.
    const keyLine = privateKeyPem.split('\n')[1]!;
    for (const file of readdirSync(fixture.dataDir()).filter((f) => f.startsWith('minato.db'))) {
      expect(readFileSync(join(fixture.dataDir(), file)).includes(keyLine), file).toBe(false);
    }
    const ec = selfSignedCertificate(fixture.dataDir(), 'ec.example.com', 'ec');
    const ecArn = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(ec.certificatePem), PrivateKey: Buffer.from(ec.privateKeyPem) }))).CertificateArn!;
    // ListCertificates shows RSA_2048 certificates unless asked for other key types, as ACM.
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList!.map((c) => c.CertificateArn)).toEqual([arn]);
    expect((await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_prime256v1'] } }))).CertificateSummaryList!.map((c) => c.CertificateArn)).toEqual([ecArn]);
    // The other filters, and sorting, are refused rather than ignored.
    expect(await failure(acm.send(new ListCertificatesCommand({ Includes: { managedBy: 'CLOUDFRONT' } })))).toMatchObject({ name: 'ValidationException', message: 'The parameter Includes.managedBy is not supported by this endpoint.' });
    expect((await failure(acm.send(new ListCertificatesCommand({ SortBy: 'CREATED_AT', SortOrder: 'ASCENDING' })))).name).toBe('ValidationException');
    const mismatched = await failure(acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(certificatePem), PrivateKey: Buffer.from(ec.privateKeyPem) })));
    expect(mismatched.name).toBe('ValidationException');
    expect(mismatched.message).not.toContain('PRIVATE KEY');

    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['shop'] }))).LoadBalancers![0]!;
    const https = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: arn }], DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] }))).Listeners![0]!;
    expect(https).toMatchObject({ Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: arn }], SslPolicy: 'ELBSecurityPolicy-2016-08' });
    const served = fixture.dataPlane().last!.loadBalancers.find((l) => l.arn === lb.LoadBalancerArn)!.listeners.find((l) => l.port === 443)!;
    expect(served.certificates).toEqual([{ arn, certificatePem, privateKeyPem }]);
    expect((await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!.InUseBy).toEqual([lb.LoadBalancerArn]);
    expect(await failure(acm.send(new DeleteCertificateCommand({ CertificateArn: arn })))).toMatchObject({ name: ResourceInUseException.name });
    expect((await failure(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'HTTPS', Port: 8443, Certificates: [{ CertificateArn: arn.replace(/.{4}$/, '0000') }], DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] })))).name).toBe('CertificateNotFound');

    // Back to HTTP: the certificate is free again.
    await elb.send(new ModifyListenerCommand({ ListenerArn: https.ListenerArn!, Protocol: 'HTTP', Port: 8080 }));
    expect((await elb.send(new DescribeListenersCommand({ ListenerArns: [https.ListenerArn!] }))).Listeners![0]).not.toHaveProperty('Certificates');
    await acm.send(new DeleteCertificateCommand({ CertificateArn: ecArn }));
    expect((await failure(acm.send(new DescribeCertificateCommand({ CertificateArn: ecArn })))).name).toBe('ResourceNotFoundException');
    await elb.send(new DeleteListenerCommand({ ListenerArn: https.ListenerArn! }));
  });

  it('tags load balancers, target groups, listeners and rules', async () => {
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['shop'] }))).LoadBalancers![0]!;
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ Names: ['api'] }))).TargetGroups![0]!;
    await elb.send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!], Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'web' }] }));
    await elb.send(new RemoveTagsCommand({ ResourceArns: [tg.TargetGroupArn!], TagKeys: ['team'] }));
    const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!] }))).TagDescriptions!;
    expect(tags).toEqual([
      { ResourceArn: lb.LoadBalancerArn, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'web' }] },
      { ResourceArn: tg.TargetGroupArn, Tags: [{ Key: 'env', Value: 'prod' }] },
    ]);
    expect((await failure(elb.send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })))).name).toBe('DuplicateTagKeys');
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await failure(elb.send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], Tags: many })))).name).toBe('TooManyTags');
  });

  it('answers bad input with ELB errors and stores nothing', async () => {
    const before = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length;
    const beforeGroups = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups!.length;
    for (const name of ['-web', 'web-', 'internal-web', 'a'.repeat(33), 'we_b']) expect((await failure(createLb(name))).name).toBe('ValidationError');
    expect((await failure(createLb('one-subnet', { Subnets: [SUBNETS[0]] }))).name).toBe('ValidationError');
    expect((await failure(createLb('bad-subnet', { Subnets: ['subnet-zz', SUBNETS[0]] }))).name).toBe('InvalidSubnet');
    expect((await failure(createLb('bad-sg', { SecurityGroups: ['sg-nope'] }))).name).toBe('InvalidSecurityGroup');
    expect((await failure(createLb('gw', { Type: 'gateway' }))).name).toBe('InvalidConfigurationRequest');
    expect((await failure(createTg('bad-tg', { Protocol: 'UDP' }))).name).toBe('InvalidConfigurationRequest');
    expect((await failure(createTg('bad-tg', { TargetType: 'lambda' }))).name).toBe('InvalidConfigurationRequest');
    expect((await failure(createTg('bad-tg', { VpcId: undefined }))).name).toBe('ValidationError');
    expect((await failure(createTg('api', { Port: 9999 }))).name).toBe('DuplicateTargetGroupName');
    expect((await failure(elb.send(new DescribeTargetGroupsCommand({ Names: ['missing'] })))).name).toBe('TargetGroupNotFound');
    expect((await failure(elb.send(new DescribeListenersCommand({ ListenerArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/x/0123456789abcdef/0123456789abcdef'] })))).name).toBe('ListenerNotFound');
    expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length).toBe(before);
    expect((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups!.length).toBe(beforeGroups);
  });

  it('keeps everything across a restart, drains included', async () => {
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!;
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ Names: ['api'] }))).TargetGroups![0]!;
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbs.find((l) => l.LoadBalancerName === 'shop')!.LoadBalancerArn! }))).Listeners!;
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listeners[0]!.ListenerArn! }))).Rules!;
    const config = fixture.dataPlane().last;
    await fixture.restart();
    elb.destroy();
    elb = new ElasticLoadBalancingV2Client({ endpoint: fixture.endpoint(), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toEqual(lbs);
    expect((await elb.send(new DescribeTargetGroupsCommand({ Names: ['api'] }))).TargetGroups![0]).toEqual(tg);
    expect((await elb.send(new DescribeRulesCommand({ ListenerArn: listeners[0]!.ListenerArn! }))).Rules).toEqual(rules);
    // The restarted domain applied the same state to its (new) data plane at start.
    expect(fixture.dataPlane().last).toEqual(config);
    const health = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn! }))).TargetHealthDescriptions!;
    expect(health.map((d) => d.TargetHealth?.State)).toEqual(['draining']);
  });
});
