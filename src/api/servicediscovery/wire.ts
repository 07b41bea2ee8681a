import type { DiscoveredInstance } from '../../discovery/instances.js';
import type { NamespaceView } from '../../discovery/namespaces.js';
import type { InstanceRecord, OperationRecord, Tag } from '../../discovery/records.js';
import type { ServiceView } from '../../discovery/services.js';

/** Epoch seconds, as JSON 1.1 carries timestamps. */
export const seconds = (ms: number): number => ms / 1000;

/** Tags of a request (the model requires Key and Value). */
export const tagsIn = (tags: ReadonlyArray<{ Key: string; Value: string }> | undefined): Tag[] =>
  (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));

/** The Properties Cloud Map shows: DNS ones for a private namespace, the HTTP name for both. */
function propertiesOut(ns: NamespaceView) {
  return {
    ...(ns.type === 'DNS_PRIVATE' && { DnsProperties: { HostedZoneId: ns.hostedZoneId, SOA: { TTL: ns.soaTtl } } }),
    HttpProperties: { HttpName: ns.name },
  };
}

/** A NamespaceSummary of ListNamespaces. */
export function namespaceSummaryOut(ns: NamespaceView) {
  return {
    Id: ns.id,
    Arn: ns.arn,
    ResourceOwner: ns.accountId,
    Name: ns.name,
    Type: ns.type,
    ...(ns.description !== undefined && { Description: ns.description }),
    ServiceCount: ns.serviceCount,
    Properties: propertiesOut(ns),
    CreateDate: seconds(ns.createDate),
  };
}

/** GetNamespace's Namespace. */
export function namespaceOut(ns: NamespaceView) {
  return { ...namespaceSummaryOut(ns), ...(ns.creatorRequestId !== undefined && { CreatorRequestId: ns.creatorRequestId }) };
}

/** A ServiceSummary of ListServices. */
export function serviceSummaryOut(s: ServiceView) {
  return {
    Id: s.id,
    Arn: s.arn,
    ResourceOwner: s.accountId,
    Name: s.name,
    Type: s.type,
    ...(s.description !== undefined && { Description: s.description }),
    InstanceCount: s.instanceCount,
    ...(s.dnsConfig && {
      DnsConfig: { RoutingPolicy: s.dnsConfig.routingPolicy, DnsRecords: s.dnsConfig.records.map((r) => ({ Type: r.type, TTL: r.ttl })) },
    }),
    ...(s.customHealth && { HealthCheckCustomConfig: { ...(s.customHealth.failureThreshold !== undefined && { FailureThreshold: s.customHealth.failureThreshold }) } }),
    CreateDate: seconds(s.createDate),
    CreatedByAccount: s.accountId,
  };
}

/** CreateService's and GetService's Service. */
export function serviceOut(s: ServiceView) {
  const summary = serviceSummaryOut(s);
  return {
    ...summary,
    NamespaceId: s.namespaceId,
    ...(summary.DnsConfig && { DnsConfig: { NamespaceId: s.namespaceId, ...summary.DnsConfig } }),
    ...(s.creatorRequestId !== undefined && { CreatorRequestId: s.creatorRequestId }),
  };
}

/** GetInstance's Instance. */
export function instanceOut(i: InstanceRecord) {
  return { Id: i.id, ...(i.creatorRequestId !== undefined && { CreatorRequestId: i.creatorRequestId }), Attributes: i.attributes, CreatedByAccount: i.accountId };
}

/** An InstanceSummary of ListInstances. */
export function instanceSummaryOut(i: InstanceRecord) {
  return { Id: i.id, Attributes: i.attributes, CreatedByAccount: i.accountId };
}

/** An HttpInstanceSummary of DiscoverInstances. */
export function discoveredOut(i: DiscoveredInstance) {
  return { InstanceId: i.instanceId, NamespaceName: i.namespaceName, ServiceName: i.serviceName, HealthStatus: i.healthStatus, Attributes: i.attributes };
}

/** GetOperation's Operation. */
export function operationOut(op: OperationRecord) {
  return {
    Id: op.id,
    OwnerAccount: op.accountId,
    Type: op.type,
    Status: op.status,
    CreateDate: seconds(op.createDate),
    UpdateDate: seconds(op.updateDate),
    Targets: op.targets,
  };
}
