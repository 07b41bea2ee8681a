import type { ElbDomain } from '../../elb/elb-domain.js';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import type { Tag, WireAction, WireCondition } from '../../elb/records.js';
import type { OperationHandler } from '../../server/service.js';
import { attributesOut, listenerOut, loadBalancerOut, ruleOut, targetGroupOut, targetHealthOut } from './views.js';

/** The request shapes as validated against the model (only the members minato reads). */
interface Paging {
  Marker?: string;
  PageSize?: number;
}
interface WireTarget {
  Id: string;
  Port?: number;
  AvailabilityZone?: string;
}
interface WireHealthCheck {
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  HealthyThresholdCount?: number;
  UnhealthyThresholdCount?: number;
  Matcher?: { HttpCode?: string; GrpcCode?: string };
}
interface WireListener {
  Port?: number;
  Protocol?: string;
  SslPolicy?: string;
  Certificates?: Array<{ CertificateArn?: string }>;
  DefaultActions?: WireAction[];
  AlpnPolicy?: string[];
  MutualAuthentication?: { Mode?: string };
  Tags?: Tag[];
}

const healthCheckOf = (i: WireHealthCheck) => ({
  ...(i.HealthCheckEnabled !== undefined && { enabled: i.HealthCheckEnabled }),
  ...(i.HealthCheckProtocol !== undefined && { protocol: i.HealthCheckProtocol }),
  ...(i.HealthCheckPort !== undefined && { port: i.HealthCheckPort }),
  ...(i.HealthCheckPath !== undefined && { path: i.HealthCheckPath }),
  ...(i.HealthCheckIntervalSeconds !== undefined && { intervalSeconds: i.HealthCheckIntervalSeconds }),
  ...(i.HealthCheckTimeoutSeconds !== undefined && { timeoutSeconds: i.HealthCheckTimeoutSeconds }),
  ...(i.HealthyThresholdCount !== undefined && { healthyThreshold: i.HealthyThresholdCount }),
  ...(i.UnhealthyThresholdCount !== undefined && { unhealthyThreshold: i.UnhealthyThresholdCount }),
  ...(i.Matcher !== undefined && { matcher: i.Matcher }),
});

const listenerInputOf = (i: WireListener) => ({
  ...(i.Port !== undefined && { port: i.Port }),
  ...(i.Protocol !== undefined && { protocol: i.Protocol }),
  ...(i.SslPolicy !== undefined && { sslPolicy: i.SslPolicy }),
  ...(i.Certificates !== undefined && { certificates: i.Certificates }),
  ...(i.DefaultActions !== undefined && { defaultActions: i.DefaultActions }),
  ...(i.AlpnPolicy !== undefined && { alpnPolicy: i.AlpnPolicy }),
  ...(i.MutualAuthentication !== undefined && { mutualAuthentication: i.MutualAuthentication }),
  ...(i.Tags !== undefined && { tags: i.Tags }),
});

const targetsOf = (targets: WireTarget[] | undefined) =>
  (targets ?? []).map((t) => ({ id: t.Id, ...(t.Port !== undefined && { port: t.Port }), ...(t.AvailabilityZone !== undefined && { availabilityZone: t.AvailabilityZone }) }));

const paging = (i: Paging) => ({ ...(i.Marker !== undefined && { marker: i.Marker }), ...(i.PageSize !== undefined && { pageSize: i.PageSize }) });
const next = (marker: string | undefined) => (marker !== undefined ? { NextMarker: marker } : {});

/** ELBv2's operations over the ELB domain. */
export function elbv2Handlers(elb: ElbDomain): Record<string, OperationHandler> {
  return {
    async CreateLoadBalancer(input: { Name: string; Subnets?: string[]; SubnetMappings?: Array<{ SubnetId?: string }>; SecurityGroups?: string[]; Scheme?: string; Type?: string; IpAddressType?: string; CustomerOwnedIpv4Pool?: string; Tags?: Tag[] } & Ipv6Extras, ctx) {
      refuseIpv6Extras(input);
      const lb = await elb.loadBalancers.create(ctx.scope, {
        name: input.Name,
        ...(input.Type !== undefined && { type: input.Type }),
        ...(input.Scheme !== undefined && { scheme: input.Scheme }),
        ...(input.Subnets !== undefined && { subnets: input.Subnets }),
        ...(input.SubnetMappings !== undefined && { subnetMappings: input.SubnetMappings }),
        ...(input.SecurityGroups !== undefined && { securityGroups: input.SecurityGroups }),
        ...(input.IpAddressType !== undefined && { ipAddressType: input.IpAddressType }),
        ...(input.CustomerOwnedIpv4Pool !== undefined && { customerOwnedIpv4Pool: input.CustomerOwnedIpv4Pool }),
        ...(input.Tags !== undefined && { tags: input.Tags }),
      });
      return { LoadBalancers: [loadBalancerOut(lb)] };
    },
    async DescribeLoadBalancers(input: Paging & { LoadBalancerArns?: string[]; Names?: string[] }, ctx) {
      const page = await elb.loadBalancers.describe(ctx.scope, { ...(input.LoadBalancerArns && { arns: input.LoadBalancerArns }), ...(input.Names && { names: input.Names }), ...paging(input) });
      return { LoadBalancers: page.items.map(loadBalancerOut), ...next(page.nextMarker) };
    },
    async DeleteLoadBalancer(input: { LoadBalancerArn: string }, ctx) {
      await elb.loadBalancers.delete(ctx.scope, input.LoadBalancerArn);
      return {};
    },
    async SetSubnets(input: { LoadBalancerArn: string; Subnets?: string[]; SubnetMappings?: Array<{ SubnetId?: string }>; IpAddressType?: string } & Ipv6Extras, ctx) {
      refuseIpv6Extras(input);
      const lb = await elb.loadBalancers.setSubnets(ctx.scope, input.LoadBalancerArn, {
        ...(input.Subnets !== undefined && { subnets: input.Subnets }),
        ...(input.SubnetMappings !== undefined && { subnetMappings: input.SubnetMappings }),
        ...(input.IpAddressType !== undefined && { ipAddressType: input.IpAddressType }),
      });
      const out = loadBalancerOut(lb);
      return { AvailabilityZones: out.AvailabilityZones, IpAddressType: out.IpAddressType };
    },
    async SetSecurityGroups(input: { LoadBalancerArn: string; SecurityGroups: string[]; EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic?: string }, ctx) {
      if (input.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic !== undefined) {
        throw new DomainError(ErrorKind.InvalidArgument, 'PrivateLink traffic rules are not supported by this endpoint', 'configuration');
      }
      return { SecurityGroupIds: await elb.loadBalancers.setSecurityGroups(ctx.scope, input.LoadBalancerArn, input.SecurityGroups) };
    },
    async SetIpAddressType(input: { LoadBalancerArn: string; IpAddressType: string }, ctx) {
      return { IpAddressType: await elb.loadBalancers.setIpAddressType(ctx.scope, input.LoadBalancerArn, input.IpAddressType) };
    },
    async DescribeLoadBalancerAttributes(input: { LoadBalancerArn: string }, ctx) {
      return { Attributes: attributesOut(await elb.loadBalancers.attributes(ctx.scope, input.LoadBalancerArn)) };
    },
    // No load balancer has reserved capacity here (ModifyCapacityReservation is not served):
    // the answer for one without a reservation, which Terraform's aws_lb reads.
    async DescribeCapacityReservation(input: { LoadBalancerArn: string }, ctx) {
      await elb.loadBalancers.attributes(ctx.scope, input.LoadBalancerArn);
      return { CapacityReservationState: [] };
    },
    async ModifyLoadBalancerAttributes(input: { LoadBalancerArn: string; Attributes: Array<{ Key?: string; Value?: string }> }, ctx) {
      return { Attributes: attributesOut(await elb.loadBalancers.modifyAttributes(ctx.scope, input.LoadBalancerArn, input.Attributes)) };
    },

    async CreateTargetGroup(input: WireHealthCheck & { Name: string; Protocol?: string; ProtocolVersion?: string; Port?: number; VpcId?: string; TargetType?: string; IpAddressType?: string; Tags?: Tag[]; TargetControlPort?: number }, ctx) {
      if (input.TargetControlPort !== undefined) throw new DomainError(ErrorKind.InvalidArgument, 'Target control agents (TargetControlPort) are not supported by this endpoint', 'configuration');
      const tg = await elb.targetGroups.create(ctx.scope, {
        name: input.Name,
        ...(input.Protocol !== undefined && { protocol: input.Protocol }),
        ...(input.ProtocolVersion !== undefined && { protocolVersion: input.ProtocolVersion }),
        ...(input.Port !== undefined && { port: input.Port }),
        ...(input.VpcId !== undefined && { vpcId: input.VpcId }),
        ...(input.TargetType !== undefined && { targetType: input.TargetType }),
        ...(input.IpAddressType !== undefined && { ipAddressType: input.IpAddressType }),
        healthCheck: healthCheckOf(input),
        ...(input.Tags !== undefined && { tags: input.Tags }),
      });
      return { TargetGroups: [targetGroupOut(tg)] };
    },
    async DescribeTargetGroups(input: Paging & { LoadBalancerArn?: string; TargetGroupArns?: string[]; Names?: string[] }, ctx) {
      const page = await elb.targetGroups.describe(ctx.scope, {
        ...(input.LoadBalancerArn !== undefined && { loadBalancerArn: input.LoadBalancerArn }),
        ...(input.TargetGroupArns && { arns: input.TargetGroupArns }),
        ...(input.Names && { names: input.Names }),
        ...paging(input),
      });
      return { TargetGroups: page.items.map(targetGroupOut), ...next(page.nextMarker) };
    },
    async ModifyTargetGroup(input: WireHealthCheck & { TargetGroupArn: string }, ctx) {
      return { TargetGroups: [targetGroupOut(await elb.targetGroups.modify(ctx.scope, input.TargetGroupArn, healthCheckOf(input)))] };
    },
    async DeleteTargetGroup(input: { TargetGroupArn: string }, ctx) {
      await elb.targetGroups.delete(ctx.scope, input.TargetGroupArn);
      return {};
    },
    async DescribeTargetGroupAttributes(input: { TargetGroupArn: string }, ctx) {
      return { Attributes: attributesOut(await elb.targetGroups.attributes(ctx.scope, input.TargetGroupArn)) };
    },
    async ModifyTargetGroupAttributes(input: { TargetGroupArn: string; Attributes: Array<{ Key?: string; Value?: string }> }, ctx) {
      return { Attributes: attributesOut(await elb.targetGroups.modifyAttributes(ctx.scope, input.TargetGroupArn, input.Attributes)) };
    },
    async RegisterTargets(input: { TargetGroupArn: string; Targets: WireTarget[] }, ctx) {
      await elb.targetGroups.register(ctx.scope, input.TargetGroupArn, targetsOf(input.Targets));
      return {};
    },
    async DeregisterTargets(input: { TargetGroupArn: string; Targets: WireTarget[] }, ctx) {
      await elb.targetGroups.deregister(ctx.scope, input.TargetGroupArn, targetsOf(input.Targets));
      return {};
    },
    async DescribeTargetHealth(input: { TargetGroupArn: string; Targets?: WireTarget[]; Include?: string[] }, ctx) {
      // Anomaly detection (automatic target weights) is not done here: refused rather than reported as normal.
      if (input.Include !== undefined && input.Include.length > 0) {
        throw new DomainError(ErrorKind.InvalidArgument, 'Anomaly detection information (Include) is not supported by this endpoint');
      }
      const entries = await elb.targetGroups.health(ctx.scope, input.TargetGroupArn, targetsOf(input.Targets));
      return { TargetHealthDescriptions: entries.map(targetHealthOut) };
    },

    async CreateListener(input: WireListener & { LoadBalancerArn: string }, ctx) {
      return { Listeners: [listenerOut(await elb.listeners.create(ctx.scope, input.LoadBalancerArn, listenerInputOf(input)))] };
    },
    async DescribeListeners(input: Paging & { LoadBalancerArn?: string; ListenerArns?: string[] }, ctx) {
      const page = await elb.listeners.describe(ctx.scope, { ...(input.LoadBalancerArn !== undefined && { loadBalancerArn: input.LoadBalancerArn }), ...(input.ListenerArns && { arns: input.ListenerArns }), ...paging(input) });
      return { Listeners: page.items.map(listenerOut), ...next(page.nextMarker) };
    },
    async ModifyListener(input: WireListener & { ListenerArn: string }, ctx) {
      return { Listeners: [listenerOut(await elb.listeners.modify(ctx.scope, input.ListenerArn, listenerInputOf(input)))] };
    },
    async DeleteListener(input: { ListenerArn: string }, ctx) {
      await elb.listeners.delete(ctx.scope, input.ListenerArn);
      return {};
    },
    async DescribeListenerAttributes(input: { ListenerArn: string }, ctx) {
      return { Attributes: attributesOut(await elb.listeners.attributes(ctx.scope, input.ListenerArn)) };
    },
    async ModifyListenerAttributes(input: { ListenerArn: string; Attributes: Array<{ Key?: string; Value?: string }> }, ctx) {
      return { Attributes: attributesOut(await elb.listeners.modifyAttributes(ctx.scope, input.ListenerArn, input.Attributes)) };
    },
    async AddListenerCertificates(input: { ListenerArn: string; Certificates: Array<{ CertificateArn?: string }> }, ctx) {
      const added = await elb.listeners.addCertificates(ctx.scope, input.ListenerArn, input.Certificates);
      return { Certificates: added.map((c) => ({ CertificateArn: c.arn, IsDefault: c.isDefault })) };
    },
    async RemoveListenerCertificates(input: { ListenerArn: string; Certificates: Array<{ CertificateArn?: string }> }, ctx) {
      await elb.listeners.removeCertificates(ctx.scope, input.ListenerArn, input.Certificates);
      return {};
    },
    async DescribeListenerCertificates(input: Paging & { ListenerArn: string }, ctx) {
      const certs = await elb.listeners.certificates(ctx.scope, input.ListenerArn);
      return { Certificates: certs.map((c) => ({ CertificateArn: c.arn, IsDefault: c.isDefault })) };
    },

    async CreateRule(input: { ListenerArn: string; Conditions: WireCondition[]; Priority: number; Actions: WireAction[]; Tags?: Tag[]; Transforms?: unknown[] }, ctx) {
      if (input.Transforms?.length) throw unsupportedTransforms();
      const rule = await elb.rules.create(ctx.scope, { listenerArn: input.ListenerArn, conditions: input.Conditions, priority: input.Priority, actions: input.Actions, ...(input.Tags !== undefined && { tags: input.Tags }) });
      return { Rules: [ruleOut(rule)] };
    },
    async DescribeRules(input: Paging & { ListenerArn?: string; RuleArns?: string[] }, ctx) {
      const page = await elb.rules.describe(ctx.scope, { ...(input.ListenerArn !== undefined && { listenerArn: input.ListenerArn }), ...(input.RuleArns && { arns: input.RuleArns }), ...paging(input) });
      return { Rules: page.items.map(ruleOut), ...next(page.nextMarker) };
    },
    async ModifyRule(input: { RuleArn: string; Conditions?: WireCondition[]; Actions?: WireAction[]; Transforms?: unknown[] }, ctx) {
      if (input.Transforms?.length) throw unsupportedTransforms();
      const rule = await elb.rules.modify(ctx.scope, input.RuleArn, { ...(input.Conditions !== undefined && { conditions: input.Conditions }), ...(input.Actions !== undefined && { actions: input.Actions }) });
      return { Rules: [ruleOut(rule)] };
    },
    async DeleteRule(input: { RuleArn: string }, ctx) {
      await elb.rules.delete(ctx.scope, input.RuleArn);
      return {};
    },
    async SetRulePriorities(input: { RulePriorities: Array<{ RuleArn?: string; Priority?: number }> }, ctx) {
      const rules = await elb.rules.setPriorities(ctx.scope, input.RulePriorities.map((p) => ({ ruleArn: p.RuleArn ?? '', priority: p.Priority ?? 0 })));
      return { Rules: rules.map(ruleOut) };
    },

    async AddTags(input: { ResourceArns: string[]; Tags: Tag[] }, ctx) {
      await elb.tags.add(ctx.scope, input.ResourceArns, input.Tags);
      return {};
    },
    async RemoveTags(input: { ResourceArns: string[]; TagKeys: string[] }, ctx) {
      await elb.tags.remove(ctx.scope, input.ResourceArns, input.TagKeys);
      return {};
    },
    async DescribeTags(input: { ResourceArns: string[] }, ctx) {
      const found = await elb.tags.describe(ctx.scope, input.ResourceArns);
      return { TagDescriptions: found.map((d) => ({ ResourceArn: d.arn, Tags: d.tags })) };
    },
    async DescribeAccountLimits() {
      return { Limits: elb.limits().map((l) => ({ Name: l.name, Max: String(l.max) })) };
    },
  };
}

/** Members of IPv6 source NAT and IPAM-assigned addresses, which this endpoint does not serve. */
interface Ipv6Extras {
  EnablePrefixForIpv6SourceNat?: string;
  IpamPools?: unknown;
}

function refuseIpv6Extras(input: Ipv6Extras): void {
  if (input.EnablePrefixForIpv6SourceNat === 'on') throw new DomainError(ErrorKind.InvalidArgument, 'IPv6 source NAT prefixes are not supported by this endpoint', 'configuration');
  if (input.IpamPools !== undefined) throw new DomainError(ErrorKind.InvalidArgument, 'IPAM pools are not supported by this endpoint', 'configuration');
}

const unsupportedTransforms = () => new DomainError(ErrorKind.InvalidArgument, 'Rule transforms are not supported by this endpoint', 'configuration');
