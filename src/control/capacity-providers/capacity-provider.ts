import { createHash } from 'node:crypto';
import type { AutoScalingGroupProvider } from '@aws-sdk/client-ecs';
import { formatArn, parseArn } from '../../lib/arn.js';
import type { Scope } from '../../lib/scope.js';
import { FargateProvider, isFargateProvider } from '../../placement/launch-groups.js';

/** The Store collection of capacity providers, keyed `<region>/<name>`. */
export const CAPACITY_PROVIDERS = 'ecs-capacity-providers';

// ECS's built-in providers (FARGATE, FARGATE_SPOT) decide where tasks run: placement/ defines them.
export { FargateProvider, isFargateProvider };

/** Capacity provider statuses minato uses: a deleted provider stays describable as INACTIVE. */
export const CapacityProviderStatus = { Active: 'ACTIVE', Inactive: 'INACTIVE' } as const;
/** One of {@link CapacityProviderStatus}. */
export type CapacityProviderStatus = (typeof CapacityProviderStatus)[keyof typeof CapacityProviderStatus];

/** The `updateStatus` values minato reports (changes apply at once, so no IN_PROGRESS ones linger). */
export const UpdateStatus = {
  DeleteComplete: 'DELETE_COMPLETE',
  DeleteFailed: 'DELETE_FAILED',
  UpdateComplete: 'UPDATE_COMPLETE',
} as const;
/** One of {@link UpdateStatus}. */
export type UpdateStatus = (typeof UpdateStatus)[keyof typeof UpdateStatus];

/** The `type` ECS reports for a capacity provider. */
export type CapacityProviderType = 'EC2_AUTOSCALING' | 'FARGATE' | 'FARGATE_SPOT';

/**
 * A capacity provider as stored (wire member names). Only EC2-style providers are stored; the
 * Fargate ones are synthesised. Tags live in the shared tag store under the provider's ARN.
 */
export interface CapacityProviderRecord {
  capacityProviderArn: string;
  name: string;
  status: CapacityProviderStatus;
  type: CapacityProviderType;
  autoScalingGroupProvider?: Required<Omit<AutoScalingGroupProvider, 'managedScaling'>> & {
    managedScaling: Required<NonNullable<AutoScalingGroupProvider['managedScaling']>>;
  };
  updateStatus?: UpdateStatus;
  updateStatusReason?: string;
  createdAt: number;
}

/** The ARN of a capacity provider of this scope. */
export const capacityProviderArn = (scope: Scope, name: string): string =>
  formatArn('ecs', scope.region, scope.accountId, `capacity-provider/${name}`);

/** The built-in Fargate provider as DescribeCapacityProviders shows it. */
export function fargateProvider(scope: Scope, name: FargateProvider): CapacityProviderRecord {
  return { capacityProviderArn: capacityProviderArn(scope, name), name, status: 'ACTIVE', type: name, createdAt: 0 };
}

/**
 * The name a `capacityProvider` request member (short name or ARN) refers to in this scope, or
 * undefined when it is an ARN of another account, region or resource type.
 */
export function providerNameOf(scope: Scope, ref: string): string | undefined {
  const arn = parseArn(ref);
  if (!arn) return ref;
  if (arn.service !== 'ecs' || arn.region !== scope.region || arn.accountId !== scope.accountId) return undefined;
  return arn.resource.startsWith('capacity-provider/') ? arn.resource.slice('capacity-provider/'.length) : undefined;
}

const GROUP_NAME_MARK = ':autoScalingGroupName/';

/**
 * The Auto Scaling group name of an EC2-style provider (the `autoScalingGroupName/<name>` part of
 * its group's ARN): agents registered with `minato.capacity-group=<that name>` belong to it.
 * Empty for the Fargate providers, which own no agents.
 */
export function providerGroupName(provider: Pick<CapacityProviderRecord, 'autoScalingGroupProvider'>): string {
  const arn = provider.autoScalingGroupProvider?.autoScalingGroupArn ?? '';
  const at = arn.indexOf(GROUP_NAME_MARK);
  return at < 0 ? '' : arn.slice(at + GROUP_NAME_MARK.length);
}

/** ECS takes an Auto Scaling group ARN or a bare group name; ECS Auto Scaling group names are 1–255 characters without ':'. */
const GROUP_NAME = /^[^:]{1,255}$/;
const GROUP_ARN = /^arn:aws[a-z-]*:autoscaling:[a-z0-9-]+:\d{12}:autoScalingGroup:[0-9a-fA-F-]{36}:autoScalingGroupName\/[^:]{1,255}$/;

/**
 * The full Auto Scaling group ARN for what a request gave: an ARN is kept, a bare name becomes the
 * ARN of a group of that name in this scope. There are no real groups here, so the group id in
 * the ARN is derived from region, account and name: the same name always names the same group.
 */
export function autoScalingGroupArnOf(scope: Scope, given: string): string | undefined {
  if (GROUP_ARN.test(given)) return given;
  if (given.startsWith('arn:') || !GROUP_NAME.test(given)) return undefined;
  const h = createHash('sha256').update(`${scope.region}/${scope.accountId}/${given}`).digest('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:autoscaling:${scope.region}:${scope.accountId}:autoScalingGroup:${id}${GROUP_NAME_MARK}${given}`;
}
