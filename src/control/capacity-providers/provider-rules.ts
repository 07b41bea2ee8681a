import type { AutoScalingGroupProvider, AutoScalingGroupProviderUpdate, ManagedScaling } from '@aws-sdk/client-ecs';
import { invalidRequest } from '../../lib/errors.js';
import type { CapacityProviderRecord } from './capacity-provider.js';

/** The settings of an EC2-style provider, every member filled in. */
export type GroupSettings = NonNullable<CapacityProviderRecord['autoScalingGroupProvider']>;

/** Letters, digits, '_' and '-', up to 255; ECS reserves the prefixes aws, ecs and fargate (any case). */
const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const RESERVED_PREFIX = /^(aws|ecs|fargate)/i;

/** Rejects a capacity provider name ECS rejects, with ECS's message. */
export function checkProviderName(name: string): void {
  if (!NAME.test(name) || RESERVED_PREFIX.test(name)) {
    throw invalidRequest(
      'The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate". Specify a valid name and try again.',
    );
  }
}

/** The managed scaling ECS reports when a request leaves members out. */
const SCALING_DEFAULTS: Required<ManagedScaling> = {
  status: 'DISABLED',
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10000,
  instanceWarmupPeriod: 300,
};

/** The settings of a new provider: ECS's defaults for what the request leaves out, then checked. */
export function newGroupSettings(given: AutoScalingGroupProvider, autoScalingGroupArn: string): GroupSettings {
  const settings: GroupSettings = {
    autoScalingGroupArn,
    managedScaling: { ...SCALING_DEFAULTS, ...defined(given.managedScaling ?? {}) },
    managedTerminationProtection: given.managedTerminationProtection ?? 'DISABLED',
    // Managed draining is on unless turned off, as for every provider ECS creates today.
    managedDraining: given.managedDraining ?? 'ENABLED',
  };
  checkGroupSettings(settings);
  return settings;
}

/** The settings after UpdateCapacityProvider: given members replace current ones, then checked. */
export function updatedGroupSettings(current: GroupSettings, update: AutoScalingGroupProviderUpdate): GroupSettings {
  const settings: GroupSettings = {
    ...current,
    managedScaling: { ...current.managedScaling, ...defined(update.managedScaling ?? {}) },
    ...(update.managedTerminationProtection && { managedTerminationProtection: update.managedTerminationProtection }),
    ...(update.managedDraining && { managedDraining: update.managedDraining }),
  };
  checkGroupSettings(settings);
  return settings;
}

/** Cross-member rules the model cannot express (its ranges are checked at the front door). */
function checkGroupSettings(s: GroupSettings): void {
  if (s.managedTerminationProtection === 'ENABLED' && s.managedScaling.status !== 'ENABLED') {
    throw invalidRequest(
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the capacity provider must have managed scaling enabled.',
    );
  }
  if (s.managedScaling.minimumScalingStepSize > s.managedScaling.maximumScalingStepSize) {
    throw invalidRequest('The minimum scaling step size must be less than or equal to the maximum scaling step size.');
  }
}

/** The members of `o` that are set (JSON null and undefined mean "not given"). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
