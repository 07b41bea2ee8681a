import type {
  CapacityProviderStrategyItem,
  ClusterConfiguration,
  ClusterServiceConnectDefaultsRequest,
  ClusterSetting,
  Tag,
} from '@aws-sdk/client-ecs';
import { formatArn, parseArn } from '../../lib/arn.js';
import { failedPrecondition, invalidParameter, notFound } from '../../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { checkTags, type TagStore } from '../tags.js';
import { countClusterActivity, readClusterActivity } from './activity.js';
import { CLUSTER_NAME, CLUSTERS, ClusterStatus, DEFAULT_CLUSTER, type ClusterCounts, type ClusterRecord } from './cluster.js';
import {
  checkCapacityProviderStrategy,
  checkClusterProviderList,
  checkClusterSettings,
  checkProvidersExist,
  FARGATE_ONLY,
  type CapacityProviderLookup,
} from './cluster-rules.js';
import { providersInUse } from './provider-use.js';

/** What CreateCluster accepts. */
export interface CreateClusterInput {
  clusterName?: string;
  tags?: Tag[];
  settings?: ClusterSetting[];
  configuration?: ClusterConfiguration;
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  serviceConnectDefaults?: ClusterServiceConnectDefaultsRequest;
}

/** What UpdateCluster accepts. */
export interface UpdateClusterInput {
  settings?: ClusterSetting[];
  configuration?: ClusterConfiguration;
  serviceConnectDefaults?: ClusterServiceConnectDefaultsRequest;
}

/** A cluster with its derived counts and statistics. */
export type ClusterView = ClusterRecord & ClusterCounts & { statistics: Array<{ name: string; value: string }> };

const clusterKey = (scope: Scope, name: string) => `${scope.region}/${name}`;

/** The ECS cluster lifecycle: create, describe, list, update, delete. */
export class Clusters {
  constructor(
    private readonly store: Store,
    private readonly tags: TagStore,
    private readonly providers: CapacityProviderLookup = FARGATE_ONLY,
  ) {}

  /** The cluster name a `cluster` request member (name or ARN) refers to, in this scope. */
  nameOf(scope: Scope, ref: string | undefined): string {
    if (ref === undefined || ref === '') return DEFAULT_CLUSTER;
    const arn = parseArn(ref);
    if (!arn) return ref;
    const name = arn.resource.startsWith('cluster/') ? arn.resource.slice('cluster/'.length) : '';
    // An ARN of another account, region or resource type names no cluster of this scope.
    if (arn.service !== 'ecs' || arn.region !== scope.region || arn.accountId !== scope.accountId || !name) {
      return `\0${ref}`;
    }
    return name;
  }

  /** The ARN of the named cluster in this scope. */
  arnOf(scope: Scope, name: string): string {
    return formatArn('ecs', scope.region, scope.accountId, `cluster/${name}`);
  }

  /** Creates a cluster; creating an ACTIVE cluster again returns it unchanged, as ECS does. */
  async create(scope: Scope, input: CreateClusterInput): Promise<ClusterView> {
    const name = input.clusterName ?? DEFAULT_CLUSTER;
    if (!CLUSTER_NAME.test(name)) {
      throw invalidParameter(
        'Cluster name is invalid. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.',
      );
    }
    checkTags(input.tags ?? []);
    checkClusterSettings(input.settings ?? []);
    checkClusterProviderList(input.capacityProviders ?? []);
    checkCapacityProviderStrategy(input.capacityProviders ?? [], input.defaultCapacityProviderStrategy ?? []);
    await checkProvidersExist(scope, this.providers, input.capacityProviders ?? []);
    const record = await this.store.transaction(async (tx) => {
      const clusters = tx.collection<ClusterRecord>(CLUSTERS);
      const existing = await clusters.get(clusterKey(scope, name));
      if (existing?.status === ClusterStatus.Active) return existing;
      const created: ClusterRecord = {
        clusterArn: this.arnOf(scope, name),
        clusterName: name,
        status: ClusterStatus.Active,
        settings: input.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
        ...(input.configuration && { configuration: input.configuration }),
        capacityProviders: input.capacityProviders ?? [],
        defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
        ...(input.serviceConnectDefaults && { serviceConnectDefaults: { namespace: input.serviceConnectDefaults.namespace } }),
        createdAt: scope.now.getTime(),
      };
      await clusters.put(clusterKey(scope, name), created);
      await this.tags.set(tx, created.clusterArn, input.tags ?? []);
      return created;
    });
    return this.view(record);
  }

  /** The clusters named (default: the `default` cluster), and the names that matched none. */
  async describe(scope: Scope, refs: readonly string[]): Promise<{ found: ClusterView[]; missing: string[] }> {
    const found: ClusterView[] = [];
    const missing: string[] = [];
    for (const ref of refs.length ? refs : [DEFAULT_CLUSTER]) {
      const record = await this.store.collection<ClusterRecord>(CLUSTERS).get(clusterKey(scope, this.nameOf(scope, ref)));
      if (record) found.push(await this.view(record));
      else missing.push(parseArn(ref) ? ref : this.arnOf(scope, ref));
    }
    return { found, missing };
  }

  /** ARNs of the ACTIVE clusters of this scope, a page at a time. */
  async list(scope: Scope, maxResults: number, nextToken: string | undefined): Promise<Page<string>> {
    const prefix = `${scope.region}/`;
    const after = decodeToken('clusters', nextToken);
    const arns: Array<{ key: string; value: string }> = [];
    // INACTIVE clusters are skipped, so read past them until the page (plus one) is full.
    let cursor = after;
    for (;;) {
      const rows = await this.store.collection<ClusterRecord>(CLUSTERS).list({ prefix, after: cursor, limit: maxResults + 1 });
      for (const row of rows) {
        if (row.value.status === ClusterStatus.Active) arns.push({ key: row.key, value: row.value.clusterArn });
      }
      if (rows.length < maxResults + 1 || arns.length > maxResults) break;
      cursor = rows[rows.length - 1]!.key;
    }
    return pageOf('clusters', arns, maxResults);
  }

  /** The ACTIVE cluster named by `ref`, or ClusterNotFound. */
  async get(scope: Scope, ref: string | undefined): Promise<ClusterRecord> {
    const record = await this.store.collection<ClusterRecord>(CLUSTERS).get(clusterKey(scope, this.nameOf(scope, ref)));
    if (!record || record.status !== ClusterStatus.Active) throw notFound('cluster', 'Cluster not found.');
    return record;
  }

  /** Changes settings, configuration or Service Connect defaults of a cluster. */
  async update(scope: Scope, ref: string, input: UpdateClusterInput): Promise<ClusterView> {
    checkClusterSettings(input.settings ?? []);
    return this.modify(scope, ref, (c) => ({
      ...c,
      ...(input.settings && { settings: mergeSettings(c.settings, input.settings) }),
      ...(input.configuration && { configuration: { ...c.configuration, ...input.configuration } }),
      ...(input.serviceConnectDefaults && { serviceConnectDefaults: { namespace: input.serviceConnectDefaults.namespace } }),
    }));
  }

  /**
   * Replaces the capacity providers and default strategy of a cluster. A provider may only leave
   * the cluster when no service's strategy and no unstopped task of the cluster uses it.
   */
  async putCapacityProviders(
    scope: Scope,
    ref: string,
    capacityProviders: string[],
    strategy: CapacityProviderStrategyItem[],
  ): Promise<ClusterView> {
    checkClusterProviderList(capacityProviders);
    checkCapacityProviderStrategy(capacityProviders, strategy);
    await checkProvidersExist(scope, this.providers, capacityProviders);
    const key = clusterKey(scope, this.nameOf(scope, ref));
    const updated = await this.store.transaction(async (tx) => {
      const clusters = tx.collection<ClusterRecord>(CLUSTERS);
      const current = await clusters.get(key);
      if (!current || current.status !== ClusterStatus.Active) throw notFound('cluster', 'Cluster not found.');
      const removed = current.capacityProviders.filter((p) => !capacityProviders.includes(p));
      if ((await providersInUse(tx, current.clusterArn, removed)).length > 0) {
        throw failedPrecondition('capacity-provider-in-use', 'The specified capacity provider is in use and cannot be removed.');
      }
      const next: ClusterRecord = { ...current, capacityProviders, defaultCapacityProviderStrategy: strategy };
      await clusters.put(key, next);
      return next;
    });
    return this.view(updated);
  }

  /** Deletes a cluster that has no services, tasks or container instances; it stays INACTIVE. */
  async delete(scope: Scope, ref: string): Promise<ClusterView> {
    const cluster = await this.get(scope, ref);
    const counts = await countClusterActivity(this.store, cluster.clusterArn);
    if (counts.activeServicesCount > 0) {
      throw failedPrecondition('cluster-has-services', 'The Cluster cannot be deleted while Services are active.');
    }
    if (counts.runningTasksCount + counts.pendingTasksCount > 0) {
      throw failedPrecondition('cluster-has-tasks', 'The Cluster cannot be deleted while Tasks are active.');
    }
    if (counts.registeredContainerInstancesCount > 0) {
      throw failedPrecondition(
        'cluster-has-instances',
        'The Cluster cannot be deleted while Container Instances are active or draining.',
      );
    }
    return this.modify(scope, ref, (c) => ({ ...c, status: ClusterStatus.Inactive }));
  }

  /** Tells whether the cluster with this ARN exists and is ACTIVE. */
  async existsByArn(scope: Scope, arn: string): Promise<boolean> {
    const record = await this.store.collection<ClusterRecord>(CLUSTERS).get(clusterKey(scope, this.nameOf(scope, arn)));
    return record?.status === ClusterStatus.Active && record.clusterArn === arn;
  }

  private async modify(scope: Scope, ref: string, change: (c: ClusterRecord) => ClusterRecord): Promise<ClusterView> {
    const key = clusterKey(scope, this.nameOf(scope, ref));
    const updated = await this.store.transaction(async (tx) => {
      const clusters = tx.collection<ClusterRecord>(CLUSTERS);
      const current = await clusters.get(key);
      if (!current || current.status !== ClusterStatus.Active) throw notFound('cluster', 'Cluster not found.');
      const next = change(current);
      await clusters.put(key, next);
      return next;
    });
    return this.view(updated);
  }

  private async view(record: ClusterRecord): Promise<ClusterView> {
    const { counts, statistics } = await readClusterActivity(this.store, record.clusterArn);
    return { ...record, ...counts, statistics };
  }
}

function mergeSettings(current: ClusterSetting[], changes: ClusterSetting[]): ClusterSetting[] {
  const byName = new Map(current.map((s) => [s.name, s.value]));
  for (const s of changes) byName.set(s.name, s.value);
  return [...byName].map(([name, value]) => ({ name, value }));
}
