import type { Attribute } from '@aws-sdk/client-ecs';
import { DomainError, ErrorKind, invalidParameter, notFound } from '../../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import type { ClusterRecord } from '../clusters/cluster.js';
import type { Clusters } from '../clusters/clusters.js';
import { bare, checkAttribute, checkCustomLimit, isSystemAttribute, MAX_CUSTOM_ATTRIBUTES, mergeAttributes, TARGET_TYPE } from './attribute-rules.js';
import { InstanceStatus, type ContainerInstanceRecord } from './container-instance.js';
import { instanceIdIn, instanceKey } from './instance-identity.js';

const INSTANCES = CLUSTER_MEMBERS.containerInstances;

/** What ListAttributes selects. */
export interface ListAttributesInput {
  targetType: string;
  attributeName?: string;
  attributeValue?: string;
  maxResults: number;
  nextToken?: string;
}

/** ECS attributes of container instances: PutAttributes, DeleteAttributes, ListAttributes. */
export class InstanceAttributes {
  constructor(
    private readonly store: Store,
    private readonly clusters: Clusters,
  ) {}

  /** Creates or replaces attributes on their targets, all or none; returns them as given. */
  async put(scope: Scope, clusterRef: string | undefined, attributes: readonly Attribute[]): Promise<Attribute[]> {
    if (attributes.length > MAX_CUSTOM_ATTRIBUTES) {
      throw new DomainError(
        ErrorKind.LimitExceeded,
        `You can specify up to ${MAX_CUSTOM_ATTRIBUTES} attributes in a single call.`,
        'attributes',
      );
    }
    for (const a of attributes) checkAttribute(a);
    checkNotReserved(attributes);
    await this.change(scope, clusterRef, attributes, (current, mine) => {
      const next = mergeAttributes(current, mine);
      checkCustomLimit(next);
      return next;
    });
    return [...attributes];
  }

  /** Removes attributes (by name) from their targets, all or none; returns them as given. */
  async delete(scope: Scope, clusterRef: string | undefined, attributes: readonly Attribute[]): Promise<Attribute[]> {
    checkNotReserved(attributes);
    await this.change(scope, clusterRef, attributes, (current, mine) => {
      const drop = new Set(mine.map((a) => a.name));
      return current.filter((a) => !drop.has(a.name));
    });
    return [...attributes];
  }

  /** The attributes of the cluster's instances (not INACTIVE), by instance then name, a page at a time. */
  async list(scope: Scope, clusterRef: string | undefined, input: ListAttributesInput): Promise<Page<Attribute>> {
    if (input.targetType !== TARGET_TYPE) throw invalidParameter(`targetType must be ${TARGET_TYPE}.`);
    if (input.attributeValue !== undefined && input.attributeName === undefined) {
      throw invalidParameter('attributeName must be specified when attributeValue is specified.');
    }
    const cluster = await this.clusters.get(scope, clusterRef);
    const after = decodeToken('attributes', input.nextToken);
    const rows: Array<{ key: string; value: Attribute }> = [];
    for (const { key, value } of await this.store.collection<ContainerInstanceRecord>(INSTANCES).list({ prefix: `${cluster.clusterArn}/` })) {
      if (value.status === InstanceStatus.Inactive) continue;
      const sorted = [...value.attributes].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
      for (const a of sorted) {
        if (input.attributeName !== undefined && a.name !== input.attributeName) continue;
        if (input.attributeValue !== undefined && a.value !== input.attributeValue) continue;
        // A newline sorts before every character an attribute name may hold.
        const rowKey = `${key}\n${a.name}`;
        if (after !== undefined && rowKey <= after) continue;
        rows.push({ key: rowKey, value: { ...bare(a), targetType: TARGET_TYPE, targetId: value.containerInstanceArn } });
        if (rows.length > input.maxResults) return pageOf('attributes', rows, input.maxResults);
      }
    }
    return pageOf('attributes', rows, input.maxResults);
  }

  /** Applies `edit` to each target's attributes in one transaction; an unknown target fails the whole call. */
  private async change(
    scope: Scope,
    clusterRef: string | undefined,
    attributes: readonly Attribute[],
    edit: (current: Attribute[], mine: Attribute[]) => Attribute[],
  ): Promise<void> {
    const cluster = await this.clusters.get(scope, clusterRef);
    const byTarget = new Map<string, Attribute[]>();
    for (const a of attributes) {
      const id = this.targetIdOf(scope, cluster, a);
      byTarget.set(id, [...(byTarget.get(id) ?? []), a]);
    }
    await this.store.transaction(async (tx) => {
      const c = tx.collection<ContainerInstanceRecord>(INSTANCES);
      for (const [id, mine] of byTarget) {
        const key = instanceKey(cluster.clusterArn, id);
        const current = await c.get(key);
        if (!current || current.status === InstanceStatus.Inactive) {
          throw notFound('attribute-target', `Could not find the target ${mine[0]!.targetId} in cluster ${cluster.clusterName}.`);
        }
        await c.put(key, { ...current, attributes: edit(current.attributes, mine), version: current.version + 1 });
      }
    });
  }

  private targetIdOf(scope: Scope, cluster: ClusterRecord, a: Attribute): string {
    const target = a.targetId;
    if (target === undefined || target === '') throw invalidParameter(`Attribute ${a.name} has no targetId.`);
    if (!target.startsWith('arn:') && a.targetType === undefined) {
      throw invalidParameter(`targetType is required when targetId ${target} is not an ARN.`);
    }
    const id = instanceIdIn(scope, cluster.clusterName, target);
    if (id === undefined) {
      throw notFound('attribute-target', `Could not find the target ${target} in cluster ${cluster.clusterName}.`);
    }
    return id;
  }
}

/**
 * The agent's own attributes (ECS's, and minato's capacity group) describe the instance as it
 * registered; changing them by hand would move an instance between capacity providers unseen.
 */
function checkNotReserved(attributes: readonly Attribute[]): void {
  for (const a of attributes) {
    if (a.targetType !== undefined && a.targetType !== TARGET_TYPE) {
      throw invalidParameter(`Invalid targetType ${a.targetType}. The only supported targetType is ${TARGET_TYPE}.`);
    }
    if (isSystemAttribute(a.name ?? '')) {
      throw invalidParameter(`The attribute name ${a.name ?? ''} is reserved: attributes starting with ecs., com.amazonaws.ecs. or minato. are set by the container agent.`);
    }
  }
}
