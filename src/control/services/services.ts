import { requestHash } from '../../lib/request-hash.js';
import type { CreateServiceRequest, RunTaskRequest, UpdateServiceRequest } from '@aws-sdk/client-ecs';
import { formatArn, parseArn } from '../../lib/arn.js';
import { DomainError, ErrorKind, failedPrecondition, invalidParameter, invalidRequest, notFound } from '../../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import type { ClusterRecord } from '../clusters/cluster.js';
import type { Clusters } from '../clusters/clusters.js';
import { checkTags, type TagStore } from '../tags.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import type { TaskDefinitions } from '../task-definitions/task-definitions.js';
import { checkRunTask } from '../tasks/run-rules.js';
import { resolveAwsVpc, type VpcLookup } from '../tasks/vpc-lookup.js';
import { launchGroups } from '../tasks/placement.js';
import { newDeployment, randomDeploymentId, supersede, withDefaults } from './rollout.js';
import { checkTraffic } from './load-balancing-rules.js';
import { checkCreateService, checkUpdateService, DAEMON_MESSAGES } from './service-rules.js';
import { NO_TRAFFIC_PORTS, type TrafficPorts } from './traffic-ports.js';
import { freshMemory, INACTIVE_SERVICE_RETENTION_MS, SchedulingStrategy, ServiceStatus, type ServiceRecord } from './service.js';

const SERVICES = CLUSTER_MEMBERS.services;

/** Filters of ListServices. */
export interface ListServicesFilter {
  launchType?: string;
  schedulingStrategy?: string;
  /**
   * Who manages the service. Every service here is the customer's (ECS-managed Express services
   * are not served), so CUSTOMER keeps them all and ECS keeps none.
   */
  resourceManagementType?: 'CUSTOMER' | 'ECS';
  maxResults: number;
  nextToken?: string;
}

/** A hash of the members that define a service, to tell a retried CreateService from a different one. */
function creationHash(input: CreateServiceRequest, clusterArn: string): string {
  const { clientToken: _t, tags: _g, cluster: _c, ...rest } = input;
  return requestHash({ ...rest, clusterArn });
}

/** ECS services: create, update, delete, describe, list. The scheduler runs their tasks. */
export class Services {
  /** Called after every change, so the scheduler acts at once instead of at its next tick. */
  onChange: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly tags: TagStore,
    private readonly clusters: Clusters,
    private readonly taskDefinitions: TaskDefinitions,
    private readonly traffic: TrafficPorts = NO_TRAFFIC_PORTS,
    /** The EC2 networking an awsvpc configuration must name; without it subnets and groups are taken as given. */
    private readonly vpc?: VpcLookup,
  ) {}

  /** CreateService: a service with its first deployment; the same request again returns the service unchanged. */
  async create(scope: Scope, input: CreateServiceRequest): Promise<ServiceRecord> {
    const cluster = await this.clusters.get(scope, input.cluster);
    const strategy = checkCreateService(input);
    checkTags(input.tags ?? []);
    const td = await this.taskDefinition(scope, input.taskDefinition!);
    const launch = this.checkLaunch(input, td, cluster, strategy === SchedulingStrategy.Daemon);
    await this.checkNetwork(scope, input.networkConfiguration);
    await checkTraffic(scope, this.traffic, td, input.loadBalancers ?? [], input.serviceRegistries ?? []);
    const name = input.serviceName!;
    const key = `${cluster.clusterArn}/${name}`;
    const hash = creationHash(input, cluster.clusterArn);
    const now = scope.now.getTime();
    const record = await this.store.transaction(async (tx) => {
      const c = tx.collection<ServiceRecord>(SERVICES);
      const existing = await c.get(key);
      if (existing && existing.status !== ServiceStatus.Inactive) {
        if (existing.status === ServiceStatus.Active && existing.creationHash === hash) return existing;
        throw invalidParameter('Creation of service was not idempotent.');
      }
      const service: ServiceRecord = {
        serviceArn: formatArn('ecs', scope.region, scope.accountId, `service/${cluster.clusterName}/${name}`),
        serviceName: name,
        clusterArn: cluster.clusterArn,
        region: scope.region,
        status: ServiceStatus.Active,
        desiredCount: strategy === SchedulingStrategy.Daemon ? 0 : input.desiredCount!,
        runningCount: 0,
        pendingCount: 0,
        ...launch,
        ...(launch.launchType === 'FARGATE' && { platformVersion: input.platformVersion ?? 'LATEST', platformFamily: 'Linux' }),
        taskDefinition: td.taskDefinitionArn,
        deploymentConfiguration: withDefaults(input.deploymentConfiguration, strategy),
        deployments: [],
        events: [],
        placementConstraints: input.placementConstraints ?? [],
        placementStrategy: input.placementStrategy ?? [],
        ...(input.networkConfiguration && { networkConfiguration: input.networkConfiguration }),
        ...(input.healthCheckGracePeriodSeconds !== undefined && { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds }),
        ...(input.loadBalancers?.length && { loadBalancers: input.loadBalancers }),
        ...(input.serviceRegistries?.length && { serviceRegistries: input.serviceRegistries }),
        schedulingStrategy: strategy,
        createdAt: now,
        createdBy: scope.principalArn,
        enableECSManagedTags: input.enableECSManagedTags ?? false,
        propagateTags: input.propagateTags ?? 'NONE',
        enableExecuteCommand: input.enableExecuteCommand ?? false,
        // ECS defaults a new service to ENABLED; rebalancing is not done here, so DISABLED says what happens.
        availabilityZoneRebalancing: input.availabilityZoneRebalancing ?? 'DISABLED',
        creationHash: hash,
        scheduler: freshMemory(),
        version: 1,
      };
      service.deployments = [newDeployment(service, randomDeploymentId(), now)];
      await c.put(key, service);
      await this.tags.set(tx, service.serviceArn, input.tags ?? []);
      return service;
    });
    this.onChange();
    return record;
  }

  /** UpdateService: desired count and settings in place; a new task definition or launch setting starts a new deployment. */
  async update(scope: Scope, input: UpdateServiceRequest): Promise<ServiceRecord> {
    const cluster = await this.clusters.get(scope, input.cluster);
    const key = this.keyOf(scope, cluster, input.service!);
    const current = key && (await this.store.collection<ServiceRecord>(SERVICES).get(key));
    if (!key || !current) throw notFound('service', 'Service not found.');
    if (current.status !== ServiceStatus.Active) throw failedPrecondition('service-not-active', 'Service was not ACTIVE.');
    checkUpdateService(input, current.schedulingStrategy);
    await this.checkNetwork(scope, input.networkConfiguration);
    const td = input.taskDefinition !== undefined ? await this.taskDefinition(scope, input.taskDefinition) : undefined;
    if (td || input.loadBalancers !== undefined || input.serviceRegistries !== undefined) {
      const loadBalancers = input.loadBalancers ?? current.loadBalancers ?? [];
      const registries = input.serviceRegistries ?? current.serviceRegistries ?? [];
      if (loadBalancers.length || registries.length) {
        await checkTraffic(scope, this.traffic, td ?? (await this.taskDefinition(scope, current.taskDefinition)), loadBalancers, registries);
      }
    }
    const now = scope.now.getTime();
    const record = await this.store.transaction(async (tx) => {
      const c = tx.collection<ServiceRecord>(SERVICES);
      const s = await c.get(key);
      if (!s || s.status !== ServiceStatus.Active) throw failedPrecondition('service-not-active', 'Service was not ACTIVE.');
      const next: ServiceRecord = { ...s, version: s.version + 1 };
      if (input.desiredCount !== undefined) next.desiredCount = input.desiredCount;
      if (input.deploymentConfiguration) {
        next.deploymentConfiguration = withDefaults({ ...s.deploymentConfiguration, ...input.deploymentConfiguration }, s.schedulingStrategy);
      }
      if (input.healthCheckGracePeriodSeconds !== undefined) next.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
      if (input.enableECSManagedTags !== undefined) next.enableECSManagedTags = input.enableECSManagedTags;
      if (input.propagateTags !== undefined) next.propagateTags = input.propagateTags;
      if (input.enableExecuteCommand !== undefined) next.enableExecuteCommand = input.enableExecuteCommand;
      if (input.availabilityZoneRebalancing !== undefined) next.availabilityZoneRebalancing = input.availabilityZoneRebalancing;
      let redeploy = input.forceNewDeployment === true;
      if (td && td.taskDefinitionArn !== s.taskDefinition) [next.taskDefinition, redeploy] = [td.taskDefinitionArn, true];
      if (input.networkConfiguration) [next.networkConfiguration, redeploy] = [input.networkConfiguration, true];
      // Changing the load balancers or service registries starts a new deployment, as in ECS: new
      // tasks join the new ones, the old deployment's tasks leave the groups they joined.
      if (input.loadBalancers !== undefined) [next.loadBalancers, redeploy] = [input.loadBalancers, true];
      if (input.serviceRegistries !== undefined) [next.serviceRegistries, redeploy] = [input.serviceRegistries, true];
      if (input.placementConstraints) [next.placementConstraints, redeploy] = [input.placementConstraints, true];
      if (input.placementStrategy) [next.placementStrategy, redeploy] = [input.placementStrategy, true];
      if (input.platformVersion !== undefined && input.platformVersion !== s.platformVersion) [next.platformVersion, redeploy] = [input.platformVersion, true];
      if (input.capacityProviderStrategy?.length) {
        delete next.launchType;
        [next.capacityProviderStrategy, redeploy] = [input.capacityProviderStrategy, true];
      }
      if (redeploy) {
        const tdNow = td ?? (await this.taskDefinition(scope, next.taskDefinition));
        this.checkLaunch(
          {
            ...(next.launchType && { launchType: next.launchType as NonNullable<RunTaskRequest['launchType']> }),
            ...(next.capacityProviderStrategy && { capacityProviderStrategy: next.capacityProviderStrategy }),
            ...(next.networkConfiguration && { networkConfiguration: next.networkConfiguration }),
          },
          tdNow,
          cluster,
          s.schedulingStrategy === SchedulingStrategy.Daemon,
        );
        next.deployments = supersede(s.deployments, newDeployment(next, randomDeploymentId(), now));
        next.scheduler = { ...next.scheduler, steady: false };
      } else {
        next.deployments = s.deployments.map((d) => (d.status === 'PRIMARY' ? { ...d, desiredCount: next.desiredCount, updatedAt: now } : d));
        if (input.desiredCount !== undefined && input.desiredCount !== s.desiredCount) next.scheduler = { ...next.scheduler, steady: false };
      }
      await c.put(key, next);
      return next;
    });
    this.onChange();
    return record;
  }

  /** DeleteService: the service drains (its tasks are stopped), then becomes INACTIVE. */
  async delete(scope: Scope, clusterRef: string | undefined, ref: string, force: boolean): Promise<ServiceRecord> {
    const cluster = await this.clusters.get(scope, clusterRef);
    const key = this.keyOf(scope, cluster, ref);
    const record = await this.store.transaction(async (tx) => {
      const c = tx.collection<ServiceRecord>(SERVICES);
      const s = key && (await c.get(key));
      if (!key || !s || s.status === ServiceStatus.Inactive) throw notFound('service', 'Service not found.');
      if (s.status === ServiceStatus.Draining) return s;
      if (s.schedulingStrategy === SchedulingStrategy.Replica && s.desiredCount > 0 && !force) {
        throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
      }
      const next: ServiceRecord = {
        ...s,
        status: ServiceStatus.Draining,
        desiredCount: 0,
        deployments: s.deployments.map((d) => ({ ...d, desiredCount: 0 })),
        deletedAt: scope.now.getTime(),
        version: s.version + 1,
      };
      await c.put(key, next);
      return next;
    });
    this.onChange();
    return record;
  }

  /** DescribeServices: the services found (any status), and MISSING failures for the rest. */
  async describe(scope: Scope, clusterRef: string | undefined, refs: readonly string[]): Promise<{ found: ServiceRecord[]; missing: string[] }> {
    if (refs.length > 10) throw invalidParameter('services cannot contain more than 10 elements.');
    const cluster = await this.clusters.get(scope, clusterRef);
    const found: ServiceRecord[] = [];
    const missing: string[] = [];
    for (const ref of refs) {
      const key = this.keyOf(scope, cluster, ref);
      const s = key && (await this.store.collection<ServiceRecord>(SERVICES).get(key));
      if (s) found.push(s);
      else missing.push(parseArn(ref) ? ref : formatArn('ecs', scope.region, scope.accountId, `service/${cluster.clusterName}/${ref}`));
    }
    return { found, missing };
  }

  /** ListServices: ARNs of the cluster's ACTIVE services, filtered, a page at a time. */
  async list(scope: Scope, clusterRef: string | undefined, filter: ListServicesFilter): Promise<Page<string>> {
    const cluster = await this.clusters.get(scope, clusterRef);
    const after = decodeToken('services', filter.nextToken);
    if (filter.resourceManagementType === 'ECS') return { items: [] };
    const rows = (await this.store.collection<ServiceRecord>(SERVICES).list({ prefix: `${cluster.clusterArn}/`, ...(after !== undefined && { after }) }))
      .filter(({ value: s }) => {
        if (s.status !== ServiceStatus.Active) return false;
        if (filter.launchType !== undefined && s.launchType !== filter.launchType) return false;
        if (filter.schedulingStrategy !== undefined && s.schedulingStrategy !== filter.schedulingStrategy) return false;
        return true;
      })
      .slice(0, filter.maxResults + 1)
      .map((r) => ({ key: r.key, value: r.value.serviceArn }));
    return pageOf('services', rows, filter.maxResults);
  }

  /** Whether `arn` names a service of this scope that is not INACTIVE (TagResource and friends accept those). */
  async existsByArn(scope: Scope, arn: string): Promise<boolean> {
    const parts = parseArn(arn)?.resource.split('/') ?? [];
    if (parts.length !== 3) return false;
    const cluster = await this.clusters.get(scope, parts[1]).catch(() => undefined);
    const key = cluster && this.keyOf(scope, cluster, arn);
    const s = key ? await this.store.collection<ServiceRecord>(SERVICES).get(key) : undefined;
    return s !== undefined && s.status !== ServiceStatus.Inactive;
  }

  /** Forgets INACTIVE services deleted more than `retentionMs` ago; returns how many. */
  async expireInactive(now: Date, retentionMs = INACTIVE_SERVICE_RETENTION_MS): Promise<number> {
    const old = (await this.store.collection<ServiceRecord>(SERVICES).list()).filter(
      ({ value: s }) => s.status === ServiceStatus.Inactive && (s.deletedAt ?? s.createdAt) + retentionMs <= now.getTime(),
    );
    await this.store.transaction(async (tx) => {
      for (const { key, value } of old) {
        // A service created again under the same name since this listing is left alone.
        const current = await tx.collection<ServiceRecord>(SERVICES).get(key);
        if (current?.serviceArn !== value.serviceArn || current.status !== ServiceStatus.Inactive) continue;
        await tx.collection<ServiceRecord>(SERVICES).delete(key);
        await this.tags.set(tx, value.serviceArn, []);
      }
    });
    return old.length;
  }

  /** The store key a service reference (name, or long or short ARN) names in this cluster. */
  private keyOf(scope: Scope, cluster: ClusterRecord, ref: string): string | undefined {
    const arn = parseArn(ref);
    if (!arn) return SERVICE_REF.test(ref) ? `${cluster.clusterArn}/${ref}` : undefined;
    if (arn.service !== 'ecs' || arn.region !== scope.region || arn.accountId !== scope.accountId) return undefined;
    const parts = arn.resource.split('/');
    if (parts[0] !== 'service' || parts.length < 2 || parts.length > 3) return undefined;
    if (parts.length === 3 && parts[1] !== cluster.clusterName) return undefined;
    return `${cluster.clusterArn}/${parts[parts.length - 1]}`;
  }

  private async taskDefinition(scope: Scope, ref: string): Promise<TaskDefinitionRecord> {
    return this.taskDefinitions.describe(scope, ref).catch((err: unknown) => {
      if (err instanceof DomainError && err.kind === ErrorKind.InvalidArgument) throw invalidRequest('TaskDefinition not found.');
      throw err;
    });
  }

  /** The subnets and security groups an awsvpc configuration names must exist (ECS asks EC2). */
  private async checkNetwork(scope: Scope, network: CreateServiceRequest['networkConfiguration']): Promise<void> {
    const vpc = network?.awsvpcConfiguration;
    if (vpc && this.vpc) await resolveAwsVpc(this.vpc, scope, vpc);
  }

  /** Checks launch settings against the task definition as RunTask will, and picks what the service records. */
  private checkLaunch(
    input: Pick<RunTaskRequest, 'launchType' | 'capacityProviderStrategy' | 'networkConfiguration'>,
    td: TaskDefinitionRecord,
    cluster: ClusterRecord,
    daemon: boolean,
  ): Pick<ServiceRecord, 'launchType' | 'capacityProviderStrategy'> {
    const probe: RunTaskRequest = {
      taskDefinition: td.taskDefinitionArn,
      ...(input.launchType && { launchType: input.launchType }),
      ...(input.capacityProviderStrategy?.length && { capacityProviderStrategy: input.capacityProviderStrategy }),
      ...(input.networkConfiguration && { networkConfiguration: input.networkConfiguration }),
    };
    const groups = launchGroups(probe, cluster.defaultCapacityProviderStrategy);
    checkRunTask(probe, td, groups, cluster.capacityProviders);
    if (input.launchType) return { launchType: input.launchType };
    const strategy = input.capacityProviderStrategy?.length ? input.capacityProviderStrategy : cluster.defaultCapacityProviderStrategy;
    if (strategy.length && daemon) throw invalidParameter(DAEMON_MESSAGES.capacityProviders);
    return strategy.length ? { capacityProviderStrategy: strategy } : { launchType: groups[0]!.launchType };
  }
}

/** A bare service name as a reference. */
const SERVICE_REF = /^[a-zA-Z0-9_-]{1,255}$/;
