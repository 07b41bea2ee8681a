import type { ListenerRecord, LoadBalancerRecord } from '../../elb/records.js';
import type { RuleView } from '../../elb/rules.js';
import type { TargetGroupView, TargetHealthEntry } from '../../elb/target-groups.js';
import { canonicalHostedZoneId } from '../../elb/names.js';

/** The records in ELB's output shapes (timestamps as epoch seconds, as the protocol writers take them). */

export const loadBalancerOut = (lb: LoadBalancerRecord) => ({
  LoadBalancerArn: lb.arn,
  DNSName: lb.dnsName,
  CanonicalHostedZoneId: canonicalHostedZoneId(lb.type),
  CreatedTime: lb.createdTime / 1000,
  LoadBalancerName: lb.name,
  Scheme: lb.scheme,
  VpcId: lb.vpcId,
  State: { Code: lb.state },
  Type: lb.type,
  AvailabilityZones: lb.zones.map((z) => ({ ZoneName: z.zoneName, ...(z.subnetId !== undefined && { SubnetId: z.subnetId }), LoadBalancerAddresses: [] })),
  ...(lb.securityGroups.length > 0 && { SecurityGroups: lb.securityGroups }),
  IpAddressType: lb.ipAddressType,
});

export const targetGroupOut = (tg: TargetGroupView) => ({
  TargetGroupArn: tg.arn,
  TargetGroupName: tg.name,
  Protocol: tg.protocol,
  Port: tg.port,
  VpcId: tg.vpcId,
  HealthCheckProtocol: tg.healthCheck.protocol,
  HealthCheckPort: tg.healthCheck.port,
  HealthCheckEnabled: tg.healthCheck.enabled,
  HealthCheckIntervalSeconds: tg.healthCheck.intervalSeconds,
  HealthCheckTimeoutSeconds: tg.healthCheck.timeoutSeconds,
  HealthyThresholdCount: tg.healthCheck.healthyThreshold,
  UnhealthyThresholdCount: tg.healthCheck.unhealthyThreshold,
  ...(tg.healthCheck.path !== undefined && { HealthCheckPath: tg.healthCheck.path }),
  ...(tg.healthCheck.matcher !== undefined && { Matcher: tg.protocolVersion === 'GRPC' ? { GrpcCode: tg.healthCheck.matcher } : { HttpCode: tg.healthCheck.matcher } }),
  LoadBalancerArns: tg.loadBalancerArns,
  TargetType: tg.targetType,
  ...(tg.protocolVersion !== undefined && { ProtocolVersion: tg.protocolVersion }),
  IpAddressType: tg.ipAddressType,
});

export const listenerOut = (l: ListenerRecord) => ({
  ListenerArn: l.arn,
  LoadBalancerArn: l.loadBalancerArn,
  Port: l.port,
  Protocol: l.protocol,
  ...(l.certificates.length > 0 && { Certificates: l.certificates.filter((c) => c.isDefault).map((c) => ({ CertificateArn: c.arn })) }),
  ...(l.sslPolicy !== undefined && { SslPolicy: l.sslPolicy }),
  DefaultActions: l.defaultActions,
  ...(l.alpnPolicy !== undefined && { AlpnPolicy: l.alpnPolicy }),
});

export const ruleOut = (r: RuleView) => ({
  RuleArn: r.arn,
  Priority: String(r.priority),
  Conditions: r.conditions,
  Actions: r.actions,
  IsDefault: r.isDefault,
});

export const targetHealthOut = (t: TargetHealthEntry) => ({
  Target: { Id: t.id, Port: t.port, ...(t.availabilityZone !== undefined && { AvailabilityZone: t.availabilityZone }) },
  HealthCheckPort: t.healthCheckPort,
  TargetHealth: { State: t.health.state, ...(t.health.reason !== undefined && { Reason: t.health.reason }), ...(t.health.description !== undefined && { Description: t.health.description }) },
});

export const attributesOut = (attributes: Record<string, string>) => Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
