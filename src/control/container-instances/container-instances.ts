import type { Failure } from '@aws-sdk/client-ecs';
import type { AgentRegistration } from '../../agent-contract/registration.js';
import { invalidParameter, invalidRequest } from '../../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { InstanceSnapshot } from '../../placement/types.js';
import type { Store } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import type { ClusterRecord } from '../clusters/cluster.js';
import type { Clusters } from '../clusters/clusters.js';
import { checkTags, type TagStore } from '../tags.js';
import {
  automaticAttributes,
  checkAttribute,
  checkCustomLimit,
  hostCpuArchitecture,
  isSystemAttribute,
  mergeAttributes,
} from './attribute-rules.js';
import {
  CAPACITY_GROUP_ATTRIBUTE,
  InstanceStatus,
  type ContainerInstanceRecord,
  type ContainerInstanceRegistry,
} from './container-instance.js';
import { instanceArn, instanceIdIn, instanceKey, newEc2InstanceId, newInstanceId, parseInstanceArn } from './instance-identity.js';
import { InstanceAttributes } from './instance-attributes.js';
import { NO_USAGE, readUsage, type InstanceUsage } from './instance-usage.js';
import { toSnapshot } from './snapshot.js';

const INSTANCES = CLUSTER_MEMBERS.containerInstances;

/** Compiles a cluster query language expression into a predicate over instances. */
export type CompileFilter = (expression: string) => (instance: InstanceSnapshot) => boolean;

/** An instance with what its tasks take of it, as the ECS operations show it. */
export interface InstanceView {
  record: ContainerInstanceRecord;
  usage: InstanceUsage;
}

/** The host ports the ECS agent keeps by default (ECS_RESERVED_PORTS). */
export const DEFAULT_RESERVED_PORTS: readonly string[] = ['22', '2375', '2376', '51678', '51679'];

/** Filters and paging of ListContainerInstances. */
export interface ListInstancesInput {
  status?: string;
  filter?: string;
  maxResults: number;
  nextToken?: string;
}

/** The statuses UpdateContainerInstancesState can set. */
const SETTABLE: ReadonlySet<string> = new Set([InstanceStatus.Active, InstanceStatus.Draining]);

/**
 * Container instances: agents joining a cluster (RegisterContainerInstance, re-registration),
 * their liveness, and ECS's Describe/List/UpdateState/Deregister. Remaining resources and task
 * counts are derived from `ecs-tasks` on every read, so they can never drift from the tasks.
 */
export class ContainerInstances implements ContainerInstanceRegistry {
  /** PutAttributes, DeleteAttributes, ListAttributes over the same instances. */
  readonly attributes: InstanceAttributes;

  constructor(
    private readonly store: Store,
    private readonly tags: TagStore,
    private readonly clusters: Clusters,
    private readonly compileFilter: CompileFilter,
    private readonly cpuArchitecture: string = hostCpuArchitecture(),
    /** The capacity provider an agent group belongs to (attribute `minato.capacity-group`). */
    private readonly providerOfGroup: (scope: Scope, group: string) => Promise<string | undefined> = async () => undefined,
  ) {
    this.attributes = new InstanceAttributes(store, clusters);
  }

  /** Registers an agent, or re-registers the instance its ARN names (status kept if DRAINING). */
  async registerAgent(scope: Scope, reg: AgentRegistration): Promise<ContainerInstanceRecord> {
    const cluster = await this.clusters.get(scope, reg.cluster);
    for (const a of reg.attributes) checkAttribute(a);
    checkTags(reg.tags ?? []);
    for (const [name, v] of [['CPU', reg.cpu], ['MEMORY', reg.memory]] as const) {
      if (!Number.isInteger(v) || v < 0) throw invalidParameter(`Resource ${name} must be a non-negative integer.`);
    }
    const group = reg.attributes.find((a) => a.name === CAPACITY_GROUP_ATTRIBUTE)?.value;
    const capacityProviderName = group === undefined ? undefined : await this.providerOfGroup(scope, group);
    return this.store.transaction(async (tx) => {
      const c = tx.collection<ContainerInstanceRecord>(INSTANCES);
      const existing = await this.known(c, scope, cluster, reg.containerInstanceArn);
      if (existing?.status === InstanceStatus.Inactive) {
        throw invalidRequest(`The container instance ${existing.containerInstanceArn} has been deregistered and cannot register again.`);
      }
      const id = existing?.id ?? newInstanceId();
      const automatic = automaticAttributes({
        availabilityZone: reg.availabilityZone ?? `${scope.region}a`,
        instanceType: reg.instanceType ?? 'minato.custom',
        cpuArchitecture: reg.cpuArchitecture ?? this.cpuArchitecture,
      });
      // The agent's own attributes win over the automatic ones; custom attributes put on the
      // instance since it registered survive its re-registration.
      const custom = (existing?.attributes ?? []).filter((a) => !isSystemAttribute(a.name ?? ''));
      const attributes = mergeAttributes(mergeAttributes(automatic, custom), reg.attributes);
      checkCustomLimit(attributes);
      const now = scope.now.getTime();
      const ec2InstanceId = reg.ec2InstanceId ?? existing?.ec2InstanceId ?? newEc2InstanceId();
      const record: ContainerInstanceRecord = {
        containerInstanceArn: existing?.containerInstanceArn ?? instanceArn(scope, cluster.clusterName, id),
        id,
        clusterArn: cluster.clusterArn,
        region: scope.region,
        ec2InstanceId,
        // An agent that does not know its address is told apart by its instance id.
        host: reg.host !== '' ? reg.host : ec2InstanceId,
        ...(reg.address !== undefined && { address: reg.address }),
        ...(reg.taskSubnet !== undefined && { taskSubnet: reg.taskSubnet }),
        status: existing?.status === InstanceStatus.Draining ? InstanceStatus.Draining : InstanceStatus.Active,
        agentConnected: true,
        lastSeenAt: now,
        versionInfo: {
          agentVersion: reg.agentVersion,
          ...(reg.agentHash !== undefined && { agentHash: reg.agentHash }),
          ...(reg.dockerVersion !== undefined && { dockerVersion: reg.dockerVersion }),
        },
        cpu: reg.cpu,
        memory: reg.memory,
        reservedPorts: [...(reg.reservedPorts ?? DEFAULT_RESERVED_PORTS)],
        reservedUdpPorts: [...(reg.reservedUdpPorts ?? [])],
        attributes,
        registeredAt: existing?.registeredAt ?? now,
        ...(capacityProviderName !== undefined && { capacityProviderName }),
        version: (existing?.version ?? 0) + 1,
      };
      await c.put(instanceKey(cluster.clusterArn, id), record);
      if (!existing) await this.tags.set(tx, record.containerInstanceArn, reg.tags ?? []);
      return record;
    });
  }

  /** Records that the agent was heard from; an INACTIVE instance is returned unchanged. */
  async heartbeat(containerInstanceArn: string, now: Date): Promise<ContainerInstanceRecord | undefined> {
    const key = keyOfArn(containerInstanceArn);
    if (!key) return undefined;
    return this.store.transaction(async (tx) => {
      const c = tx.collection<ContainerInstanceRecord>(INSTANCES);
      const current = await c.get(key);
      if (!current || current.status === InstanceStatus.Inactive) return current;
      const next: ContainerInstanceRecord = {
        ...current,
        lastSeenAt: Math.max(current.lastSeenAt, now.getTime()),
        agentConnected: true,
        // Only a change of what the API shows moves the version.
        version: current.agentConnected ? current.version : current.version + 1,
      };
      await c.put(key, next);
      return next;
    });
  }

  /** Marks agents silent for longer than `timeoutMs` as disconnected; ECS keeps their status. */
  async markDisconnected(now: Date, timeoutMs: number): Promise<ContainerInstanceRecord[]> {
    return this.store.transaction(async (tx) => {
      const c = tx.collection<ContainerInstanceRecord>(INSTANCES);
      const marked: ContainerInstanceRecord[] = [];
      for (const { key, value } of await c.list()) {
        if (!value.agentConnected || value.status === InstanceStatus.Inactive) continue;
        if (now.getTime() - value.lastSeenAt <= timeoutMs) continue;
        const next = { ...value, agentConnected: false, version: value.version + 1 };
        await c.put(key, next);
        marked.push(next);
      }
      return marked;
    });
  }

  /** One instance by ARN, any status. */
  async byArn(containerInstanceArn: string): Promise<ContainerInstanceRecord | undefined> {
    const key = keyOfArn(containerInstanceArn);
    return key ? this.store.collection<ContainerInstanceRecord>(INSTANCES).get(key) : undefined;
  }

  /** Every instance of the cluster that is not INACTIVE, as the scheduler sees it. */
  async snapshot(clusterArn: string): Promise<InstanceSnapshot[]> {
    const [records, usage] = await Promise.all([this.records(clusterArn), readUsage(this.store, clusterArn)]);
    return records
      .filter((r) => r.value.status !== InstanceStatus.Inactive)
      .map((r) => toSnapshot(r.value, usage.get(r.value.containerInstanceArn) ?? NO_USAGE));
  }

  /** An instance with the current usage of its tasks. */
  async viewOf(record: ContainerInstanceRecord): Promise<InstanceView> {
    const usage = await readUsage(this.store, record.clusterArn);
    return { record, usage: usage.get(record.containerInstanceArn) ?? NO_USAGE };
  }

  /** DescribeContainerInstances: instances of any status (INACTIVE included), MISSING for the rest. */
  async describe(scope: Scope, clusterRef: string | undefined, refs: readonly string[]): Promise<{ found: InstanceView[]; failures: Failure[] }> {
    if (refs.length > 100) throw invalidParameter('containerInstances can have at most 100 elements.');
    const cluster = await this.clusters.get(scope, clusterRef);
    const usage = await readUsage(this.store, cluster.clusterArn);
    const found: InstanceView[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const record = await this.find(scope, cluster, ref);
      if (record) found.push({ record, usage: usage.get(record.containerInstanceArn) ?? NO_USAGE });
      else failures.push({ arn: this.failureArn(scope, cluster, ref), reason: 'MISSING' });
    }
    return { found, failures };
  }

  /** ListContainerInstances: ARNs by status (default: all but INACTIVE) and query filter, a page at a time. */
  async list(scope: Scope, clusterRef: string | undefined, input: ListInstancesInput): Promise<Page<string>> {
    const cluster = await this.clusters.get(scope, clusterRef);
    // Compiled before reading, so a bad expression is refused even on an empty cluster.
    const matches = input.filter !== undefined && input.filter !== '' ? this.compileFilter(input.filter) : undefined;
    const after = decodeToken('container-instances', input.nextToken);
    const usage = matches ? await readUsage(this.store, cluster.clusterArn) : new Map<string, InstanceUsage>();
    const rows = (await this.records(cluster.clusterArn))
      .filter((r) => after === undefined || r.key > after)
      .filter((r) => (input.status === undefined ? r.value.status !== InstanceStatus.Inactive : r.value.status === input.status))
      .filter((r) => !matches || matches(toSnapshot(r.value, usage.get(r.value.containerInstanceArn) ?? NO_USAGE)))
      .slice(0, input.maxResults + 1)
      .map((r) => ({ key: r.key, value: r.value.containerInstanceArn }));
    return pageOf('container-instances', rows, input.maxResults);
  }

  /** UpdateContainerInstancesState: ACTIVE or DRAINING; instances not found are MISSING failures. */
  async updateState(
    scope: Scope,
    clusterRef: string | undefined,
    refs: readonly string[],
    status: string,
  ): Promise<{ found: InstanceView[]; failures: Failure[] }> {
    if (!SETTABLE.has(status)) throw invalidParameter('The status of a container instance can only be set to ACTIVE or DRAINING.');
    if (refs.length > 10) throw invalidParameter('containerInstances can have at most 10 elements.');
    const cluster = await this.clusters.get(scope, clusterRef);
    const { updated, failures } = await this.store.transaction(async (tx) => {
      const c = tx.collection<ContainerInstanceRecord>(INSTANCES);
      const updated: ContainerInstanceRecord[] = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const id = instanceIdIn(scope, cluster.clusterName, ref);
        const current = id === undefined ? undefined : await c.get(instanceKey(cluster.clusterArn, id));
        if (!current || current.status === InstanceStatus.Inactive) {
          failures.push({ arn: this.failureArn(scope, cluster, ref), reason: 'MISSING' });
          continue;
        }
        if (!SETTABLE.has(current.status)) {
          throw invalidParameter(`The container instance ${current.containerInstanceArn} is ${current.status}; its state cannot be updated.`);
        }
        const next = current.status === status ? current : { ...current, status: status as InstanceStatus, version: current.version + 1 };
        if (next !== current) await c.put(instanceKey(cluster.clusterArn, current.id), next);
        updated.push(next);
      }
      return { updated, failures };
    });
    const usage = await readUsage(this.store, cluster.clusterArn);
    return { found: updated.map((record) => ({ record, usage: usage.get(record.containerInstanceArn) ?? NO_USAGE })), failures };
  }

  /**
   * DeregisterContainerInstance: the instance becomes INACTIVE (and stays describable). Without
   * `force` an instance with tasks that are not STOPPED is refused; with it, those tasks are left
   * as they are, orphaned, as on ECS.
   */
  async deregister(scope: Scope, clusterRef: string | undefined, ref: string, force: boolean): Promise<InstanceView> {
    const cluster = await this.clusters.get(scope, clusterRef);
    const id = instanceIdIn(scope, cluster.clusterName, ref);
    const record = await this.store.transaction(async (tx) => {
      const c = tx.collection<ContainerInstanceRecord>(INSTANCES);
      const current = id === undefined ? undefined : await c.get(instanceKey(cluster.clusterArn, id));
      if (!current) throw invalidParameter('The referenced container instance was not found.');
      if (current.status === InstanceStatus.Inactive) return current;
      const usage = (await readUsage(tx, cluster.clusterArn)).get(current.containerInstanceArn) ?? NO_USAGE;
      if (usage.active > 0 && !force) throw invalidParameter('Found running tasks on the instance.');
      const next: ContainerInstanceRecord = { ...current, status: InstanceStatus.Inactive, version: current.version + 1 };
      await c.put(instanceKey(cluster.clusterArn, current.id), next);
      return next;
    });
    const usage = await readUsage(this.store, cluster.clusterArn);
    return { record, usage: usage.get(record.containerInstanceArn) ?? NO_USAGE };
  }

  private async known(
    c: { get(key: string): Promise<ContainerInstanceRecord | undefined> },
    scope: Scope,
    cluster: ClusterRecord,
    arn: string | undefined,
  ): Promise<ContainerInstanceRecord | undefined> {
    if (arn === undefined || arn === '') return undefined;
    const parts = parseInstanceArn(arn);
    if (!parts || parts.region !== scope.region || parts.accountId !== scope.accountId) {
      throw invalidParameter(`Invalid container instance ARN: ${arn}`);
    }
    // An ARN this cluster does not know (another cluster's, or one from a data dir since
    // reset) registers a new instance, as a fresh agent would.
    return parts.clusterArn === cluster.clusterArn ? c.get(instanceKey(cluster.clusterArn, parts.id)) : undefined;
  }

  private async find(scope: Scope, cluster: ClusterRecord, ref: string): Promise<ContainerInstanceRecord | undefined> {
    const id = instanceIdIn(scope, cluster.clusterName, ref);
    return id === undefined ? undefined : this.store.collection<ContainerInstanceRecord>(INSTANCES).get(instanceKey(cluster.clusterArn, id));
  }

  private failureArn(scope: Scope, cluster: ClusterRecord, ref: string): string {
    return ref.startsWith('arn:') ? ref : instanceArn(scope, cluster.clusterName, ref);
  }

  private records(clusterArn: string) {
    return this.store.collection<ContainerInstanceRecord>(INSTANCES).list({ prefix: `${clusterArn}/` });
  }
}

/** The store key of an instance ARN, or undefined when it is not one. */
function keyOfArn(arn: string): string | undefined {
  const parts = parseInstanceArn(arn);
  return parts ? instanceKey(parts.clusterArn, parts.id) : undefined;
}
