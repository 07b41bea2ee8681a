import { DomainError, ErrorKind } from '../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { DiscoverySubject, invalidInput, namespaceNotFound, resourceInUse, serviceNotFound } from './errors.js';
import { idOf, servicesOf } from './namespaces.js';
import type { Operations } from './operations.js';
import {
  Collections,
  newServiceId,
  regionKey,
  serviceArn,
  type DnsConfigRecord,
  type InstanceRecord,
  type NamespaceRecord,
  type ServiceRecord,
  type Tag,
} from './records.js';
import { dnsConfigOf } from './rules.js';
import { dropTags, putTags } from './tagging.js';

/** A DnsConfig as the request carries it. */
export interface DnsConfigInput {
  NamespaceId?: string;
  RoutingPolicy?: string;
  DnsRecords?: ReadonlyArray<{ Type?: string; TTL?: number }>;
}

export interface ServiceInput {
  name: string;
  namespaceId?: string;
  description?: string;
  dnsConfig?: DnsConfigInput;
  /** Route 53 health checks: refused (AWS refuses them in private namespaces; minato runs none). */
  healthCheckConfig?: unknown;
  healthCheckCustomConfig?: { FailureThreshold?: number };
  type?: 'HTTP';
  creatorRequestId?: string;
  tags?: readonly Tag[];
}

/** A service and its instance count, as GetService and ListServices show it. */
export interface ServiceView extends ServiceRecord {
  instanceCount: number;
}

/** A ListServices filter as the request carries it. */
export interface ServiceFilter {
  Name: 'NAMESPACE_ID' | 'RESOURCE_OWNER';
  Values: readonly string[];
  Condition?: 'EQ' | 'IN' | 'BETWEEN' | 'BEGINS_WITH';
}

/** Cloud Map's services: a name in a namespace, with the DNS records its instances get. */
export class Services {
  constructor(
    private readonly store: Store,
    private readonly operations: Operations,
  ) {}

  async create(scope: Scope, input: ServiceInput): Promise<ServiceView> {
    const namespaceRef = input.namespaceId ?? input.dnsConfig?.NamespaceId;
    if (namespaceRef === undefined) throw invalidInput('NamespaceId is required.');
    const namespaceId = idOf(namespaceRef, 'namespace');
    if (input.dnsConfig?.NamespaceId !== undefined && input.namespaceId !== undefined && idOf(input.dnsConfig.NamespaceId, 'namespace') !== namespaceId) {
      throw invalidInput('DnsConfig.NamespaceId and NamespaceId name different namespaces.');
    }
    if (input.healthCheckConfig !== undefined && input.healthCheckCustomConfig !== undefined) {
      throw invalidInput('HealthCheckConfig and HealthCheckCustomConfig cannot both be specified.');
    }
    if (input.type === 'HTTP' && input.dnsConfig !== undefined) throw invalidInput('A service of type HTTP has no DnsConfig.');
    const dnsConfig = input.dnsConfig === undefined ? undefined : dnsConfigOf(input.dnsConfig);
    const name = input.name;
    return this.store.transaction(async (tx) => {
      const ns = await tx.collection<NamespaceRecord>(Collections.namespaces).get(regionKey(scope.region, namespaceId));
      if (!ns) throw namespaceNotFound(namespaceRef);
      if (input.healthCheckConfig !== undefined) {
        throw invalidInput(
          ns.type === 'DNS_PRIVATE'
            ? 'HealthCheckConfig is not supported for private DNS namespaces; use HealthCheckCustomConfig.'
            : 'HealthCheckConfig (Route 53 health checks) is not supported; use HealthCheckCustomConfig.',
        );
      }
      if (ns.type === 'HTTP' && dnsConfig) throw invalidInput('A service in an HTTP namespace cannot have a DnsConfig.');
      const clash = (await servicesOf(tx, scope.region, namespaceId)).find((s) => s.name === name);
      if (clash) {
        throw new DomainError(ErrorKind.AlreadyExists, `Service ${name} already exists in namespace ${namespaceId}.`, DiscoverySubject.ServiceExists, {
          ServiceId: clash.id,
          ServiceArn: clash.arn,
          ...(clash.creatorRequestId !== undefined && { CreatorRequestId: clash.creatorRequestId }),
        });
      }
      const id = newServiceId();
      const record: ServiceRecord = {
        id,
        arn: serviceArn(scope.region, scope.accountId, id),
        accountId: scope.accountId,
        region: scope.region,
        name,
        namespaceId,
        type: dnsConfig ? 'DNS_HTTP' : 'HTTP',
        ...(input.description !== undefined && { description: input.description }),
        ...(dnsConfig && { dnsConfig }),
        ...(input.healthCheckCustomConfig !== undefined && {
          customHealth: input.healthCheckCustomConfig.FailureThreshold === undefined ? {} : { failureThreshold: input.healthCheckCustomConfig.FailureThreshold },
        }),
        ...(input.creatorRequestId !== undefined && { creatorRequestId: input.creatorRequestId }),
        createDate: scope.now.getTime(),
        revision: 1,
      };
      await tx.collection<ServiceRecord>(Collections.services).put(regionKey(scope.region, id), record);
      if (input.tags && input.tags.length > 0) await putTags(tx, record.arn, input.tags);
      return { ...record, instanceCount: 0 };
    });
  }

  async get(scope: Scope, idOrArn: string): Promise<ServiceView> {
    return this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, idOrArn);
      return { ...service, instanceCount: (await instancesOf(tx, scope.region, service.id)).length };
    });
  }

  async list(scope: Scope, filters: readonly ServiceFilter[], max: number, nextToken?: string): Promise<Page<ServiceView>> {
    const matches = filters.map(servicePredicate);
    const listing = `sd-services/${scope.region}`;
    const after = decodeToken(listing, nextToken);
    return this.store.transaction(async (tx) => {
      const rows = await tx.collection<ServiceRecord>(Collections.services).list({ prefix: `${scope.region}/`, ...(after !== undefined && { after }) });
      const found = rows.filter((r) => matches.every((m) => m(r.value))).slice(0, max + 1);
      const views = await Promise.all(
        found.map(async (r) => ({ key: r.key, value: { ...r.value, instanceCount: (await instancesOf(tx, scope.region, r.value.id)).length } })),
      );
      return pageOf(listing, views, max);
    });
  }

  /**
   * UpdateService: the description and the records' TTLs. The record types stay (Cloud Map keeps
   * the routing policy and types); a HealthCheckConfig is refused as at creation.
   */
  async update(scope: Scope, idOrArn: string, change: { description?: string; dnsRecords?: ReadonlyArray<{ Type?: string; TTL?: number }>; healthCheckConfig?: unknown }): Promise<string> {
    if (change.healthCheckConfig !== undefined) throw invalidInput('HealthCheckConfig (Route 53 health checks) is not supported; use HealthCheckCustomConfig.');
    return this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, idOrArn);
      let dnsConfig: DnsConfigRecord | undefined = service.dnsConfig;
      if (change.dnsRecords !== undefined) {
        if (!service.dnsConfig) throw invalidInput(`Service ${service.id} has no DnsConfig.`);
        const next = dnsConfigOf({ RoutingPolicy: service.dnsConfig.routingPolicy, DnsRecords: change.dnsRecords });
        const types = (c: DnsConfigRecord): string => c.records.map((r) => r.type).sort().join(',');
        if (types(next) !== types(service.dnsConfig)) throw invalidInput('UpdateService cannot change the types of a service\'s DNS records.');
        dnsConfig = next;
      }
      await tx.collection<ServiceRecord>(Collections.services).put(regionKey(scope.region, service.id), {
        ...service,
        ...(change.description !== undefined && { description: change.description }),
        ...(dnsConfig && { dnsConfig }),
      });
      return this.operations.record(tx, scope, 'UPDATE_SERVICE', { SERVICE: service.id });
    });
  }

  /** DeleteService: ResourceInUse while instances are registered. */
  async delete(scope: Scope, idOrArn: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, idOrArn);
      if ((await instancesOf(tx, scope.region, service.id)).length > 0) throw resourceInUse(`Service ${service.id} has registered instances.`);
      await tx.collection<ServiceRecord>(Collections.services).delete(regionKey(scope.region, service.id));
      await dropTags(tx, service.arn);
    });
  }
}

/** The service named by id or ARN in the caller's region, or ServiceNotFound. */
export async function requireService(tx: Transaction, scope: Scope, idOrArn: string): Promise<ServiceRecord> {
  const id = idOf(idOrArn, 'service');
  const service = await tx.collection<ServiceRecord>(Collections.services).get(regionKey(scope.region, id));
  if (!service) throw serviceNotFound(idOrArn);
  return service;
}

/** The instances of a service, in id order. */
export async function instancesOf(tx: Transaction, region: string, serviceId: string): Promise<InstanceRecord[]> {
  return (await tx.collection<InstanceRecord>(Collections.instances).list({ prefix: `${region}/${serviceId}/` })).map((r) => r.value);
}

/** One ListServices filter as a predicate: NAMESPACE_ID takes EQ or IN. */
export function servicePredicate(f: ServiceFilter): (s: ServiceRecord) => boolean {
  const condition = f.Condition ?? 'EQ';
  if (condition !== 'EQ' && !(condition === 'IN' && f.Name === 'NAMESPACE_ID')) throw invalidInput(`The ${f.Name} filter does not take the ${condition} condition.`);
  if (condition === 'EQ' && f.Values.length !== 1) throw invalidInput('The EQ condition takes exactly one value.');
  if (f.Name === 'RESOURCE_OWNER') return () => f.Values.includes('SELF');
  const values = new Set(f.Values.map((v) => idOf(v, 'namespace')));
  return (s) => values.has(s.namespaceId);
}
