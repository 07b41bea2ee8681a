import type {
  AutoScalingGroupProvider,
  AutoScalingGroupProviderUpdate,
  CapacityProviderStrategyItem,
  Failure,
  Tag,
} from '@aws-sdk/client-ecs';
import { DomainError, ErrorKind, invalidParameter, invalidRequest, notFound } from '../../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { Store, Transaction } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import { ClusterStatus, CLUSTERS, type ClusterRecord } from '../clusters/cluster.js';
import { checkTags, type TagStore } from '../tags.js';
import {
  autoScalingGroupArnOf,
  CAPACITY_PROVIDERS,
  capacityProviderArn,
  CapacityProviderStatus,
  fargateProvider,
  FargateProvider,
  isFargateProvider,
  providerGroupName,
  providerNameOf,
  UpdateStatus,
  type CapacityProviderRecord,
} from './capacity-provider.js';
import { checkProviderName, newGroupSettings, updatedGroupSettings } from './provider-rules.js';

/** What CreateCapacityProvider accepts. */
export interface CreateCapacityProviderInput {
  name: string;
  autoScalingGroupProvider?: AutoScalingGroupProvider;
  managedInstancesProvider?: unknown;
  tags?: Tag[];
}

/** What UpdateCapacityProvider accepts. */
export interface UpdateCapacityProviderInput {
  name: string;
  autoScalingGroupProvider?: AutoScalingGroupProviderUpdate;
  managedInstancesProvider?: unknown;
}

/** A service document as far as capacity providers care (the service scheduler owns the rest). */
interface ServiceUse {
  serviceName?: string;
  status?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
}

const providerKey = (scope: Scope, name: string) => `${scope.region}/${name}`;
const NOT_FOUND = 'The specified capacity provider does not exist. Specify a valid name or ARN and try again.';
const MANAGED_INSTANCES = 'Amazon ECS Managed Instances capacity providers are not supported by this endpoint.';

/** ECS capacity providers: the account's EC2-style ones in the Store, FARGATE and FARGATE_SPOT built in. */
export class CapacityProviders {
  constructor(
    private readonly store: Store,
    private readonly tags: TagStore,
  ) {}

  /** CreateCapacityProvider: a new EC2-style provider over an Auto Scaling group no other provider uses. */
  async create(scope: Scope, input: CreateCapacityProviderInput): Promise<CapacityProviderRecord> {
    checkProviderName(input.name);
    if (input.managedInstancesProvider !== undefined) throw new DomainError(ErrorKind.InvalidArgument, MANAGED_INSTANCES, 'unsupported-feature');
    const given = input.autoScalingGroupProvider;
    if (!given) throw invalidParameter('autoScalingGroupProvider must be specified.');
    const groupArn = autoScalingGroupArnOf(scope, given.autoScalingGroupArn ?? '');
    if (!groupArn) throw invalidRequest('The specified Auto Scaling group ARN is invalid. Specify a valid Auto Scaling group ARN or name and try again.');
    const settings = newGroupSettings(given, groupArn);
    checkTags(input.tags ?? []);
    if ((input.tags ?? []).length > 50) throw invalidParameter('A resource can have at most 50 tags.');
    return this.store.transaction(async (tx) => {
      const providers = tx.collection<CapacityProviderRecord>(CAPACITY_PROVIDERS);
      const existing = await providers.get(providerKey(scope, input.name));
      if (existing?.status === CapacityProviderStatus.Active) {
        throw new DomainError(
          ErrorKind.AlreadyExists,
          'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.',
          'capacity-provider',
        );
      }
      const sameGroup = (await providers.list({ prefix: `${scope.region}/` })).some(
        ({ value: p }) => p.status === CapacityProviderStatus.Active && p.autoScalingGroupProvider?.autoScalingGroupArn === groupArn,
      );
      if (sameGroup) {
        throw invalidRequest(
          'The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.',
        );
      }
      const record: CapacityProviderRecord = {
        capacityProviderArn: capacityProviderArn(scope, input.name),
        name: input.name,
        status: CapacityProviderStatus.Active,
        type: 'EC2_AUTOSCALING',
        autoScalingGroupProvider: settings,
        createdAt: scope.now.getTime(),
      };
      await providers.put(providerKey(scope, input.name), record);
      await this.tags.set(tx, record.capacityProviderArn, input.tags ?? []);
      return record;
    });
  }

  /**
   * DescribeCapacityProviders: the named providers (names or ARNs; unknown ones are MISSING
   * failures), or every provider of the account, FARGATE and FARGATE_SPOT first, a page at a time.
   */
  async describe(
    scope: Scope,
    refs: readonly string[] | undefined,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<{ providers: CapacityProviderRecord[]; failures: Failure[]; nextToken?: string }> {
    if (refs && refs.length > 0) {
      const providers: CapacityProviderRecord[] = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const found = await this.find(scope, ref);
        if (found) providers.push(found);
        else failures.push({ arn: ref.startsWith('arn:') ? ref : capacityProviderArn(scope, ref), reason: 'MISSING' });
      }
      return { providers, failures };
    }
    const page = await this.listAll(scope, maxResults, nextToken);
    return { providers: page.items, failures: [], ...(page.nextToken && { nextToken: page.nextToken }) };
  }

  /** The provider named (name or ARN) in any status, Fargate ones included; undefined when unknown. */
  async find(scope: Scope, ref: string): Promise<CapacityProviderRecord | undefined> {
    const name = providerNameOf(scope, ref);
    if (name === undefined) return undefined;
    if (isFargateProvider(name)) return fargateProvider(scope, name);
    return this.store.collection<CapacityProviderRecord>(CAPACITY_PROVIDERS).get(providerKey(scope, name));
  }

  /** The name of the ACTIVE EC2-style provider whose agent group is `group`, if any. */
  async nameOfGroup(scope: Scope, group: string): Promise<string | undefined> {
    const all = await this.store.collection<CapacityProviderRecord>(CAPACITY_PROVIDERS).list({ prefix: `${scope.region}/` });
    return all.map((e) => e.value).find((p) => p.status === CapacityProviderStatus.Active && providerGroupName(p) === group)?.name;
  }

  /** The ACTIVE provider named (name or ARN), Fargate ones included; a ClientException otherwise. */
  async get(scope: Scope, ref: string): Promise<CapacityProviderRecord> {
    const found = await this.find(scope, ref);
    if (!found || found.status !== CapacityProviderStatus.Active) throw notFound('capacity-provider', NOT_FOUND);
    return found;
  }

  /** Tells whether `name` is FARGATE, FARGATE_SPOT or an ACTIVE provider of the account. */
  async isActive(scope: Scope, name: string): Promise<boolean> {
    return (await this.find(scope, name))?.status === CapacityProviderStatus.Active;
  }

  /** UpdateCapacityProvider: managed scaling, termination protection and draining of an EC2-style provider. */
  async update(scope: Scope, input: UpdateCapacityProviderInput): Promise<CapacityProviderRecord> {
    if (input.managedInstancesProvider !== undefined) throw new DomainError(ErrorKind.InvalidArgument, MANAGED_INSTANCES, 'unsupported-feature');
    const name = providerNameOf(scope, input.name);
    if (name !== undefined && isFargateProvider(name)) {
      throw invalidRequest(`The ${name} capacity provider is reserved and cannot be updated.`);
    }
    if (!input.autoScalingGroupProvider) throw invalidParameter('autoScalingGroupProvider must be specified.');
    return this.store.transaction(async (tx) => {
      const providers = tx.collection<CapacityProviderRecord>(CAPACITY_PROVIDERS);
      const current = name === undefined ? undefined : await providers.get(providerKey(scope, name));
      if (!current?.autoScalingGroupProvider || current.status !== CapacityProviderStatus.Active) throw notFound('capacity-provider', NOT_FOUND);
      const { updateStatusReason: _reason, ...rest } = current;
      const next: CapacityProviderRecord = {
        ...rest,
        autoScalingGroupProvider: updatedGroupSettings(current.autoScalingGroupProvider, input.autoScalingGroupProvider!),
        updateStatus: UpdateStatus.UpdateComplete,
      };
      await providers.put(providerKey(scope, current.name), next);
      return next;
    });
  }

  /**
   * DeleteCapacityProvider. As ECS does, a provider still associated with a cluster or used by a
   * service is not refused with an error: the answer shows it ACTIVE with updateStatus
   * DELETE_FAILED and the reason. Otherwise it becomes INACTIVE with DELETE_COMPLETE at once.
   */
  async delete(scope: Scope, ref: string): Promise<CapacityProviderRecord> {
    const name = providerNameOf(scope, ref);
    if (name !== undefined && isFargateProvider(name)) {
      throw invalidRequest(`The ${name} capacity provider is reserved and cannot be deleted.`);
    }
    return this.store.transaction(async (tx) => {
      const providers = tx.collection<CapacityProviderRecord>(CAPACITY_PROVIDERS);
      const current = name === undefined ? undefined : await providers.get(providerKey(scope, name));
      if (!current || current.status !== CapacityProviderStatus.Active) throw notFound('capacity-provider', NOT_FOUND);
      const reason = await this.deleteBlocker(tx, scope, current.name);
      const next: CapacityProviderRecord = reason
        ? { ...current, updateStatus: UpdateStatus.DeleteFailed, updateStatusReason: reason }
        : { ...withoutReason(current), status: CapacityProviderStatus.Inactive, updateStatus: UpdateStatus.DeleteComplete };
      await providers.put(providerKey(scope, current.name), next);
      return next;
    });
  }

  /** Every provider of the account: FARGATE, FARGATE_SPOT, then the stored ones by name. */
  private async listAll(scope: Scope, maxResults: number, nextToken: string | undefined): Promise<Page<CapacityProviderRecord>> {
    // Sort keys put the built-in providers first; stored ones follow in key order.
    const after = decodeToken('capacity-providers', nextToken);
    const builtIn = [FargateProvider.Fargate, FargateProvider.FargateSpot].map((n) => ({ key: `0/${n}`, value: fargateProvider(scope, n) }));
    const rows = builtIn.filter((r) => after === undefined || r.key > after);
    const storedAfter = after?.startsWith('1/') ? `${scope.region}/${after.slice(2)}` : undefined;
    const stored = await this.store
      .collection<CapacityProviderRecord>(CAPACITY_PROVIDERS)
      .list({ prefix: `${scope.region}/`, ...(storedAfter && { after: storedAfter }), limit: maxResults + 1 });
    rows.push(...stored.map((r) => ({ key: `1/${r.value.name}`, value: r.value })));
    return pageOf('capacity-providers', rows.slice(0, maxResults + 1), maxResults);
  }

  /** Why the provider cannot be deleted yet (ECS's reason text), or undefined when it can. */
  private async deleteBlocker(tx: Transaction, scope: Scope, name: string): Promise<string | undefined> {
    const clusters = await tx.collection<ClusterRecord>(CLUSTERS).list({ prefix: `${scope.region}/` });
    const cluster = clusters.find(({ value: c }) => c.status === ClusterStatus.Active && c.capacityProviders.includes(name));
    if (cluster) {
      return `The capacity provider cannot be deleted because it is associated with cluster: ${cluster.value.clusterName}. Remove the capacity provider from the cluster and try again.`;
    }
    const prefix = `arn:aws:ecs:${scope.region}:${scope.accountId}:cluster/`;
    const services = await tx.collection<ServiceUse>(CLUSTER_MEMBERS.services).list({ prefix });
    const service = services.find(
      ({ value: s }) => s.status !== 'INACTIVE' && (s.capacityProviderStrategy ?? []).some((i) => i.capacityProvider === name),
    );
    if (service) {
      return `The capacity provider cannot be deleted because it is used by service: ${service.value.serviceName ?? service.key}. Remove the capacity provider from the service's capacity provider strategy and try again.`;
    }
    return undefined;
  }
}

function withoutReason(p: CapacityProviderRecord): CapacityProviderRecord {
  const { updateStatusReason: _r, ...rest } = p;
  return rest;
}
