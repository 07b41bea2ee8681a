import { DomainError, ErrorKind } from '../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { DiscoverySubject, instanceNotFound, namespaceNotFound, serviceNotFound } from './errors.js';
import { earlierRequest, fingerprintOf, type CreatorRequest } from './namespaces.js';
import type { Operations } from './operations.js';
import { Collections, instanceKey, regionKey, type HealthStatus, type InstanceRecord, type NamespaceRecord, type ServiceRecord } from './records.js';
import { checkInstanceAttributes, ReservedAttribute } from './rules.js';
import { instancesOf, requireService } from './services.js';

/** An instance as DiscoverInstances shows it. */
export interface DiscoveredInstance {
  instanceId: string;
  namespaceName: string;
  serviceName: string;
  healthStatus: HealthStatus;
  attributes: Record<string, string>;
}

export interface DiscoverRequest {
  namespaceName: string;
  serviceName: string;
  maxResults?: number;
  queryParameters?: Readonly<Record<string, string>>;
  optionalParameters?: Readonly<Record<string, string>>;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'ALL' | 'HEALTHY_OR_ELSE_ALL';
}

/**
 * An instance's health: its custom status where the service has a custom health check, else
 * HEALTHY (a service without a health check routes to every instance).
 */
export function healthOf(service: ServiceRecord, instance: InstanceRecord): 'HEALTHY' | 'UNHEALTHY' {
  return service.customHealth ? (instance.health ?? 'HEALTHY') : 'HEALTHY';
}

/**
 * DiscoverInstances' selection, pure: QueryParameters must all match; OptionalParameters narrow
 * the result only when some instance matches them all; then the health filter (ignored, as on
 * AWS, for a service without a health check) and the count. AWS returns a random subset when
 * more match; minato returns the first by id, so answers are stable.
 */
export function selectInstances(
  service: ServiceRecord,
  instances: readonly InstanceRecord[],
  req: Pick<DiscoverRequest, 'maxResults' | 'queryParameters' | 'optionalParameters' | 'healthStatus'>,
): InstanceRecord[] {
  const matchesAll = (i: InstanceRecord, params: Readonly<Record<string, string>>): boolean =>
    Object.entries(params).every(([k, v]) => i.attributes[k] === v);
  let found = instances.filter((i) => matchesAll(i, req.queryParameters ?? {}));
  if (req.optionalParameters && Object.keys(req.optionalParameters).length > 0) {
    const narrowed = found.filter((i) => matchesAll(i, req.optionalParameters!));
    if (narrowed.length > 0) found = narrowed;
  }
  if (service.customHealth) {
    const wanted = req.healthStatus ?? 'HEALTHY';
    const healthy = found.filter((i) => healthOf(service, i) === 'HEALTHY');
    if (wanted === 'HEALTHY') found = healthy;
    else if (wanted === 'UNHEALTHY') found = found.filter((i) => healthOf(service, i) === 'UNHEALTHY');
    else if (wanted === 'HEALTHY_OR_ELSE_ALL' && healthy.length > 0) found = healthy;
  }
  return found.slice(0, req.maxResults ?? 100);
}

/** Cloud Map's service instances. */
export class Instances {
  constructor(
    private readonly store: Store,
    private readonly operations: Operations,
  ) {}

  /**
   * RegisterInstance: creates the instance, or replaces an existing one's attributes, as AWS
   * does. A retried CreatorRequestId answers the first operation's id.
   */
  async register(scope: Scope, input: { serviceId: string; instanceId: string; creatorRequestId?: string; attributes: Readonly<Record<string, string>> }): Promise<string> {
    const requestKey = input.creatorRequestId === undefined ? undefined : `${scope.region}/instance/${input.creatorRequestId}`;
    return this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, input.serviceId);
      const fingerprint = fingerprintOf([service.id, input.instanceId, input.attributes]);
      const retried = await earlierRequest(tx, requestKey, fingerprint);
      if (retried !== undefined) return retried;
      checkInstanceAttributes(service, input.attributes);
      const col = tx.collection<InstanceRecord>(Collections.instances);
      const key = instanceKey(scope.region, service.id, input.instanceId);
      const earlier = await col.get(key);
      const init = input.attributes[ReservedAttribute.InitHealth] as 'HEALTHY' | 'UNHEALTHY' | undefined;
      const record: InstanceRecord = {
        id: input.instanceId,
        serviceId: service.id,
        region: scope.region,
        accountId: scope.accountId,
        attributes: { ...input.attributes },
        ...(input.creatorRequestId !== undefined && { creatorRequestId: input.creatorRequestId }),
        ...(service.customHealth && { health: earlier?.health ?? init ?? 'HEALTHY' }),
        createDate: earlier?.createDate ?? scope.now.getTime(),
      };
      await col.put(key, record);
      await bumpRevision(tx, service);
      const operationId = await this.operations.record(tx, scope, 'REGISTER_INSTANCE', { SERVICE: service.id, INSTANCE: input.instanceId });
      if (requestKey !== undefined) await tx.collection<CreatorRequest>(Collections.requests).put(requestKey, { operationId, fingerprint });
      return operationId;
    });
  }

  async deregister(scope: Scope, serviceId: string, instanceId: string): Promise<string> {
    return this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, serviceId);
      if (!(await tx.collection<InstanceRecord>(Collections.instances).delete(instanceKey(scope.region, service.id, instanceId)))) {
        throw instanceNotFound(instanceId);
      }
      await bumpRevision(tx, service);
      return this.operations.record(tx, scope, 'DEREGISTER_INSTANCE', { SERVICE: service.id, INSTANCE: instanceId });
    });
  }

  async get(scope: Scope, serviceId: string, instanceId: string): Promise<InstanceRecord> {
    return this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, serviceId);
      const instance = await tx.collection<InstanceRecord>(Collections.instances).get(instanceKey(scope.region, service.id, instanceId));
      if (!instance) throw instanceNotFound(instanceId);
      return instance;
    });
  }

  async list(scope: Scope, serviceId: string, max: number, nextToken?: string): Promise<Page<InstanceRecord>> {
    return this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, serviceId);
      const listing = `sd-instances/${scope.region}/${service.id}`;
      const after = decodeToken(listing, nextToken);
      const rows = await tx
        .collection<InstanceRecord>(Collections.instances)
        .list({ prefix: `${scope.region}/${service.id}/`, ...(after !== undefined && { after }), limit: max + 1 });
      return pageOf(listing, rows, max);
    });
  }

  /** DiscoverInstances by namespace and service name, with the service's revision. */
  async discover(scope: Scope, req: DiscoverRequest): Promise<{ instances: DiscoveredInstance[]; revision: number }> {
    return this.store.transaction(async (tx) => {
      const { namespace, service } = await serviceByName(tx, scope, req.namespaceName, req.serviceName);
      const selected = selectInstances(service, await instancesOf(tx, scope.region, service.id), req);
      return {
        instances: selected.map((i) => ({
          instanceId: i.id,
          namespaceName: namespace.name,
          serviceName: service.name,
          healthStatus: healthOf(service, i),
          attributes: i.attributes,
        })),
        revision: service.revision,
      };
    });
  }

  async revision(scope: Scope, namespaceName: string, serviceName: string): Promise<number> {
    return this.store.transaction(async (tx) => (await serviceByName(tx, scope, namespaceName, serviceName)).service.revision);
  }

  /** GetInstancesHealthStatus: the named instances (InstanceNotFound for an unknown one), or all. */
  async healthStatus(scope: Scope, serviceId: string, ids: readonly string[] | undefined, max: number, nextToken?: string): Promise<Page<[string, HealthStatus]>> {
    return this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, serviceId);
      const all = await instancesOf(tx, scope.region, service.id);
      const byId = new Map(all.map((i) => [i.id, i]));
      for (const id of ids ?? []) if (!byId.has(id)) throw instanceNotFound(id);
      const chosen = ids === undefined ? all : [...new Set(ids)].sort().map((id) => byId.get(id)!);
      const listing = `sd-health/${scope.region}/${service.id}`;
      const after = decodeToken(listing, nextToken);
      const rows = chosen
        .filter((i) => after === undefined || i.id > after)
        .slice(0, max + 1)
        .map((i) => ({ key: i.id, value: [i.id, healthOf(service, i)] as [string, HealthStatus] }));
      return pageOf(listing, rows, max);
    });
  }

  /** UpdateInstanceCustomHealthStatus: only for services with HealthCheckCustomConfig (else CustomHealthNotFound). */
  async setCustomHealth(scope: Scope, serviceId: string, instanceId: string, status: 'HEALTHY' | 'UNHEALTHY'): Promise<void> {
    await this.store.transaction(async (tx) => {
      const service = await requireService(tx, scope, serviceId);
      const col = tx.collection<InstanceRecord>(Collections.instances);
      const key = instanceKey(scope.region, service.id, instanceId);
      const instance = await col.get(key);
      if (!instance) throw instanceNotFound(instanceId);
      if (!service.customHealth) {
        throw new DomainError(ErrorKind.FailedPrecondition, `Service ${service.id} has no custom health check.`, DiscoverySubject.CustomHealth);
      }
      if (instance.health === status) return;
      await col.put(key, { ...instance, health: status });
      await bumpRevision(tx, service);
    });
  }
}

async function bumpRevision(tx: Transaction, service: ServiceRecord): Promise<void> {
  const col = tx.collection<ServiceRecord>(Collections.services);
  const key = regionKey(service.region, service.id);
  const current = (await col.get(key)) ?? service;
  await col.put(key, { ...current, revision: current.revision + 1 });
}

/** The service `serviceName` of the namespace `namespaceName` (HTTP name, or the private DNS name). */
async function serviceByName(tx: Transaction, scope: Scope, namespaceName: string, serviceName: string): Promise<{ namespace: NamespaceRecord; service: ServiceRecord }> {
  const namespaces = await tx.collection<NamespaceRecord>(Collections.namespaces).list({ prefix: `${scope.region}/` });
  const wanted = namespaceName.toLowerCase().replace(/\.$/, '');
  const namespace = namespaces.map((r) => r.value).find((n) => n.name.toLowerCase() === wanted);
  if (!namespace) throw namespaceNotFound(namespaceName);
  const services = await tx.collection<ServiceRecord>(Collections.services).list({ prefix: `${scope.region}/` });
  const service = services.map((r) => r.value).find((s) => s.namespaceId === namespace.id && s.name.toLowerCase() === serviceName.toLowerCase());
  if (!service) throw serviceNotFound(serviceName);
  return { namespace, service };
}
