import type { Tag } from '@aws-sdk/client-ecs';
import { parseArn } from '../lib/arn.js';
import { invalidParameter, notFound } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import type { Store } from '../store/store.js';
import type { CapacityProviders } from './capacity-providers/capacity-providers.js';
import type { Clusters } from './clusters/clusters.js';
import type { TagStore } from './tags.js';
import type { TaskDefinitions } from './task-definitions/task-definitions.js';

/** TagResource, UntagResource and ListTagsForResource over every taggable ECS resource. */
export class Tagging {
  constructor(
    private readonly store: Store,
    private readonly tags: TagStore,
    private readonly clusters: Clusters,
    private readonly taskDefinitions: TaskDefinitions,
    private readonly capacityProviders?: CapacityProviders,
    /** Further taggable resources by ARN resource type (`service`, `task`, `container-instance`): whether one exists. */
    private readonly others: Readonly<Record<string, (scope: Scope, arn: string) => Promise<boolean>>> = {},
  ) {}

  /** Adds or replaces tags on a resource. */
  async tag(scope: Scope, resourceArn: string, tags: readonly Tag[]): Promise<void> {
    await this.requireResource(scope, resourceArn);
    await this.store.transaction((tx) => this.tags.add(tx, resourceArn, tags));
  }

  /** Removes tags by key from a resource. */
  async untag(scope: Scope, resourceArn: string, keys: readonly string[]): Promise<void> {
    await this.requireResource(scope, resourceArn);
    await this.store.transaction((tx) => this.tags.remove(tx, resourceArn, keys));
  }

  /** The tags of a resource. */
  async list(scope: Scope, resourceArn: string): Promise<Tag[]> {
    await this.requireResource(scope, resourceArn);
    return this.tags.get(resourceArn);
  }

  private async requireResource(scope: Scope, resourceArn: string): Promise<void> {
    const arn = parseArn(resourceArn);
    if (!arn || arn.service !== 'ecs') throw invalidParameter('The ARN provided is invalid.');
    const type = arn.resource.split('/')[0];
    if (type === 'cluster') {
      if (!(await this.clusters.existsByArn(scope, resourceArn))) throw notFound('cluster', 'Cluster not found.');
      return;
    }
    if (type === 'task-definition' && (await this.taskDefinitions.existsByArn(scope, resourceArn))) return;
    if (type === 'capacity-provider' && this.capacityProviders) {
      // The built-in Fargate providers belong to no account and take no tags.
      const provider = await this.capacityProviders.find(scope, resourceArn);
      if (provider?.type === 'EC2_AUTOSCALING' && provider.capacityProviderArn === resourceArn) return;
    }
    const exists = type === undefined ? undefined : this.others[type];
    if (exists && (await exists(scope, resourceArn))) return;
    throw notFound('resource', 'The specified resource could not be found.');
  }
}
